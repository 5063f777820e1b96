/** The shared world's public vocabulary: what seeding returns and how the vendors' state reads. */

export const DOCUSIGN_CAUSES = ['account_id_mismatch', 'environment_mismatch', 'admin_not_admin', 'admin_closed', 'grant_revoked'] as const;
export type DocuSignCause = (typeof DOCUSIGN_CAUSES)[number];

export const GITHUB_CAUSES = ['account_deleted', 'account_suspended', 'username_changed', 'not_owner', 'token_revoked', 'token_expired', 'password_changed', 'saml_missing'] as const;
export type GitHubCause = (typeof GITHUB_CAUSES)[number];

export interface SeededAppBase {
  appId: string;
  label: string;
  /** Okta user ids whose pushes failed (app users in ERROR); filled in when the app is broken. */
  pushFailed: string[];
  /** Okta user ids unassigned while broken: gone from Okta, still active at the vendor. */
  deprovisionFailed: string[];
}

export interface SeededDocuSign extends SeededAppBase {
  /** The API Account ID an admin should enter in Okta (DocuSign Settings > Apps and Keys). */
  apiAccountId: string;
  /** The DocuSign admin who authenticated Okta. */
  adminEmail: string;
  /** Another active DocuSign admin of the account, who can re-authenticate when the first cannot. */
  backupAdminEmail: string;
  /** The DocuSign environment Okta authenticates against. */
  environment: 'production' | 'demo';
  /** An account of the other environment (the company's sandbox): typing it in Okta breaks pushes. */
  sandboxAccountId: string;
  /** A production account the admin does not belong to: typing it in Okta breaks pushes. */
  foreignAccountId: string;
}

export interface SeededGitHub extends SeededAppBase {
  org: string;
  /** The GitHub account whose OAuth grant Okta holds (a person when seeded with githubServiceAccountIsPerson). */
  serviceAccount: string;
  /** Its durable id: `GET /user/{account_id}` finds it after a rename. */
  serviceAccountId: number;
  /** The dedicated machine account that owns the org (meant to hold Okta's grant). */
  dedicatedServiceAccount: string;
  /** A person who owns the org. */
  personOwner: string;
}

export interface SeededWorld {
  docusign: SeededDocuSign;
  github: SeededGitHub;
  /** An app with no vendor behind it (name 'salesforce'): the generic path. */
  generic: SeededAppBase;
  /** Okta user ids by login. */
  users: Record<string, string>;
  /** Login of an Okta user assigned to no app, for the assign/deprovision round trip. */
  testUser: string;
}

export interface SeedOptions {
  /** Okta's GitHub grant belongs to a person ('jane-doe') instead of the dedicated service account; still healthy. */
  githubServiceAccountIsPerson?: boolean;
}

/** The vendor's verdict on the credential Okta holds; `cause` is the vendor simulator's code. */
export type WorldHealth = { ok: true } | { ok: false; cause: string; reason: string };

export type VendorAccess = 'active' | 'closed' | 'absent';

/** The pipeline's own vendor credentials, as the worker would be configured with them. */
export interface PipelineCredentials {
  docusign: {
    integrationKey: string;
    /** The pipeline's DocuSign user (an admin it impersonates through the JWT grant). */
    userId: string;
    privateKeyPem: string;
    oauthHost: string;
    restBaseUrl: string;
    environment: 'production' | 'demo';
    /** The same pipeline user's login in the other environment, to tell demo accounts apart. */
    demo: { userId: string; oauthHost: string; restBaseUrl: string };
  };
  /** An org owner's personal access token with admin:org (so auto-deprovision through SCIM can work). */
  github: { apiUrl: string; token: string; login: string };
}
