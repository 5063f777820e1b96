/**
 * The simulated DocuSign state for both environments: accounts, logins, memberships, integration
 * keys with their consents, and issued access tokens. Pure state and rules, no HTTP: the routes,
 * the Okta-integration verdict and the public class all read the same world.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { accessToken, externalAccountId, GUID, guid } from './ids';
import type { Account, AccountUser, Environment, Identity, Membership, MembershipStatus } from './types';
import { ENVIRONMENTS } from './types';

export interface IntegrationKey {
  integrationKey: string;
  name: string;
  /** Environments where the key exists (a demo key reaches production only after go-live). */
  environments: Environment[];
  publicKeys: KeyObject[];
}

export interface IssuedToken {
  token: string;
  userId: string;
  integrationKey: string;
  environment: Environment;
  scopes: string[];
  expiresAt: number;
}

export interface AccountSeed {
  accountId?: string;
  name: string;
  environment: Environment;
}

export interface UserSeed {
  email: string;
  userName: string;
  isAdmin?: boolean;
  status?: MembershipStatus;
}

export interface IntegrationKeyOptions {
  integrationKey?: string;
  name?: string;
  environments?: Environment[];
}

export class World {
  private readonly accounts = new Map<string, Account>();
  private readonly identities = new Map<string, Identity>();
  /** Keyed by `accountId userId`; insertion order is the order users are listed in. */
  private readonly memberships = new Map<string, Membership>();
  private readonly keys = new Map<string, IntegrationKey>();
  /** Consented `integrationKey userId` pairs (individual consent to signature + impersonation). */
  private readonly consents = new Set<string>();
  private readonly tokens = new Map<string, IssuedToken>();

  addAccount(seed: AccountSeed): string {
    const accountId = (seed.accountId ?? guid()).toLowerCase();
    if (!GUID.test(accountId)) throw new Error(`accountId must be a GUID, got ${seed.accountId}`);
    if (!ENVIRONMENTS.includes(seed.environment)) throw new Error(`unknown environment ${seed.environment}`);
    if (this.accounts.has(accountId)) throw new Error(`account ${accountId} already exists`);
    this.accounts.set(accountId, { accountId, externalAccountId: externalAccountId(), name: seed.name, environment: seed.environment, createdAt: new Date() });
    return accountId;
  }

  /** By API Account ID (any case) or by the numeric account number, as DocuSign's paths accept both. */
  findAccount(idOrNumber: string): Account | undefined {
    const byGuid = this.accounts.get(idOrNumber.toLowerCase());
    if (byGuid) return byGuid;
    for (const a of this.accounts.values()) if (a.externalAccountId === idOrNumber) return a;
    return undefined;
  }

  account(accountId: string): Account {
    const account = this.findAccount(accountId);
    if (!account) throw new Error(`no DocuSign account ${accountId}`);
    return account;
  }

  identity(userId: string): Identity | undefined {
    return this.identities.get(userId.toLowerCase());
  }

  /** The login with this email in this environment: the same person has a different login per environment. */
  identityByEmail(environment: Environment, email: string): Identity | undefined {
    const wanted = email.toLowerCase();
    for (const i of this.identities.values()) if (i.environment === environment && i.email.toLowerCase() === wanted) return i;
    return undefined;
  }

  /** Adds a member; an email already known in the account's environment reuses that login (and user id). */
  addUser(accountId: string, seed: UserSeed): string {
    const account = this.account(accountId);
    const [first, ...rest] = seed.userName.trim().split(/\s+/);
    const identity = this.ensureIdentity(account.environment, seed.email, seed.userName, first ?? '', rest.join(' '));
    const key = membershipKey(account.accountId, identity.userId);
    if (this.memberships.has(key)) throw new Error(`${seed.email} is already a member of account ${account.accountId}`);
    const status = seed.status ?? 'active';
    this.memberships.set(key, {
      accountId: account.accountId,
      userId: identity.userId,
      isAdmin: seed.isAdmin ?? false,
      status,
      addedAt: new Date(),
      closedAt: status === 'closed' ? new Date() : undefined,
    });
    return identity.userId;
  }

  /** What a successful push from Okta does: create the member, or reopen a closed one. */
  provision(accountId: string, user: { email: string; firstName: string; lastName: string }): string {
    const account = this.account(accountId);
    const userName = `${user.firstName} ${user.lastName}`.trim();
    const identity = this.ensureIdentity(account.environment, user.email, userName, user.firstName, user.lastName);
    identity.firstName = user.firstName;
    identity.lastName = user.lastName;
    identity.userName = userName;
    const key = membershipKey(account.accountId, identity.userId);
    const existing = this.memberships.get(key);
    if (existing) {
      existing.status = 'active';
      existing.closedAt = undefined;
    } else {
      this.memberships.set(key, { accountId: account.accountId, userId: identity.userId, isAdmin: false, status: 'active', addedAt: new Date() });
    }
    return identity.userId;
  }

