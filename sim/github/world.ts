/**
 * The simulated GitHub: accounts, organizations, memberships, OAuth tokens and each org's SCIM
 * identities. Logins are case-insensitive and share one namespace across users and orgs, like
 * GitHub's; everything else refers to accounts by numeric id, so a rename frees the old login
 * while tokens, memberships and SCIM links follow the account.
 */
import { oauthClientId, oauthToken, personalAccessToken } from './ids';
import { ScimDirectory } from './scim';

export interface UserSeed {
  login: string;
  name?: string;
  email?: string;
  type?: 'User';
  /** A dedicated machine account (GitHub has no such flag; the simulator remembers it for tests). */
  serviceAccount?: boolean;
}

export interface OrgSeed {
  login: string;
  samlEnforced?: boolean;
}

export type OrgRole = 'admin' | 'member';
export type MembershipState = 'active' | 'pending';

/** An OAuth app's user token (`gho_`) or a personal access token, classic (`ghp_`). */
export type TokenKind = 'oauth' | 'pat';

export interface TokenOptions {
  /** Default ['admin:org', 'read:user']. */
  scopes?: string[];
  expiresAt?: Date;
  /** Orgs (logins) whose SAML SSO the token has been authorized for. */
  samlAuthorizedOrgs?: string[];
  /** Default 'oauth'. */
  kind?: TokenKind;
  /** The OAuth app that holds an 'oauth' token (default a made-up app). */
  application?: { name: string; clientId?: string };
  /** What the owner called a personal access token. */
  note?: string;
  /** When it was issued (and SSO-authorized): default now; earlier for a world with a past. */
  issuedAt?: Date;
}

export interface UserRecord {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  type: 'User';
  serviceAccount: boolean;
  suspendedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrgRecord {
  id: number;
  login: string;
  samlEnforced: boolean;
  createdAt: Date;
  updatedAt: Date;
  members: Map<number, Membership>;
  scim: ScimDirectory;
}

export interface Membership {
  role: OrgRole;
  state: MembershipState;
}

export type Invalidation = 'revoked' | 'expired' | 'password_changed';

/** An owner's "Authorize" of one credential for one org's SAML SSO. */
export interface SamlAuthorization {
  /** authorized_credential_id in the credential-authorizations API. */
  id: number;
  authorizedAt: Date;
}

export interface TokenRecord {
  value: string;
  /** credential_id in the credential-authorizations API. */
  id: number;
  kind: TokenKind;
  userId: number;
  scopes: readonly string[];
  issuedAt: Date;
  expiresAt?: Date;
  /** Keyed by org id. */
  samlAuthorizations: Map<number, SamlAuthorization>;
  application?: { name: string; clientId: string };
  note?: string;
  /** When a request last presented the token. */
  lastUsedAt?: Date;
  invalidated?: Invalidation;
  invalidatedAt?: Date;
}

/** What presenting a token gets you. Deleted accounts' tokens are simply unknown to GitHub. */
export type TokenCheck =
  { kind: 'valid'; token: TokenRecord; user: UserRecord } | { kind: 'suspended'; token: TokenRecord; user: UserRecord } | { kind: 'invalid'; why: 'unknown' | 'user_deleted' | Invalidation };

export const DEFAULT_SCOPES: readonly string[] = ['admin:org', 'read:user'];

// GitHub's rule: alphanumerics and single inner hyphens, at most 39 characters.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export class World {
  private nextId = 1;
  /** Credentials and their SSO authorizations have their own id sequences, as on GitHub. */
  private nextCredentialId = 1_000_001;
  private nextAuthorizationId = 2_000_001;
  private readonly users = new Map<number, UserRecord>();
  private readonly orgs = new Map<number, OrgRecord>();
  /** Lower-cased login -> account id, for users and orgs alike. */
  private readonly logins = new Map<string, { kind: 'user' | 'org'; id: number }>();
  private readonly tokens = new Map<string, TokenRecord>();

  addUser(seed: UserSeed, now = new Date()): number {
    this.claimLogin(seed.login);
    const id = this.nextId++;
    this.users.set(id, {
      id,
      login: seed.login,
      name: seed.name ?? null,
      email: seed.email ?? null,
      type: seed.type ?? 'User',
      serviceAccount: seed.serviceAccount ?? false,
      createdAt: now,
      updatedAt: now,
    });
    this.logins.set(seed.login.toLowerCase(), { kind: 'user', id });
    return id;
  }

