/** Reading an Okta app as the pipeline sees it: summary, vendor, provisioning state, settings. */
import type { UserProvisioningApplicationFeature } from '@okta/okta-sdk-nodejs';
import { ApplicationFailure } from '@temporalio/common';
import type { AppSummary } from '../../domain/types';
import { provisioningUrl } from '../../domain/okta-console';
import { vendorOf } from '../../domain/vendors/registry';
import type { AppConfig } from '../../config/app-config';
import { getOktaJson, type OktaClient } from './client';
import { isNotFound, toActivityFailure, UNKNOWN_APP } from './errors';

export interface AppReaderDeps {
  okta: OktaClient;
  orgUrl: string;
  appConfig: AppConfig;
  now?: () => Date;
}

export interface OktaApp {
  app: AppSummary;
  /** The app's `settings.app` as Okta shows it. */
  oktaSettings: Record<string, unknown>;
}

export function createAppReader(deps: AppReaderDeps) {
  const now = deps.now ?? (() => new Date());
  const { okta } = deps;

  async function readApp(appId: string): Promise<OktaApp> {
    let app: { name?: string; label?: string; status?: string; settings?: { app?: Record<string, unknown> } };
    try {
      // Raw JSON: the SDK's models of SAML apps drop `settings.app`, where Okta shows the
      // integration's own settings (e.g. DocuSign's API Account ID).
      app = (await getOktaJson(okta, `${deps.orgUrl}/api/v1/apps/${encodeURIComponent(appId)}`)) as typeof app;
    } catch (err) {
      if (isNotFound(err)) {
        throw ApplicationFailure.nonRetryable(`Okta has no app with id ${appId}: copy the id from the app's URL in the Admin Console (Applications > the app).`, UNKNOWN_APP);
      }
      throw toActivityFailure(err, `reading app ${appId}`, now());
    }
    let provisioningState = 'not_set_up' as NonNullable<AppSummary['provisioningState']>;
    let pushCapabilities: AppSummary['pushCapabilities'];
    try {
      const features = await okta.applicationApi.listFeaturesForApplication({ appId });
      await features.each((f) => {
        if (f.name !== 'USER_PROVISIONING') return;
        provisioningState = f.status === 'ENABLED' ? 'enabled' : 'disabled';
        const c = (f as UserProvisioningApplicationFeature).capabilities;
        // A capability Okta does not show is taken as on: only a DISABLED one is a finding.
        const on = (status: string | undefined) => status !== 'DISABLED';
        pushCapabilities = { create: on(c?.create?.lifecycleCreate?.status), updateProfile: on(c?.update?.profile?.status), deactivate: on(c?.update?.lifecycleDeactivate?.status) };
      });
    } catch (err) {
      // Apps without provisioning answer 400/404 here; that is a finding, not a failure.
      if (!(typeof err === 'object' && err && [400, 404].includes((err as { status?: number }).status ?? 0))) {
        throw toActivityFailure(err, `reading features of app ${appId}`, now());
      }
    }
    const name = app.name ?? 'unknown';
    return {
      app: {
        id: appId,
        name,
        label: app.label ?? name,
        status: app.status ?? 'UNKNOWN',
        vendor: deps.appConfig.settings(appId).vendor ?? vendorOf(name),
        provisioningEnabled: provisioningState === 'enabled',
        provisioningState,
        ...(pushCapabilities ? { pushCapabilities } : {}),
        provisioningUrl: provisioningUrl(deps.orgUrl, name, appId),
      },
      oktaSettings: { ...app.settings?.app },
    };
  }

  return { readApp };
}