  /** Closes the member with this email; false when the account has no such member. */
  deprovision(accountId: string, email: string): boolean {
    const member = this.memberByEmail(accountId, email);
    if (!member) return false;
    this.close(member);
    return true;
  }

  close(membership: Membership): void {
    if (membership.status === 'closed') return;
    membership.status = 'closed';
    membership.closedAt = new Date();
  }

  /** The user's memberships, optionally in one account; throws when there is none to act on. */
  membershipsOf(userId: string, accountId?: string): Membership[] {
    const inAccount = accountId === undefined ? undefined : this.account(accountId).accountId;
    const found = [...this.memberships.values()].filter((m) => m.userId === userId.toLowerCase() && (inAccount === undefined || m.accountId === inAccount));
    if (found.length === 0) throw new Error(`user ${userId} is not a member of ${accountId ?? 'any account'}`);
    return found;
  }

  membership(accountId: string, userId: string): Membership | undefined {
    return this.memberships.get(membershipKey(accountId.toLowerCase(), userId.toLowerCase()));
  }

  memberByEmail(accountId: string, email: string): Membership | undefined {
    const account = this.account(accountId);
    const identity = this.identityByEmail(account.environment, email);
    return identity ? this.memberships.get(membershipKey(account.accountId, identity.userId)) : undefined;
  }

  membersOf(accountId: string): Membership[] {
    const id = this.account(accountId).accountId;
    return [...this.memberships.values()].filter((m) => m.accountId === id);
  }

  /** Accounts where the login is an active member: what /oauth/userinfo lists. */
  activeAccountsOf(userId: string): Account[] {
    return [...this.memberships.values()].filter((m) => m.userId === userId.toLowerCase() && m.status === 'active').map((m) => this.account(m.accountId));
  }

  view(m: Membership): AccountUser {
    const i = this.identities.get(m.userId);
    if (!i) throw new Error(`membership without a login: ${m.userId}`);
    return { userId: i.userId, accountId: m.accountId, email: i.email, userName: i.userName, firstName: i.firstName, lastName: i.lastName, isAdmin: m.isAdmin, status: m.status };
  }

  registerIntegrationKey(opts: IntegrationKeyOptions = {}): { integrationKey: string; privateKeyPem: string } {
    const integrationKey = (opts.integrationKey ?? guid()).toLowerCase();
    if (!GUID.test(integrationKey)) throw new Error(`integrationKey must be a GUID, got ${opts.integrationKey}`);
    if (this.keys.has(integrationKey)) throw new Error(`integration key ${integrationKey} already exists`);
    // DocuSign hands out a PKCS#1 ("BEGIN RSA PRIVATE KEY") 2048-bit key; keep the same shape.
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.keys.set(integrationKey, {
      integrationKey,
      name: opts.name ?? 'okta-remediation probe',
      environments: [...(opts.environments ?? ENVIRONMENTS)],
      publicKeys: [createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }))],
    });
    return { integrationKey, privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
  }

  integrationKey(integrationKey: string): IntegrationKey | undefined {
    return this.keys.get(integrationKey.toLowerCase());
  }

  grantConsent(integrationKey: string, userId: string): void {
    if (!this.integrationKey(integrationKey)) throw new Error(`no integration key ${integrationKey}`);
    if (!this.identity(userId)) throw new Error(`no DocuSign user ${userId}`);
    this.consents.add(consentKey(integrationKey, userId));
  }

  /** Stops new JWT grants; tokens already issued live out their hour, as issued tokens do. */
  revokeConsent(integrationKey: string, userId: string): void {
    this.consents.delete(consentKey(integrationKey, userId));
  }

  hasConsent(integrationKey: string, userId: string): boolean {
    return this.consents.has(consentKey(integrationKey, userId));
  }

  issueToken(t: Omit<IssuedToken, 'token'>): IssuedToken {
    const issued = { ...t, token: accessToken() };
    this.tokens.set(issued.token, issued);
    return issued;
  }

  /** The live token, or undefined when unknown or expired (expired ones are forgotten). */
  token(token: string, now = Date.now()): IssuedToken | undefined {
    const t = this.tokens.get(token);
    if (t && t.expiresAt <= now) {
      this.tokens.delete(token);
      return undefined;
    }
    return t;
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  private ensureIdentity(environment: Environment, email: string, userName: string, firstName: string, lastName: string): Identity {
    const existing = this.identityByEmail(environment, email);
    if (existing) return existing;
    const identity: Identity = { userId: guid(), environment, email, userName, firstName, lastName, createdAt: new Date() };
    this.identities.set(identity.userId, identity);
    return identity;
  }
}

function membershipKey(accountId: string, userId: string): string {
  return `${accountId} ${userId}`;
}

function consentKey(integrationKey: string, userId: string): string {
  return `${integrationKey.toLowerCase()} ${userId.toLowerCase()}`;
}
