/** The example configuration the README shows is a valid one, and means what the README says. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAppConfig } from '../../config/app-config';

const FILE = path.resolve(__dirname, '../../okta-remediation.example.json');
const README = path.resolve(__dirname, '../../README.md');
const DOCUSIGN = '0oadJb42fa5Ow1hVIeCO';
const GITHUB = '0oatBGnglQhGxDFocP9E';
const HOUR = 3_600_000;

describe('okta-remediation.example.json', () => {
  const config = parseAppConfig(JSON.parse(readFileSync(FILE, 'utf8')), 'okta-remediation.example.json');

  it('defines its channels, with console always available', () => {
    expect(Object.keys(config.channels).sort()).toEqual(['console', 'it-admins', 'ops-hook', 'security-oncall']);
    expect(config.channels['security-oncall']).toMatchObject({ type: 'email', smtpUrlEnv: 'SMTP_URL' });
  });

  it('gives DocuSign the defaults plus its confirmers, test user and DocuSign identity', () => {
    const p = config.policy(DOCUSIGN);
    expect(p).toMatchObject({
      deprovisionPolicy: 'ask',
      testUser: 'okta.testuser@example.com',
      confirmers: ['alice.admin@example.com', 'bob.admin@example.com'],
      requireVerifiedIdentity: true, // confirmers are set: a name given is not enough
      notify: { primary: ['console', 'it-admins'], escalation: ['security-oncall'] },
      wait: { remindEveryMs: 24 * HOUR, escalateAfterReminders: 3, giveUpAfterMs: 14 * 24 * HOUR, autoDetect: true, autoDetectEveryMs: 15 * 60_000 },
    });
    expect(config.settings(DOCUSIGN).docusign).toMatchObject({ apiAccountId: 'b25d4f43-e00a-4d1e-8b60-b50626311d59', environment: 'production' });
  });

  it('lets GitHub override some wait settings and its primary list, inheriting the rest', () => {
    const p = config.policy(GITHUB);
    expect(p.deprovisionPolicy).toBe('auto');
    expect(p.confirmers).toEqual([]); // anyone may confirm
    expect(p.requireVerifiedIdentity).toBe(false);
    expect(p.wait).toEqual({ remindEveryMs: 4 * HOUR, escalateAfterReminders: 2, giveUpAfterMs: 14 * 24 * HOUR, autoDetect: true, autoDetectEveryMs: 15 * 60_000 });
    expect(p.notify).toEqual({ primary: ['console', 'ops-hook'], escalation: ['security-oncall'] });
    expect(config.settings(GITHUB).github).toMatchObject({ org: 'example-eng', serviceAccount: 'okta-scim-svc' });
  });

  it('with no file at all, the sensible defaults apply', () => {
    expect(parseAppConfig({}).policy(DOCUSIGN)).toEqual({
      vendor: undefined,
      deprovisionPolicy: 'ask',
      testUser: undefined,
      wait: { remindEveryMs: 24 * HOUR, escalateAfterReminders: 3, giveUpAfterMs: 14 * 24 * HOUR, autoDetect: true, autoDetectEveryMs: 15 * 60_000 },
      confirmers: [],
      requireVerifiedIdentity: false,
      notify: { primary: ['console'], escalation: [] },
    });
  });

  it("a worker whose apps take only signed-in admins needs the CLI's Okta app (OKTA_CLI_CLIENT_ID) to check them", () => {
    expect(config.signInRequiredBy()).toEqual([`apps.${DOCUSIGN}`]);
    const optedOut = parseAppConfig({ apps: { [DOCUSIGN]: { confirmers: ['alice.admin@example.com'], requireVerifiedIdentity: false } } });
    expect(optedOut.signInRequiredBy()).toEqual([]);
    expect(optedOut.policy(DOCUSIGN).requireVerifiedIdentity).toBe(false);
  });

  it('the excerpt in the README is a valid configuration too', () => {
    const readme = readFileSync(README, 'utf8');
    const block = readme.slice(readme.indexOf('okta-remediation.example.json`](')).match(/```json\n([\s\S]*?)\n```/)?.[1];
    expect(block).toBeDefined();
    const excerpt = parseAppConfig(JSON.parse(block!), 'README.md');
    expect(excerpt.policy(DOCUSIGN).confirmers).toEqual(['alice.admin@example.com', 'bob.admin@example.com']);
    expect(excerpt.policy(GITHUB).wait.remindEveryMs).toBe(4 * HOUR);
  });
});
