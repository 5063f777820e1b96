/**
 * Every cause the DocuSign and GitHub support articles name, played in the simulated world: the
 * remediation's diagnosis names it first, with its evidence and this app's values in the steps.
 */
import { confirmReauth, startRemediation } from '../../client/remediations';
import type { CauseId, RemediationStatus } from '../../domain/types';
import { DOCUSIGN_CAUSES, GITHUB_CAUSES, type DocuSignCause, type GitHubCause } from '../../sim/world';
import { pipelineVendors, startWorldHarness, type WorldHarness } from '../support/world-harness';

let h: WorldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function diagnosisOf(appId: string): Promise<RemediationStatus> {
  await startRemediation(h!.client, h!.taskQueue, { appId });
  return h!.waitForPhase(appId, 'awaiting_reauth');
}

const DOCUSIGN_EXPECTED: Record<DocuSignCause, { cause: CauseId; evidence: RegExp }> = {
  account_id_mismatch: { cause: 'docusign-account-id-mismatch', evidence: /is not among the production accounts/ },
  environment_mismatch: { cause: 'docusign-environment-mismatch', evidence: /is an account of the demo environment/ },
  admin_not_admin: { cause: 'docusign-admin-not-admin', evidence: /not an admin/ },
  admin_closed: { cause: 'docusign-admin-closed', evidence: /is closed/ },
  grant_revoked: { cause: 'docusign-grant-revoked', evidence: /all check out/ },
};

// saml_missing is known only from the service account's own token (its own tests below).
const GITHUB_EXPECTED: Record<Exclude<GitHubCause, 'saml_missing'>, { cause: CauseId; evidence: RegExp }> = {
  account_deleted: { cause: 'github-account-unavailable', evidence: /deleted or suspended/ },
  account_suspended: { cause: 'github-account-unavailable', evidence: /deleted or suspended/ },
  username_changed: { cause: 'github-username-changed', evidence: /is now called/ },
  not_owner: { cause: 'github-not-owner', evidence: /not an active owner|not a member/ },
  token_revoked: { cause: 'github-token-revoked', evidence: /revoked or expired/ },
  token_expired: { cause: 'github-token-revoked', evidence: /revoked or expired|expired at/ },
  password_changed: { cause: 'github-token-revoked', evidence: /revoked or expired/ },
};

describe('DocuSign diagnosis', () => {
  it.each(DOCUSIGN_CAUSES)('names %s first, with evidence and the steps filled in', async (cause) => {
    h = await startWorldHarness({ breakWith: (w) => w.breakDocuSign(cause) });
    const { docusign } = h.seeded;
    const status = await diagnosisOf(docusign.appId);
    const top = status.diagnosis!.causes[0]!;
    expect(top.id).toBe(DOCUSIGN_EXPECTED[cause].cause);
    expect(top.evidence.join('\n')).toMatch(DOCUSIGN_EXPECTED[cause].evidence);
    expect(top.evidence.join('\n')).toMatch(/The credentials used to connect to the API were invalid/); // Okta's side backs it
    const steps = top.steps.join('\n');
    expect(steps).toContain(docusign.adminEmail);
    expect(steps).toContain(`/admin/app/docusign/instance/${docusign.appId}/`);
    expect(steps).toContain('Provisioning > Integration > Edit');
    expect(steps).toContain(`reauth-done --app ${docusign.appId}`);
  });
});

