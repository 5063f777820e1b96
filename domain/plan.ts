/**
 * What a remediation would do with an app, from its diagnosis and policy (the dry run): who it
 * would re-push, what happens to each leaver under the policy, and what the admins will be asked.
 */
import { provisioningOff } from './diagnosis';
import { remediationWorkflowId } from './messages';
import { diagnosisLines, reportCommand } from './report';
import type { AppPolicy, Diagnosis, FailureKind } from './types';

/** People a plan names; the rest are counted. */
const NAMED = 20;

export interface RemediationPlan {
  appId: string;
  /** Whether it would wait for a re-auth (Okta shows the credential failing). */
  waitsForReauth: boolean;
  /** Failed pushes, re-pushed after a verified re-auth; not retried (and why) when no re-auth can help. */
  repush: { count: number; first: string[]; notRetried?: string };
  /** Failed deprovisions, and what the policy does with them. */
  deprovision: { count: number; first: string[]; policy: AppPolicy['deprovisionPolicy']; action: string };
  /** What the admins will be asked to do, in order. */
  adminSteps: string[];
  /** The test user of the round trip at the end, if one is set. */
  testUser?: string;
}

export function planRemediation(d: Diagnosis, policy: AppPolicy): RemediationPlan {
  const count = (kind: FailureKind) => d.affectedByKind?.[kind] ?? d.affected.filter((u) => u.kind === kind).length;
  const first = (kind: FailureKind) =>
    d.affected
      .filter((u) => u.kind === kind)
      .slice(0, NAMED)
      .map((u) => u.login);
  const leavers = count('deprovision');
  const off = provisioningOff(d.app);
  const where = d.app.vendor === 'generic' ? `${d.app.label} (by hand: the pipeline has no ${d.app.label} module)` : d.app.label;
  const approve = `npx okta-remediate approve-deprovision --app ${d.app.id} --by <your email>`;
  const action = {
    auto: `removed in ${where} at once${off ? '' : ', before the wait'}`,
    ask: `removed in ${where} once approved (${approve})`,
    off: `reported only: remove them in ${d.app.label} by hand`,
  }[policy.deprovisionPolicy];
  // Provisioning off, the steps to turn it on; else, with the credential failing, the likely cause's.
  const cause = off ? d.causes.find((c) => c.id === 'provisioning-disabled') : d.credentialFailing ? d.causes[0] : undefined;
  const adminSteps = [...(cause?.steps ?? [])];
  if (leavers > 0 && policy.deprovisionPolicy === 'ask') adminSteps.push(`Approve removing the ${leavers} leavers: ${approve}`);
  return {
    appId: d.app.id,
    waitsForReauth: d.credentialFailing && !off,
    repush: { count: count('push'), first: first('push'), ...(off ? { notRetried: 'provisioning is off in Okta: the remediation ends after the leavers' } : {}) },
    deprovision: { count: leavers, first: first('deprovision'), policy: policy.deprovisionPolicy, action },
    adminSteps,
    testUser: policy.testUser,
  };
}

/** What the dry run answers: the diagnosis (the first page of affected users, the counts of all) and the plan. */
export interface DryRunResult {
  diagnosis: Diagnosis;
  plan: RemediationPlan;
}

/** The workflow type of the dry run, and a fresh id for each. */
export const DRY_RUN_WORKFLOW_TYPE = 'dryRunRemediation';
export const dryRunWorkflowId = (appId: string, at = Date.now()) => `${remediationWorkflowId(appId)}-dry-run-${at}`;

/** The dry run as the CLI prints it: the diagnosis, then the plan. */
export function renderDryRun({ diagnosis: d, plan: p }: DryRunResult): string {
  // The dry run holds the first page of affected users (leavers first): a big app's pushes may not be in it.
  const names = (first: string[], count: number) => (first.length === 0 ? '' : `: ${first.join(', ')}${count > first.length ? `, … ${count - first.length} more` : ''}`);
  const lines = [
    `${d.app.label} (${d.app.id}): ${d.credentialFailing ? "Okta shows the app's API credential failing" : "Okta does not show the app's API credential failing"}`,
    ...diagnosisLines(d),
    '',
    `Plan (dry run: nothing was changed in Okta or at the vendor, and no remediation was started):`,
    p.repush.notRetried
      ? `  Not retried: ${p.repush.count} users (${p.repush.notRetried})`
      : `  ${p.waitsForReauth ? 'Wait for a verified re-auth, then re-push' : 'Re-push'} ${p.repush.count} users${names(p.repush.first, p.repush.count)}`,
    `  ${p.deprovision.count} leavers, policy ${p.deprovision.policy}: ${p.deprovision.action}${names(p.deprovision.first, p.deprovision.count)}`,
  ];
  if (p.testUser) lines.push(`  Then confirm with test user ${p.testUser}: assign, see at the vendor, unassign, see gone.`);
  if (p.adminSteps.length > 0) lines.push('', 'The admins will be asked to:', ...p.adminSteps.map((s, i) => `  ${i + 1}. ${s}`));
  lines.push('', `Start it: npx okta-remediate start --app ${p.appId}; every user once it runs: ${reportCommand(p.appId)}`);
  return lines.join('\n');
}
