/** Pieces every cause's text is built from: the Okta console steps and the pipeline's own commands. Pure. */
import type { AppSummary, StepValues } from './types';

/** A cause's title and the admin's steps, filled with this app's values. */
export interface CauseText {
  title: (app: AppSummary, v: StepValues) => string;
  steps: (app: AppSummary, v: StepValues) => string[];
}

export function reauthCommand(appId: string): string {
  return `npx okta-remediate reauth-done --app ${appId} --by <your email>`;
}

export const or = (value: string | undefined, fallback: string) => value ?? fallback;
export const openIntegration = (app: AppSummary) => `Open ${app.label} in the Okta Admin Console (${app.provisioningUrl}), Provisioning > Integration > Edit.`;
export const finish = (app: AppSummary) => `Save, then tell the pipeline: ${reauthCommand(app.id)}`;
