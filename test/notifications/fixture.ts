/**
 * A DocuSign remediation as the workflow would report it: the diagnosis comes from the real
 * rules (Okta's failure events plus a vendor probe that found the wrong API Account ID).
 */
import { diagnose } from '../../domain/diagnosis';
import type { NoticeKind, RemediationNotice } from '../../domain/notice';
import { toProvisioningFailure } from '../../domain/okta-events';
import type { AppSummary, RemediationStatus, VendorProbe } from '../../domain/types';

export const APP_ID = '0oa8f2kq1xDocuSign97';
export const API_ACCOUNT_ID = '5b1c2d3e-0f4a-4b5c-9d8e-7f6a5b4c3d2e';
const CRED = (who: string) => `Automatic provisioning of user ${who} to app DocuSign failed: The credentials used to connect to the API were invalid; please check your configuration`;

export const app: AppSummary = {
  id: APP_ID,
  name: 'docusign',
  label: 'DocuSign',
  status: 'ACTIVE',
  vendor: 'docusign',
  provisioningEnabled: true,
  provisioningUrl: `https://acme-admin.okta.com/admin/app/docusign/instance/${APP_ID}/`,
};

function event(eventType: string, userId: string, login: string, name: string, published: string) {
  return toProvisioningFailure({
    uuid: `${eventType}-${userId}-${published}`,
    eventType,
    published,
    outcome: { result: 'FAILURE', reason: CRED(name) },
    target: [
      { id: APP_ID, type: 'AppInstance' },
      { id: userId, type: 'User', alternateId: login, displayName: name },
    ],
  })!;
}

const probe: VendorProbe = {
  vendor: 'docusign',
  probed: true,
  findings: [
    {
      cause: 'docusign-account-id-mismatch',
      confidence: 0.95,
      evidence: [`DocuSign: the API Account ID ${API_ACCOUNT_ID} is not among the accounts of esign-admin@acme.com (GET /oauth/userinfo).`],
      blocking: false,
    },
  ],
  evidence: ['DocuSign: esign-admin@acme.com is an active admin.'],
  hints: [],
  values: { apiAccountId: API_ACCOUNT_ID, adminEmail: 'esign-admin@acme.com', environment: 'production' },
  at: '2026-11-08T08:00:03.000Z',
};

export const diagnosis = diagnose({
  app,
  failures: [
    event('application.provision.user.deactivate', '00u1bob', 'bob@acme.com', 'Bob Ng', '2026-11-03T09:12:00.000Z'),
    event('application.provision.user.push_profile', '00u1cara', 'cara@acme.com', 'Cara Diaz', '2026-11-04T10:00:00.000Z'),
    event('application.provision.user.push', '00u1dan', 'dan@acme.com', 'Dan Wu', '2026-11-05T11:30:00.000Z'),
  ],
  errorAppUsers: [
    { userId: '00u1cara', login: 'cara@acme.com', displayName: 'Cara Diaz' },
    { userId: '00u1dan', login: 'dan@acme.com', displayName: 'Dan Wu' },
  ],
  assignedUserIds: new Set(['00u1cara', '00u1dan']),
  window: { since: '2026-11-01T00:00:00.000Z', until: '2026-11-08T08:00:00.000Z' },
  vendorProbe: probe,
});

export const topCause = diagnosis.causes[0]!;

export function docusignStatus(overrides: Partial<RemediationStatus> = {}): RemediationStatus {
  return {
    appId: APP_ID,
    phase: 'awaiting_reauth',
    diagnosis,
    affected: diagnosis.affected,
    results: [],
    reauthClaims: [],
    notifications: [],
    startedAt: '2026-11-08T08:00:00.000Z',
    phaseChangedAt: '2026-11-08T08:00:05.000Z',
    ...overrides,
  };
}

export const UI_URL = `http://localhost:8233/namespaces/default/workflows/okta-remediation-${APP_ID}`;

export function notice(kind: NoticeKind = 'diagnosed', overrides: Partial<RemediationStatus> = {}, extra: Partial<RemediationNotice> = {}): RemediationNotice {
  return { kind, status: docusignStatus(overrides), uiUrl: UI_URL, ...extra };
}
