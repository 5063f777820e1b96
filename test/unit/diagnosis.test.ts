import { diagnose } from '../../domain/diagnosis';
import { toProvisioningFailure } from '../../domain/okta-events';
import type { AppSummary } from '../../domain/types';
import { provisioningUrl } from '../../domain/okta-console';
import { vendorOf } from '../../domain/vendors/registry';

const app: AppSummary = {
  id: '0oaAPP',
  name: 'docusign',
  label: 'DocuSign',
  status: 'ACTIVE',
  vendor: 'docusign',
  provisioningEnabled: true,
  provisioningUrl: 'https://acme-admin.okta.com/admin/app/docusign/instance/0oaAPP/',
};
const CRED = 'Automatic provisioning of user Ann Lee to app DocuSign failed: The credentials used to connect to the API were invalid; please check your configuration';

function event(eventType: string, userId: string, published: string, reason = CRED) {
  return toProvisioningFailure({
    uuid: `${eventType}-${userId}-${published}`,
    eventType,
    published,
    outcome: { result: 'FAILURE', reason },
    target: [
      { id: '0oaAPP', type: 'AppInstance' },
      { id: userId, type: 'User', alternateId: `${userId}@example.com`, displayName: userId },
    ],
  })!;
}

const window = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-08T00:00:00.000Z' };

describe('diagnosis rules', () => {
  it('names the invalid credential first, with evidence, and fills the steps with the app', () => {
    const d = diagnose({
      app,
      failures: [event('application.provision.user.push_profile', 'u1', '2026-11-02T00:00:00Z'), event('application.provision.user.deactivate', 'u2', '2026-11-03T00:00:00Z')],
      errorAppUsers: [{ userId: 'u1', login: 'u1@example.com' }],
      assignedUserIds: new Set(['u1']),
      window,
    });
    expect(d.credentialFailing).toBe(true);
    expect(d.causes[0]!.id).toBe('credential-invalid');
    expect(d.causes[0]!.evidence.join(' ')).toMatch(/2 provisioning failures/);
    expect(d.causes[0]!.steps.join(' ')).toContain(app.provisioningUrl);
    expect(d.causes[0]!.steps.join(' ')).toContain('API Account ID');
    expect(d.causes[0]!.steps.join(' ')).toContain('reauth-done --app 0oaAPP');
    // Deprovisions come first: they are the security exposure.
    expect(d.affected.map((a) => [a.kind, a.userId])).toEqual([
      ['deprovision', 'u2'],
      ['push', 'u1'],
    ]);
  });

  it('ignores a failed deprovision of someone assigned again, and non-failure events', () => {
    const d = diagnose({
      app,
      failures: [event('application.provision.user.deactivate', 'u3', '2026-11-03T00:00:00Z')],
      errorAppUsers: [],
      assignedUserIds: new Set(['u3']),
      window,
    });
    expect(d.affected).toEqual([]);
    expect(toProvisioningFailure({ eventType: 'application.provision.user.push', outcome: { result: 'SUCCESS' } })).toBeUndefined();
  });

  it('reports other provisioning errors without calling them a credential problem', () => {
    const d = diagnose({
      app,
      failures: [event('application.provision.user.push', 'u4', '2026-11-03T00:00:00Z', 'User not found')],
      errorAppUsers: [],
      assignedUserIds: new Set(),
      window,
    });
    expect(d.credentialFailing).toBe(false);
    expect(d.causes.map((c) => c.id)).toEqual(['other-provisioning-errors']);
  });

  it('recognises the reference vendors and the admin console host', () => {
    expect(vendorOf('docusign')).toBe('docusign');
    expect(vendorOf('githubcloud')).toBe('github');
    expect(vendorOf('slack')).toBe('generic');
    expect(provisioningUrl('https://acme.okta.com', 'docusign', '0oa1')).toBe('https://acme-admin.okta.com/admin/app/docusign/instance/0oa1/');
    expect(provisioningUrl('http://127.0.0.1:8787', 'docusign', '0oa1')).toBe('http://127.0.0.1:8787/admin/app/docusign/instance/0oa1/');
  });
});
