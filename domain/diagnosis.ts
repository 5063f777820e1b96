/**
 * Turning what Okta and the vendor show about an app into a diagnosis: ranked causes with
 * evidence, the affected users, and the admin's steps filled with this app's values. Pure: no
 * I/O, safe in workflows.
 */
import { causeSteps, causeTitle, toAppSettingsOff } from './causes';
import type { ProvisioningFailure } from './okta-events';
import type { AffectedUser, AppPolicy, AppSummary, Cause, CauseId, Diagnosis, OktaFindings, VendorProbe } from './types';

export { reauthCommand } from './steps';

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
  vendorProbe?: VendorProbe;
  policy?: AppPolicy;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function affectedUsers(input: Pick<DiagnosisInput, 'failures' | 'errorAppUsers' | 'assignedUserIds' | 'window'>): AffectedUser[] {
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

/**
 * Affected users per page of a diagnosis: about 30 KB. Small enough that a page of the run's
 * history (the server's 256 events, about 85 of them results) stays under gRPC's 4 MB, which a
 * worker replaying the run must fetch.
 */
export const AFFECTED_PAGE_SIZE = 100;

/** Where a user sorts in a diagnosis's pages: deprovisions first, then by failure time and id. */
const pageKey = (u: AffectedUser) => `${u.kind === 'deprovision' ? 0 : 1}|${u.failedAt}|${u.userId}`;

/**
 * The page after cursor `after`. The cursor names the last user given, not a position, so a user
 * who left the list between two reads skips nobody.
 */
export function affectedPage(all: AffectedUser[], after: string | undefined, limit = AFFECTED_PAGE_SIZE): { users: AffectedUser[]; next?: string } {
  const rest = all.filter((u) => after === undefined || pageKey(u) > after).sort((a, b) => (pageKey(a) < pageKey(b) ? -1 : 1));
  const users = rest.slice(0, limit);
  return { users, next: rest.length > limit ? pageKey(users.at(-1)!) : undefined };
}

function byFailedAt(a: AffectedUser, b: AffectedUser): number {
  return a.failedAt.localeCompare(b.failedAt) || a.userId.localeCompare(b.userId);
}

/** What Okta's own records say, kept in the diagnosis so a later vendor probe can re-rank causes. */
export function oktaFindings(input: DiagnosisInput): OktaFindings {
  const credentialFailures = input.failures.filter((f) => f.credentialError);
  const otherFailures = input.failures.filter((f) => !f.credentialError);
  const affected = affectedUsers(input);
  const evidence: string[] = [];
  if (credentialFailures.length > 0) {
    const latest = credentialFailures.reduce((a, b) => (a.at > b.at ? a : b));
    const pushes = affected.filter((a) => a.kind === 'push').length;
    evidence.push(
      `Okta: ${plural(credentialFailures.length, 'provisioning failure')} since ${input.window.since} say "The credentials used to connect to the API were invalid".`,
      `Okta: latest at ${latest.at}: ${latest.message}`,
      `Okta: ${plural(pushes, 'user')} in syncState ERROR, ${plural(affected.length - pushes, 'failed deprovision')} (people who may still have access).`,
    );
  }
  return {
    credentialFailing: credentialFailures.length > 0,
    credentialEvidence: evidence,
    provisioningEnabled: input.app.provisioningEnabled,
    otherFailures: otherFailures.length,
    otherExample: otherFailures[0]?.message,
  };
}

/** Causes ranked by confidence: what the vendor shows outranks what Okta alone can say. */
export function rankCauses(app: AppSummary, okta: OktaFindings, probe?: VendorProbe): Cause[] {
  const values = probe?.values ?? {};
  const cause = (id: CauseId, confidence: number, evidence: string[]): Cause => ({
    id,
    title: causeTitle(id, app, values),
    confidence,
    evidence,
    steps: causeSteps(id, app, values),
  });
  const causes: Cause[] = (probe?.findings ?? []).map((f) => cause(f.cause, f.confidence, [...f.evidence, ...okta.credentialEvidence]));
  if (okta.credentialFailing) {
    causes.push(cause('credential-invalid', causes.length > 0 ? 0.5 : 0.9, [...okta.credentialEvidence, ...(probe?.evidence ?? [])]));
  }
  if (!okta.provisioningEnabled) {
    // Okta's own setting, not an inference: with provisioning off nothing is pushed, whatever the credential.
    const evidence =
      app.provisioningState === 'not_set_up'
        ? 'Okta: the app has no USER_PROVISIONING feature: its provisioning was never set up.'
        : 'Okta: the USER_PROVISIONING feature of the app is not ENABLED: provisioning is turned off.';
    causes.push(cause('provisioning-disabled', app.provisioningState ? 1 : okta.credentialFailing ? 0.3 : 0.7, [evidence]));
  }
  const off = toAppSettingsOff(app);
  if (okta.provisioningEnabled && off.length > 0) {
    // Okta's own settings: with Update User Attributes off, a re-push is a POST Okta pushes nowhere.
    const evidence = `Okta: the USER_PROVISIONING feature shows ${off.join(' and ')} DISABLED (To App settings).`;
    causes.push(cause('to-app-settings-off', app.pushCapabilities?.updateProfile === false ? 0.6 : 0.4, [evidence]));
  }
  if (okta.otherFailures > 0) {
    causes.push(cause('other-provisioning-errors', okta.credentialFailing ? 0.2 : 0.5, [`Okta: ${plural(okta.otherFailures, 'failure')} with other messages, e.g. ${okta.otherExample}`]));
  }
  return causes.sort((a, b) => b.confidence - a.confidence);
}

export function diagnose(input: DiagnosisInput): Diagnosis {
  const okta = oktaFindings(input);
  const eventCounts: Record<string, number> = {};
  for (const f of input.failures) eventCounts[f.eventType] = (eventCounts[f.eventType] ?? 0) + 1;
  return {
    app: input.app,
    credentialFailing: okta.credentialFailing,
    okta,
    causes: rankCauses(input.app, okta, input.vendorProbe),
    affected: affectedUsers(input),
    eventCounts,
    window: input.window,
    hints: [...(input.vendorProbe?.hints ?? []), ...logCutHint(input.window)],
    vendorProbe: input.vendorProbe,
    policy: input.policy,
  };
}

/** A System Log read that stopped at its cap says so: older failures were not read. */
function logCutHint(window: Diagnosis['window']): string[] {
  return window.truncatedBefore
    ? [
        `The System Log held more provisioning failures than one diagnosis reads: only those after ${window.truncatedBefore} were read. Older failed users join as the scanner finds them (okta-remediate scan).`,
      ]
    : [];
}

/** The diagnosis after a (new) vendor probe. */
export function withVendorProbe(d: Diagnosis, probe: VendorProbe): Diagnosis {
  return { ...d, vendorProbe: probe, hints: [...probe.hints, ...logCutHint(d.window)], causes: rankCauses(d.app, d.okta, probe) };
}

/** Okta says the app's provisioning is turned off or was never set up (a diagnosis of before 2026-12-06 does not say why). */
export const provisioningOff = (app: AppSummary): boolean => app.provisioningState !== undefined && !app.provisioningEnabled;
