/** The remediation workflow's messages: what the CLI, scripts and `temporal workflow signal` may send. */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AffectedUser, RemediationStatus } from '../domain/types';

export interface ReauthCompletedArgs {
  /** Who re-authenticated the app in Okta (an email or username). */
  by: string;
  note?: string;
}

export interface AddFailedUsersArgs {
  users: AffectedUser[];
}

export interface CancelRemediationArgs {
  reason: string;
  by?: string;
}

export const reauthCompletedSignal = defineSignal<[ReauthCompletedArgs]>('reauthCompleted');
export const addFailedUsersSignal = defineSignal<[AddFailedUsersArgs]>('addFailedUsers');
/** Carries the reason for a cancellation; the CLI sends it just before cancelling the workflow. */
export const cancelReasonSignal = defineSignal<[CancelRemediationArgs]>('cancelReason');
export const statusQuery = defineQuery<RemediationStatus>('status');

export const TASK_QUEUE_DEFAULT = 'okta-remediation';

/** One remediation per Okta app: the workflow id is derived from the app id. */
export function remediationWorkflowId(appId: string): string {
  return `okta-remediation-${appId}`;
}
