/**
 * Every System Log event type that carries a failed provisioning call is read as Okta writes it:
 * the failures that leave a person without access (or a leaver with it) become users for the
 * remediation and the scanner; imports, groups and the connection's own failures are counted as other.
 */
import { diagnose } from '../../domain/diagnosis';
import { planScan } from '../../domain/scan';
import { toProvisioningFailure, USER_EVENT_KINDS, type ProvisioningFailure } from '../../domain/okta-events';
import type { AppSummary } from '../../domain/types';
import { APP, CREDENTIAL_REASON, oktaFailureEvent, PERSON } from './fixtures/okta-events';

const app: AppSummary = { id: APP.id, name: 'docusign', label: APP.displayName, status: 'ACTIVE', vendor: 'docusign', provisioningEnabled: true, provisioningUrl: '' };
const window = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-04T00:00:00.000Z', hours: 72 };
const read = (eventType: string, targets?: Array<'AppUser' | 'User'>) => toProvisioningFailure(oktaFailureEvent(eventType, { targets }))!;

const USER_TYPES = Object.entries(USER_EVENT_KINDS);
const OTHER_TYPES = [
  'application.provision.user.import',
  'application.provision.user.import_profile',
  'application.provision.group.add',
  'application.provision.group_membership.add',
  'application.integration.authentication_failure',
  'application.integration.general_failure',
  'application.integration.rate_limit_exceeded',
];

describe.each(USER_TYPES)('%s', (eventType, kind) => {
  it(`is a failed ${kind} of the person it names, with Okta's words`, () => {
    expect(read(eventType)).toMatchObject({ eventType, kind, appId: APP.id, appLabel: APP.displayName, userId: PERSON.id, login: PERSON.login, credentialError: true });
    expect(read(eventType).message).toContain(CREDENTIAL_REASON);
  });

  it("never takes the AppUser target (the app user's own id) for the person", () => {
    const failure = read(eventType, ['AppUser']);
    expect(failure).toMatchObject({ kind, userId: undefined });
    expect(planScan({ failures: [failure], readAt: '2026-11-04T00:00:00.000Z', overlapSeconds: 60 }).apps[0]!.users).toEqual([]);
  });

  it("makes the person an affected user in the diagnosis, with the event's words, and one to remediate in the scan", () => {
    const failure = read(eventType);
    // A failed push is also in Okta's app users (syncState ERROR); a leaver is no longer assigned.
    const errorAppUsers = kind === 'push' ? [{ userId: PERSON.id, login: PERSON.login, displayName: PERSON.displayName }] : [];
    const d = diagnose({ app, failures: [failure], errorAppUsers, assignedUserIds: new Set(kind === 'push' ? [PERSON.id] : []), window });
    expect(d.credentialFailing).toBe(true);
    expect(d.eventCounts).toEqual({ [eventType]: 1 });
    expect(d.affected).toEqual([expect.objectContaining({ userId: PERSON.id, kind, failedAt: failure.at, reason: expect.stringContaining(CREDENTIAL_REASON) })]);
    const plan = planScan({ failures: [failure], readAt: '2026-11-04T00:00:00.000Z', overlapSeconds: 60 });
    expect(plan.apps[0]!.users).toEqual([expect.objectContaining({ userId: PERSON.id, kind })]);
  });
});

describe.each(OTHER_TYPES)('%s', (eventType) => {
  it('is counted and backs the diagnosis, never a user to remediate', () => {
    const failure: ProvisioningFailure = read(eventType, eventType.startsWith('application.integration.') ? [] : undefined);
    expect(failure.kind).toBe('other');
    const d = diagnose({ app, failures: [failure], errorAppUsers: [], assignedUserIds: new Set([PERSON.id]), window });
    expect(d.eventCounts).toEqual({ [eventType]: 1 });
    expect(d.affected).toEqual([]);
    const plan = planScan({ failures: [failure], readAt: '2026-11-04T00:00:00.000Z', overlapSeconds: 60 });
    expect(plan.apps[0]!.users).toEqual([]);
    expect(plan.apps[0]!.other).toEqual([expect.objectContaining({ category: 'credential_not_user', count: 1 })]);
  });
});