describe('GitHub diagnosis', () => {
  it.each(GITHUB_CAUSES.filter((c) => c !== 'saml_missing'))('names %s first, with evidence and the steps filled in', async (cause) => {
    h = await startWorldHarness({ breakWith: (w) => w.breakGitHub(cause) });
    const { github } = h.seeded;
    const status = await diagnosisOf(github.appId);
    const top = status.diagnosis!.causes[0]!;
    expect(top.id).toBe(GITHUB_EXPECTED[cause].cause);
    expect(top.evidence.join('\n')).toMatch(GITHUB_EXPECTED[cause].evidence);
    const steps = top.steps.join('\n');
    expect(steps).toContain(github.org);
    expect(steps).toContain(`/admin/app/githubcloud/instance/${github.appId}/`);
    expect(steps).toContain(`reauth-done --app ${github.appId}`);
  });

  it("ranks a person's account holding the grant (a guess from its name) below the evidence", async () => {
    h = await startWorldHarness({ seed: { githubServiceAccountIsPerson: true }, breakWith: (w) => w.breakGitHub('password_changed') });
    const causes = (await diagnosisOf(h.seeded.github.appId)).diagnosis!.causes;
    expect(causes[0]!.id).toBe('github-token-revoked');
    const guess = causes.find((c) => c.id === 'github-not-dedicated')!;
    expect(guess.evidence.join('\n')).toContain(h.seeded.github.serviceAccount);
    expect(guess.confidence).toBeLessThan(causes.find((c) => c.id === 'credential-invalid')!.confidence);
  });

  it("saml_missing seen with an owner's token: SAML is a possible cause, never blocking, and a re-auth inside SSO verifies", async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakGitHub('saml_missing') });
    const app = h.seeded.github.appId;
    const d = (await diagnosisOf(app)).diagnosis!;
    // GitHub lists no OAuth grant to an owner: nothing it shows can tell a revoked token from one not authorized for SSO.
    expect(d.causes[0]!.id).toBe('github-token-revoked');
    const saml = d.causes.find((c) => c.id === 'github-saml-missing')!;
    expect(saml.evidence.join('\n')).toMatch(/uses SAML single sign-on/);
    expect(d.vendorProbe!.findings.find((f) => f.cause === 'github-saml-missing')).toMatchObject({ blocking: false, heuristic: true });
    h.world.reauthenticate(app);
    expect(await confirmReauth(h.client, app, { by: 'admin@example.com' })).toMatchObject({ verified: true });
  });

  it("takes a 403 with X-GitHub-SSO to the service account's own token as decisive", async () => {
    h = await startWorldHarness({
      breakWith: (w) => w.breakGitHub('saml_missing'),
      vendors: (w) => {
        const own = w.github.issueToken(w.seeded.github.serviceAccount, { kind: 'pat', scopes: ['admin:org', 'read:user'], samlAuthorizedOrgs: [] });
        return { ...pipelineVendors(w), github: { apiUrl: w.pipelineCredentials.github.apiUrl, token: own } };
      },
    });
    const status = await diagnosisOf(h.seeded.github.appId);
    expect(status.diagnosis!.causes[0]!).toMatchObject({ id: 'github-saml-missing', evidence: expect.arrayContaining([expect.stringMatching(/own request .* with 403 and X-GitHub-SSO/)]) });
    expect(status.diagnosis!.vendorProbe!.findings.find((f) => f.cause === 'github-saml-missing')!.blocking).toBe(true);
  });
});

describe("the pipeline's own access is a hint, never a blocking cause", () => {
  it("DocuSign: an account the pipeline's user cannot see does not refuse a correct re-auth", async () => {
    h = await startWorldHarness({
      breakWith: (w) => {
        w.breakDocuSign('grant_revoked');
        w.docusign.closeUser(w.pipelineCredentials.docusign.userId, w.seeded.docusign.apiAccountId);
      },
    });
    const app = h.seeded.docusign.appId;
    const status = await diagnosisOf(app);
    expect(status.diagnosis!.causes[0]!.id).toBe('credential-invalid');
    expect(status.diagnosis!.vendorProbe!.findings.every((f) => !f.blocking)).toBe(true);
    expect(status.diagnosis!.hints.join('\n')).toMatch(/make the pipeline's DocuSign user \(DOCUSIGN_USER_ID\) a member of it/);
    h.world.reauthenticate(app);
    expect(await confirmReauth(h.client, app, { by: 'admin@example.com' })).toMatchObject({ verified: true });
  });

  it('DocuSign: a refusal from the other environment is said, not read as a wrong account ID', async () => {
    h = await startWorldHarness({
      breakWith: (w) => {
        w.breakDocuSign('environment_mismatch');
        w.docusign.revokeConsent(w.pipelineCredentials.docusign.integrationKey, w.pipelineCredentials.docusign.demo.userId);
      },
      apps: (s) => ({ [s.docusign.appId]: { docusign: { adminEmail: s.docusign.adminEmail, environment: s.docusign.environment } } }),
    });
    const status = await diagnosisOf(h.seeded.docusign.appId);
    const d = status.diagnosis!;
    expect(d.hints.join('\n')).toMatch(/The demo environment could not be checked: DocuSign demo refused the pipeline's JWT grant .*DOCUSIGN_DEMO_USER_ID/);
    expect(d.causes.map((c) => c.id)).toContain('docusign-environment-mismatch');
    expect(d.vendorProbe!.findings.find((f) => f.cause === 'docusign-account-id-mismatch')!.blocking).toBe(false);
  });
});

describe('diagnosis without the vendor', () => {
  it("falls back to Okta's side and says which settings would sharpen it", async () => {
    h = await startWorldHarness({ noVendorCredentials: true, breakWith: (w) => w.breakDocuSign('admin_closed') });
    const status = await diagnosisOf(h.seeded.docusign.appId);
    expect(status.diagnosis!.causes[0]!.id).toBe('credential-invalid');
    expect(status.diagnosis!.hints.join('\n')).toMatch(/DOCUSIGN_INTEGRATION_KEY, DOCUSIGN_USER_ID and DOCUSIGN_PRIVATE_KEY/);
  });

  it('uses the generic path for an app with no vendor module', async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakGeneric() });
    const status = await diagnosisOf(h.seeded.generic.appId);
    expect(status.diagnosis!.app.vendor).toBe('generic');
    expect(status.diagnosis!.causes[0]!.id).toBe('credential-invalid');
    expect(status.diagnosis!.hints.join('\n')).toMatch(/no vendor module/);
  });
});

