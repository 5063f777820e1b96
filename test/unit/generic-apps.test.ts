/**
 * The generic path, concretely: for a common app without a vendor module the probe says, from
 * Okta's side, what Okta holds (never a secret), and the credential's steps say what to check at
 * the vendor, in order, with those values; an app outside the table keeps the generic steps.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createOktaClient } from '../../activities/okta/client';
import type { VendorContext } from '../../activities/vendors/types';
import { genericVendor } from '../../activities/vendors/generic';
import { parseAppConfig } from '../../config/app-config';
import { causeSteps } from '../../domain/causes';
import { diagnose, withVendorProbe } from '../../domain/diagnosis';
import { GENERIC_APPS, genericAppOf, isSecretKey } from '../../domain/generic-apps';
import { toProvisioningFailure } from '../../domain/okta-events';
import type { AppSummary, Diagnosis, VendorProbe } from '../../domain/types';
import { OktaSim } from '../../sim/okta';
import { testLogger } from '../support/log-capture';

const appOf = (name: string, label: string): AppSummary => ({
  id: '0oaGENERIC1',
  name,
  label,
  status: 'ACTIVE',
  vendor: 'generic',
  provisioningEnabled: true,
  provisioningState: 'enabled',
  provisioningUrl: `https://acme-admin.okta.com/admin/app/${name}/instance/0oaGENERIC1/`,
});
const probeOf = (app: AppSummary, oktaSettings: Record<string, unknown>): Promise<VendorProbe> => genericVendor.probe({ app, oktaSettings, settings: {}, credentialFailing: true } as VendorContext);

const CRED = 'Automatic provisioning of user Ann Lee to app Zendesk failed: The credentials used to connect to the API were invalid; please check your configuration';
const failing = (app: AppSummary): Diagnosis =>
  diagnose({
    app,
    failures: [
      toProvisioningFailure({
        uuid: 'e1',
        eventType: 'application.provision.user.push_profile',
        published: '2026-11-02T00:00:00.000Z',
        outcome: { result: 'FAILURE', reason: CRED },
        target: [
          { id: app.id, type: 'AppInstance' },
          { id: 'u1', type: 'User', alternateId: 'ann@example.com', displayName: 'Ann Lee' },
        ],
      })!,
    ],
    errorAppUsers: [{ userId: 'u1', login: 'ann@example.com' }],
    assignedUserIds: new Set(['u1']),
    window: { since: '2026-11-01T00:00:00.000Z', until: '2026-11-08T00:00:00.000Z' },
  });

/** Values no output may repeat: whatever their key, these are secrets. */
const SECRET = 'S3CR3T';
const secretSettings = {
  apiToken: `xoxp-${SECRET}-1`,
  adminPassword: `pw-${SECRET}`,
  clientSecret: `cs-${SECRET}`,
  apiKey: `ak-${SECRET}`,
  privateKey: `-----BEGIN PRIVATE KEY-----${SECRET}`,
  bearer_token: `bt-${SECRET}`,
};

