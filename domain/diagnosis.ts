/**
 * Turning what Okta shows about an app into a diagnosis: ranked causes with evidence, the affected
 * users, and the admin's steps filled with this app's values. Pure: no I/O, safe in workflows.
 */
import type { ProvisioningFailure } from './okta-events';
import type { AffectedUser, AppSummary, Cause, Diagnosis } from './types';

export interface ErrorAppUser {
  userId: string;
  login: string;
  displayName?: string;
  lastUpdated?: string;
}

export interface DiagnosisInput {
  app: AppSummary;
  failures: ProvisioningFailure[];
  /** App users Okta currently shows in syncState ERROR. */
  errorAppUsers: ErrorAppUser[];
  /** Users currently assigned to the app (a failed deprovision of one of them is moot). */
  assignedUserIds: ReadonlySet<string>;
  window: { since: string; until: string };
}

export function reauthCommand(appId: string): string {
  return `npx okta-remediate reauth-done --app ${appId} --by <your email>`;
}

/** The console steps to re-authenticate, per vendor (from Okta's and the vendors' support articles). */
export function reauthSteps(app: AppSummary): string[] {
  const open = `Open ${app.label} in the Okta Admin Console (${app.provisioningUrl}) and go to Provisioning > Integration > Edit.`;
  const finish = [`Save, then tell the pipeline: ${reauthCommand(app.id)}`];
  switch (app.vendor) {
    case 'docusign':
      return [
        'In DocuSign, as the admin who will authorize Okta, open Settings > Apps and Keys and copy the API Account ID (use the production account unless this Okta app targets the demo environment).',
        open,
        'Paste the API Account ID, click "Authenticate with DocuSign" and sign in as that DocuSign admin.',
        ...finish,
      ];
    case 'github':
      return [
        'Sign in to GitHub as the dedicated service account that owns the organization (not a person\'s account); check it is still an organization owner and its password and SAML authorization are current.',
        open,
        'Click "Re-authenticate with GitHub" and grant access to the organization as that service account.',
        ...finish,
      ];
    default:
      return [open, `Enter a current API credential for ${app.label} (or click its Authenticate button) and test it.`, ...finish];
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function affectedUsers(input: DiagnosisInput): AffectedUser[] {
  const latestByUser = new Map<string, ProvisioningFailure>();
  for (const f of input.failures) {
    if (!f.userId) continue;
    const seen = latestByUser.get(`${f.kind}:${f.userId}`);
    if (!seen || seen.at < f.at) latestByUser.set(`${f.kind}:${f.userId}`, f);
  }
  const push: AffectedUser[] = input.errorAppUsers.map((u) => {
    const f = latestByUser.get(`push:${u.userId}`);
    return {
      userId: u.userId,
      login: u.login,
      displayName: u.displayName ?? f?.displayName ?? u.login,
      kind: 'push',
      failedAt: f?.at ?? u.lastUpdated ?? input.window.until,
      reason: f?.message || 'Okta shows the app user in syncState ERROR.',
    };
  });
  const deprovision: AffectedUser[] = [...latestByUser.values()]
    .filter((f) => f.kind === 'deprovision' && f.userId && !input.assignedUserIds.has(f.userId))
    .map((f) => ({
      userId: f.userId!,
      login: f.login ?? f.userId!,
      displayName: f.displayName ?? f.login ?? f.userId!,
      kind: 'deprovision' as const,
      failedAt: f.at,
      reason: f.message,
    }));
  // Deprovisions first: a person who left and still has access is the larger exposure.
  return [...deprovision.sort(byFailedAt), ...push.sort(byFailedAt)];
}

function byFailedAt(a: AffectedUser, b: AffectedUser): number {
  return a.failedAt.localeCompare(b.failedAt) || a.userId.localeCompare(b.userId);
}

export function diagnose(input: DiagnosisInput): Diagnosis {
  const { app, failures } = input;
  const affected = affectedUsers(input);
  const credentialFailures = failures.filter((f) => f.credentialError);
  const otherFailures = failures.filter((f) => !f.credentialError);
  const eventCounts: Record<string, number> = {};
  for (const f of failures) eventCounts[f.eventType] = (eventCounts[f.eventType] ?? 0) + 1;

  const causes: Cause[] = [];
  if (credentialFailures.length > 0) {
    const latest = credentialFailures.reduce((a, b) => (a.at > b.at ? a : b));
    const pushes = affected.filter((a) => a.kind === 'push').length;
    const deprovisions = affected.length - pushes;
    causes.push({
      id: 'credential-invalid',
      title: `${app.label} rejects the API credential stored in Okta`,
      confidence: 0.9,
      evidence: [
        `${plural(credentialFailures.length, 'provisioning failure')} since ${input.window.since} say "The credentials used to connect to the API were invalid".`,
        `Latest at ${latest.at}: ${latest.message}`,
        `${plural(pushes, 'user')} in syncState ERROR, ${plural(deprovisions, 'failed deprovision')} (people who may still have access).`,
      ],
      steps: reauthSteps(app),
    });
  }
  if (!app.provisioningEnabled) {
    causes.push({
      id: 'provisioning-disabled',
      title: `Provisioning is not enabled for ${app.label}`,
      confidence: credentialFailures.length > 0 ? 0.3 : 0.7,
      evidence: ['The USER_PROVISIONING feature of the app is not ENABLED.'],
      steps: [`Open ${app.provisioningUrl}, Provisioning > Integration, enable API integration and authenticate.`],
    });
  }
  if (otherFailures.length > 0) {
    causes.push({
      id: 'other-provisioning-errors',
      title: 'Other provisioning errors (not caused by the credential)',
      confidence: credentialFailures.length > 0 ? 0.2 : 0.5,
      evidence: [`${plural(otherFailures.length, 'failure')} with other messages, e.g. ${otherFailures[0]!.message}`],
      steps: ['These are reported, not remediated: review them in Okta (Dashboard > Tasks).'],
    });
  }
  causes.sort((a, b) => b.confidence - a.confidence);
  return {
    app,
    credentialFailing: credentialFailures.length > 0,
    causes,
    affected,
    eventCounts,
    window: input.window,
    hints: [],
  };
}