describe('vendor API failures', () => {
  it('absorbs GitHub 429 and 5xx and still names the cause', async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakGitHub('not_owner') });
    h.world.github.injectFault({ path: /\/users\//, status: 502, count: 2 });
    h.world.github.injectFault({ path: /\/memberships\//, status: 429, count: 1 });
    const status = await diagnosisOf(h.seeded.github.appId);
    expect(status.diagnosis!.causes[0]!.id).toBe('github-not-owner');
  });

  // (DocuSign's 429 carries its hourly reset, which the pipeline honours: too slow for a test.)
  it('absorbs DocuSign 5xx and still names the cause', async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakDocuSign('admin_not_admin') });
    h.world.docusign.injectFault({ path: /\/users/, status: 503, count: 1 });
    h.world.docusign.injectFault({ path: /\/users/, status: 500, count: 1 });
    const status = await diagnosisOf(h.seeded.docusign.appId);
    expect(status.diagnosis!.causes[0]!.id).toBe('docusign-admin-not-admin');
  });

  it('treats a refused pipeline token (401) as "not probed", naming the setting', async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakGitHub('not_owner') });
    h.world.github.injectFault({ path: /^\/user$/, status: 401, count: 1 });
    const status = await diagnosisOf(h.seeded.github.appId);
    expect(status.diagnosis!.vendorProbe?.probed).toBe(false);
    expect(status.diagnosis!.causes[0]!.id).toBe('credential-invalid');
    expect(status.diagnosis!.hints.join('\n')).toMatch(/GitHub refused the pipeline's token \(HTTP 401.*check GITHUB_TOKEN/);
  });

  it("says so when GitHub answers 403 with X-GitHub-SSO: the pipeline's token lacks SAML authorization", async () => {
    h = await startWorldHarness({
      breakWith: (w) => w.breakGitHub('token_revoked'),
      vendors: (w) => {
        const token = w.github.issueToken(w.pipelineCredentials.github.login, { scopes: ['admin:org', 'read:user'], samlAuthorizedOrgs: [] });
        return { ...pipelineVendors(w), github: { apiUrl: w.pipelineCredentials.github.apiUrl, token } };
      },
    });
    const status = await diagnosisOf(h.seeded.github.appId);
    expect(status.diagnosis!.hints.join('\n')).toMatch(/Authorize the pipeline's GitHub token for .*SAML single sign-on \(GitHub answered 403 with X-GitHub-SSO\)/);
  });

  // The pipeline's own token is accepted but may not see what the probe reads: its setting, never the app's cause.
  const vendorCauses = (causes: { id: string }[]) => causes.map((c) => c.id).filter((id) => id.startsWith('github-') || id.startsWith('docusign-'));

  it("GitHub: a pipeline token without read:org is the pipeline's setting, not a cause of the app's", async () => {
    h = await startWorldHarness({
      breakWith: (w) => w.breakGitHub('not_owner'),
      vendors: (w) => {
        const token = w.github.issueToken(w.pipelineCredentials.github.login, { kind: 'pat', scopes: ['read:user'], samlAuthorizedOrgs: [w.seeded.github.org] });
        return { ...pipelineVendors(w), github: { apiUrl: w.pipelineCredentials.github.apiUrl, token } };
      },
    });
    const d = (await diagnosisOf(h.seeded.github.appId)).diagnosis!;
    expect(d.vendorProbe!.probed).toBe(false);
    expect(d.causes[0]!.id).toBe('credential-invalid');
    expect(vendorCauses(d.causes)).toEqual([]);
    expect(d.hints.join('\n')).toMatch(/The pipeline's GitHub token has no read:org \(its scopes: read:user\).*check GITHUB_TOKEN/);
  });

  it("GitHub: a pipeline token of an account outside the organization is the pipeline's setting", async () => {
    h = await startWorldHarness({
      breakWith: (w) => {
        w.breakGitHub('not_owner');
        w.github.removeMembership(w.seeded.github.org, w.pipelineCredentials.github.login);
      },
    });
    const { org } = h.seeded.github;
    const d = (await diagnosisOf(h.seeded.github.appId)).diagnosis!;
    expect(d.vendorProbe!.probed).toBe(false);
    expect(d.causes[0]!.id).toBe('credential-invalid');
    expect(vendorCauses(d.causes)).toEqual([]);
    expect(d.hints.join('\n')).toMatch(
      new RegExp(`GitHub shows the pipeline's account \\(${h.world.pipelineCredentials.github.login}\\) no membership in ${org}.*GITHUB_TOKEN \\(an owner of the organization`),
    );
  });

  it('GitHub: a pipeline token of a member who is no owner still reads memberships, and says the token cannot remove people', async () => {
    h = await startWorldHarness({
      breakWith: (w) => {
        w.breakGitHub('not_owner');
        w.github.setMembership(w.seeded.github.org, w.pipelineCredentials.github.login, 'member');
      },
    });
    const d = (await diagnosisOf(h.seeded.github.appId)).diagnosis!;
    // A member sees other members' roles: that evidence is GitHub's, not the pipeline's setting.
    expect(d.causes[0]!.id).toBe('github-not-owner');
    expect(d.hints.join('\n')).toMatch(
      new RegExp(`${h.world.pipelineCredentials.github.login}, the pipeline's GitHub account, is a member of ${h.seeded.github.org}, not an owner: it cannot remove people.*GITHUB_TOKEN`),
    );
  });

  it("GitHub: an owner's token with read:org but no admin:org diagnoses, and says it cannot remove people", async () => {
    h = await startWorldHarness({
      breakWith: (w) => w.breakGitHub('not_owner'),
      vendors: (w) => {
        const token = w.github.issueToken(w.pipelineCredentials.github.login, { kind: 'pat', scopes: ['read:org', 'read:user'], samlAuthorizedOrgs: [w.seeded.github.org] });
        return { ...pipelineVendors(w), github: { apiUrl: w.pipelineCredentials.github.apiUrl, token } };
      },
    });
    const d = (await diagnosisOf(h.seeded.github.appId)).diagnosis!;
    expect(d.vendorProbe!.probed).toBe(true);
    expect(d.causes[0]!.id).toBe('github-not-owner');
    expect(d.hints.join('\n')).toMatch(/The pipeline's GitHub token has no admin:org \(its scopes: read:org, read:user\).*cannot remove people.*GITHUB_TOKEN/);
  });

  it.each(['admin_not_admin', 'account_id_mismatch'] as const)("DocuSign (%s): a pipeline user who is no admin of the account is the pipeline's setting, not a cause of the app's", async (cause) => {
    h = await startWorldHarness({
      breakWith: (w) => {
        w.breakDocuSign(cause);
        w.docusign.setAdmin(w.pipelineCredentials.docusign.userId, false, w.seeded.docusign.apiAccountId);
      },
      // Only the API Account ID Okta holds: a configured one that differs would be a cause of its own.
      apps: (s) => ({ [s.docusign.appId]: { docusign: { adminEmail: s.docusign.adminEmail, environment: s.docusign.environment } } }),
    });
    const d = (await diagnosisOf(h.seeded.docusign.appId)).diagnosis!;
    expect(d.vendorProbe!.probed).toBe(false);
    expect(d.causes[0]!.id).toBe('credential-invalid');
    expect(vendorCauses(d.causes)).toEqual([]);
    const hints = d.hints.join('\n');
    expect(hints).toContain('USER_LACKS_PERMISSIONS');
    expect(hints).toMatch(new RegExp(`make the pipeline's DocuSign user \\(DOCUSIGN_USER_ID\\) an admin of account ${h.seeded.docusign.apiAccountId}`));
  });
});

describe('a vendor that cannot be checked', () => {
  it("diagnoses from Okta's side, says why, and keeps waiting instead of failing", async () => {
    h = await startWorldHarness({ breakWith: (w) => w.breakGitHub('not_owner') });
    h.world.github.injectFault({ path: /\/memberships\//, status: 401, count: 1 });
    const status = await diagnosisOf(h.seeded.github.appId);
    expect(status.diagnosis!.causes[0]!.id).toBe('credential-invalid');
    expect(status.diagnosis!.hints.join('\n')).toMatch(/The vendor could not be checked: .*GitHub refused the pipeline's credential/);
  });
});