describe('the table of common apps', () => {
  it("is keyed by Okta's app names, and no connection setting it reads is a secret", () => {
    expect(Object.keys(GENERIC_APPS).sort()).toEqual(['boxnet', 'dropbox_for_business', 'google', 'office365', 'salesforce', 'servicenow_app2', 'slack', 'zendesk', 'zoomus', 'zscalerbyz']);
    for (const [name, entry] of Object.entries(GENERIC_APPS)) {
      expect(name).toBe(name.toLowerCase());
      expect(entry.connection.filter((c) => isSecretKey(c.key))).toEqual([]);
      // Every re-auth ends in Okta's own check of the credential: a vendor's Authenticate button or Test API Credentials.
      expect(entry.reauth).toMatch(/Authenticate with|Test API Credentials/);
    }
    expect(genericAppOf('Slack')?.vendor).toBe('Slack');
    expect(genericAppOf('docusign')).toBeUndefined();
    expect(genericAppOf('toString')).toBeUndefined();
  });

  it.each(['token', 'apiToken', 'adminPassword', 'password', 'clientSecret', 'apiKey', 'api_key', 'privateKey', 'accessKey', 'bearer', 'credentials'])('takes %s for a secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['domain', 'subDomain', 'companySubDomain', 'loginURL', 'instanceType', 'msftTenant'])('reads %s as a connection setting', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('a common app without a vendor module (Zendesk)', () => {
  const app = appOf('zendesk', 'Zendesk Support');

  it("says from Okta's side what Okta holds, and calls nothing", async () => {
    const probe = await probeOf(app, { companySubDomain: 'acme-help', ...secretSettings });
    expect(probe).toMatchObject({ vendor: 'generic', probed: false, findings: [], values: { connection: { companySubDomain: 'acme-help' } } });
    expect(probe.evidence).toEqual([
      expect.stringMatching(/^Okta: Zendesk Support is Okta's Zendesk integration \(zendesk\), which holds a Zendesk admin's email and password, or the email followed by \/token and an API token/),
      'Okta: the Zendesk subdomain Okta holds is "acme-help" (settings.app.companySubDomain).',
      'Okta: settings.app also holds adminPassword, apiKey, apiToken, bearer_token, clientSecret, privateKey, not shown (secrets).',
    ]);
    expect(probe.hints[0]).toMatch(/has no vendor module/);
    expect(probe.hints[1]).toMatch(/Nothing was checked at Zendesk itself/);
  });

  it('says exactly what to check, in order: the admin account, its password or token, the subdomain Okta holds, then the re-auth', async () => {
    const d = withVendorProbe(failing(app), await probeOf(app, { companySubDomain: 'acme-help' }));
    const top = d.causes[0]!;
    expect(top.id).toBe('credential-invalid');
    expect(top.evidence).toContain('Okta: the Zendesk subdomain Okta holds is "acme-help" (settings.app.companySubDomain).');
    expect(top.steps).toHaveLength(6);
    const [admin, secret, address, open, reauth, done] = top.steps as [string, string, string, string, string, string];
    expect(admin).toMatch(/^In Zendesk, check that the admin whose email Okta holds as Username still exists and is still an admin/);
    expect(secret).toMatch(/password was not changed .* API token Okta holds is still active in Zendesk/);
    expect(address).toContain('the Zendesk subdomain Okta holds ("acme-help", https://acme-help.zendesk.com)');
    expect(open).toBe(`Open Zendesk Support in the Okta Admin Console (${app.provisioningUrl}), Provisioning > Integration > Edit.`);
    expect(reauth).toMatch(/Username \(followed by \/token when you use an API token\).*Test API Credentials/);
    expect(done).toBe('Save, then tell the pipeline: npx okta-remediate reauth-done --app 0oaGENERIC1 --by <your email>');
  });

  it("says when Okta's app lacks the subdomain, and names it without a value before the probe", async () => {
    const missing = causeSteps('credential-invalid', app, (await probeOf(app, {})).values);
    expect(missing[2]).toBe("Okta's app shows no Zendesk subdomain: enter it on the app's General tab in Okta, as Zendesk shows it now.");
    expect((await probeOf(app, {})).evidence).toContain('Okta: the app shows no Zendesk subdomain (settings.app.companySubDomain).');
    const before = failing(app).causes[0]!.steps;
    expect(before[2]).toMatch(/^Check that the Zendesk subdomain Okta holds is your Zendesk account's current subdomain/);
  });

  it('never repeats a secret: not a secret-looking setting, nor the user, password or query of a URL it shows', async () => {
    const servicenow = appOf('servicenow_app2', 'ServiceNow');
    const url = `https://okta-admin:${SECRET}@acme.service-now.com/navpage.do?token=${SECRET}#${SECRET}`;
    for (const [target, settings] of [
      [app, { companySubDomain: 'acme-help', ...secretSettings }],
      [servicenow, { loginURL: url, ...secretSettings }],
      [appOf('slack', 'Slack'), { domain: 'acme', token: SECRET, ...secretSettings }],
    ] as const) {
      const probe = await probeOf(target, settings);
      const d = withVendorProbe(failing(target), probe);
      expect(JSON.stringify({ probe, d })).not.toContain(SECRET);
      expect(probe.evidence.join('\n')).toMatch(/adminPassword.*apiToken/);
    }
    const probe = await probeOf(servicenow, { loginURL: url });
    expect(probe.values).toEqual({ connection: { loginURL: 'https://acme.service-now.com/navpage.do' } });
  });

  it('keeps the DocuSign and GitHub steps their own', () => {
    expect(causeSteps('credential-invalid', { ...appOf('docusign', 'DocuSign'), vendor: 'docusign' }, {}).join(' ')).toContain('API Account ID');
    expect(causeSteps('credential-invalid', { ...appOf('githubcloud', 'GitHub'), vendor: 'github' }, {}).join(' ')).toContain('Re-authenticate with GitHub');
  });
});

describe('an app outside the table', () => {
  const app = appOf('acme_custom_scim', 'Acme HR');

  it('keeps the generic hint and steps, and shows nothing of its settings', async () => {
    const probe = await probeOf(app, { baseUrl: 'https://hr.example.com/scim', ...secretSettings });
    expect(probe).toMatchObject({ probed: false, findings: [], evidence: [], values: {} });
    expect(probe.hints).toEqual(["Acme HR has no vendor module: the diagnosis uses Okta's records only."]);
    const d = withVendorProbe(failing(app), probe);
    expect(d.causes[0]!.steps).toEqual([
      `Open Acme HR in the Okta Admin Console (${app.provisioningUrl}), Provisioning > Integration > Edit.`,
      'Enter a current API credential for Acme HR (or click its Authenticate button) and test it.',
      'Save, then tell the pipeline: npx okta-remediate reauth-done --app 0oaGENERIC1 --by <your email>',
    ]);
    expect(JSON.stringify(d)).not.toContain(SECRET);
  });
});

describe('a seeded Slack app, diagnosed through the simulated Okta', () => {
  let sim: OktaSim;
  afterEach(() => sim.stop());

  it("names Slack's checks with the domain Okta holds, and never its token", async () => {
    sim = new OktaSim({ syncDelayMs: 20 });
    await sim.start();
    const appId = sim.addApp({ name: 'slack', label: 'Slack', appSettings: { domain: 'acme-corp', userEmailValue: 'Email', apiToken: `xoxp-${SECRET}` } });
    const ann = sim.addUser({ login: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' });
    const bob = sim.addUser({ login: 'bob@example.com', firstName: 'Bob', lastName: 'Ng' });
    sim.assignUser(appId, ann);
    sim.breakCredential(appId);
    sim.assignUser(appId, bob); // fails: ERROR

    const activities = createActivities({
      okta: createOktaClient({ orgUrl: sim.url, auth: { mode: 'SSWS', token: sim.apiToken }, requestTimeoutMs: 5_000 }),
      orgUrl: sim.url,
      appConfig: parseAppConfig({}),
      vendors: {},
      lookbackHours: 24,
      sync: { timeoutMs: 5_000, pollMs: 20 },
    });
    const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> => new MockActivityEnvironment(undefined, { logger: testLogger }).run(fn, ...args) as Promise<R>;
    const okta = await run(activities.diagnoseApp, { appId });
    const probe = await run(activities.probeVendor, { appId, credentialFailing: okta.credentialFailing });
    const d = withVendorProbe(okta, probe);

    expect(d.app).toMatchObject({ name: 'slack', vendor: 'generic' });
    expect(d.affected.map((a) => [a.kind, a.login])).toEqual([['push', 'bob@example.com']]);
    const top = d.causes[0]!;
    expect(top.id).toBe('credential-invalid');
    expect(top.evidence).toContain('Okta: the Slack domain Okta holds is "acme-corp" (settings.app.domain).');
    expect(top.evidence).toContain('Okta: settings.app also holds apiToken, not shown (a secret).');
    const steps = top.steps.join('\n');
    expect(steps).toContain('In Slack, check that the Owner or Admin who authorized Okta still has an active account');
    expect(steps).toContain('the Slack domain Okta holds ("acme-corp", https://acme-corp.slack.com)');
    expect(steps).toContain(`/admin/app/slack/instance/${appId}/`);
    expect(steps).toContain('Click "Authenticate with Slack"');
    expect(steps).toContain(`reauth-done --app ${appId}`);
    expect(JSON.stringify(d)).not.toContain(SECRET);
  });
});