  addOrg(seed: OrgSeed, now = new Date()): number {
    this.claimLogin(seed.login);
    const id = this.nextId++;
    this.orgs.set(id, {
      id,
      login: seed.login,
      samlEnforced: seed.samlEnforced ?? false,
      createdAt: now,
      updatedAt: now,
      members: new Map(),
      scim: new ScimDirectory(),
    });
    this.logins.set(seed.login.toLowerCase(), { kind: 'org', id });
    return id;
  }

  user(login: string): UserRecord | undefined {
    const entry = this.logins.get(login.toLowerCase());
    return entry?.kind === 'user' ? this.users.get(entry.id) : undefined;
  }

  /** Matches the account's (public) email without case; SCIM provisioning links accounts this way. */
  userByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === wanted);
  }

  userById(id: number): UserRecord | undefined {
    return this.users.get(id);
  }

  org(login: string): OrgRecord | undefined {
    const entry = this.logins.get(login.toLowerCase());
    return entry?.kind === 'org' ? this.orgs.get(entry.id) : undefined;
  }

  orgById(id: number): OrgRecord | undefined {
    return this.orgs.get(id);
  }

  /** For the world-steering methods: a missing account is a mistake in the test, not a 404. */
  requireUser(login: string): UserRecord {
    const user = this.user(login);
    if (!user) throw new Error(`GitHubSim: no user '${login}'`);
    return user;
  }

  requireOrg(login: string): OrgRecord {
    const org = this.org(login);
    if (!org) throw new Error(`GitHubSim: no organization '${login}'`);
    return org;
  }

  setMembership(orgLogin: string, login: string, role: OrgRole, state: MembershipState = 'active'): void {
    const org = this.requireOrg(orgLogin);
    org.members.set(this.requireUser(login).id, { role, state });
  }

  removeMembership(orgLogin: string, login: string): void {
    this.requireOrg(orgLogin).members.delete(this.requireUser(login).id);
  }

  issueToken(login: string, opts: TokenOptions = {}, now = opts.issuedAt ?? new Date()): string {
    const user = this.requireUser(login);
    const kind = opts.kind ?? 'oauth';
    const value = kind === 'pat' ? personalAccessToken() : oauthToken();
    const token: TokenRecord = {
      value,
      id: this.nextCredentialId++,
      kind,
      userId: user.id,
      scopes: [...(opts.scopes ?? DEFAULT_SCOPES)],
      issuedAt: now,
      ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
      samlAuthorizations: new Map(),
      ...(kind === 'oauth' ? { application: { name: opts.application?.name ?? 'Simulated OAuth App', clientId: opts.application?.clientId ?? oauthClientId() } } : {}),
      ...(opts.note !== undefined ? { note: opts.note } : {}),
    };
    this.tokens.set(value, token);
    for (const org of opts.samlAuthorizedOrgs ?? []) this.authorizeSaml(value, org, now);
    return value;
  }

  /** The owner authorizes an existing token for an org's SAML SSO (the "Authorize" button). */
  authorizeSaml(value: string, orgLogin: string, now = new Date()): void {
    const token = this.requireToken(value);
    const org = this.requireOrg(orgLogin);
    if (!token.samlAuthorizations.has(org.id)) token.samlAuthorizations.set(org.id, { id: this.nextAuthorizationId++, authorizedAt: now });
  }

  /**
   * An org owner revokes a personal access token's SSO authorization (People > SAML identity, or
   * DELETE /orgs/{org}/credential-authorizations/{id}). GitHub gives owners no such control over
   * OAuth app tokens, so neither does the simulator.
   */
  revokeSamlAuthorization(value: string, orgLogin: string): void {
    const token = this.requireToken(value);
    if (token.kind === 'oauth') throw new Error('GitHubSim: organization owners cannot revoke the SSO authorization of an OAuth app token');
    token.samlAuthorizations.delete(this.requireOrg(orgLogin).id);
  }

  /**
   * The org's SAML SSO authorizations of personal access tokens that still work or ran out of
   * time: revoking a token takes its authorization away; a deleted account takes its credentials
   * with it. OAuth app tokens (Okta's grant) are never listed: GitHub lists "personal access tokens
   * or SSH keys" here (REST docs, "List SAML SSO authorizations for an organization").
   */
  credentialAuthorizations(org: OrgRecord): Array<{ token: TokenRecord; user: UserRecord; authorization: SamlAuthorization }> {
    const out: Array<{ token: TokenRecord; user: UserRecord; authorization: SamlAuthorization }> = [];
    for (const token of this.tokens.values()) {
      const authorization = token.samlAuthorizations.get(org.id);
      const user = this.users.get(token.userId);
      if (token.kind === 'oauth' || !authorization || !user || (token.invalidated && token.invalidated !== 'expired')) continue;
      out.push({ token, user, authorization });
    }
    return out.sort((a, b) => a.authorization.id - b.authorization.id);
  }

  revokeToken(value: string): void {
    this.invalidate(this.requireToken(value), 'revoked');
  }

  expireToken(value: string): void {
    this.invalidate(this.requireToken(value), 'expired');
  }

  renameUser(oldLogin: string, newLogin: string, now = new Date()): void {
    const user = this.requireUser(oldLogin);
    if (oldLogin.toLowerCase() !== newLogin.toLowerCase()) this.claimLogin(newLogin);
    else if (!LOGIN.test(newLogin)) throw new Error(`GitHubSim: '${newLogin}' is not a valid GitHub login`);
    this.logins.delete(oldLogin.toLowerCase());
    this.logins.set(newLogin.toLowerCase(), { kind: 'user', id: user.id });
    user.login = newLogin;
    user.updatedAt = now;
  }

  suspendUser(login: string, now = new Date()): void {
    this.requireUser(login).suspendedAt = now;
  }

  unsuspendUser(login: string): void {
    delete this.requireUser(login).suspendedAt;
  }

  /**
   * The account and its memberships go (its tokens stop working because their owner is gone);
   * SCIM identities that pointed at it stay, unlinked, as they do on GitHub.
   */
  deleteUser(login: string): void {
    const user = this.requireUser(login);
    this.users.delete(user.id);
    this.logins.delete(user.login.toLowerCase());
    for (const org of this.orgs.values()) {
      org.members.delete(user.id);
      org.scim.unlinkUser(user.id);
    }
  }

  changePassword(login: string): void {
    const user = this.requireUser(login);
    for (const token of this.tokens.values()) if (token.userId === user.id) this.invalidate(token, 'password_changed');
  }

  checkToken(value: string, now = new Date()): TokenCheck {
    const token = this.tokens.get(value);
    if (!token) return { kind: 'invalid', why: 'unknown' };
    if (token.invalidated) return { kind: 'invalid', why: token.invalidated };
    if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return { kind: 'invalid', why: 'expired' };
    const user = this.users.get(token.userId);
    if (!user) return { kind: 'invalid', why: 'user_deleted' };
    return user.suspendedAt ? { kind: 'suspended', token, user } : { kind: 'valid', token, user };
  }

  membership(org: OrgRecord, userId: number): Membership | undefined {
    return org.members.get(userId);
  }

  /** Memberships that count for access: pending invitations grant nothing. */
  isActiveMember(org: OrgRecord, userId: number): boolean {
    return org.members.get(userId)?.state === 'active';
  }

  isOwner(org: OrgRecord, userId: number): boolean {
    const m = org.members.get(userId);
    return m?.state === 'active' && m.role === 'admin';
  }

  private invalidate(token: TokenRecord, why: Invalidation, now = new Date()): void {
    // The first cause sticks: a revoked token does not become "expired" later.
    if (token.invalidated) return;
    token.invalidated = why;
    token.invalidatedAt = now;
  }

  private requireToken(value: string): TokenRecord {
    const token = this.tokens.get(value);
    if (!token) throw new Error('GitHubSim: unknown token');
    return token;
  }

  private claimLogin(login: string): void {
    if (!LOGIN.test(login)) throw new Error(`GitHubSim: '${login}' is not a valid GitHub login`);
    if (this.logins.has(login.toLowerCase())) throw new Error(`GitHubSim: login '${login}' is taken`);
  }
}
