/**
 * The simulated org's state and its provisioning behaviour: users, app instances whose stored
 * vendor credential can go bad (a flag, or for an app linked to a vendor simulator the vendor's
 * verdict), app users and their syncState, and the System Log they write. Knows nothing about
 * HTTP; the routes and the OktaSim facade drive it.
 */
import { randomUUID } from 'node:crypto';
import { notFound, validationFailed } from './errors';
import { hex, OKTA_ID, oktaId } from './ids';
import { appUpdatedEvent, authenticationFailureEvent, credentialFailureMessage, membershipEvent, provisioningEvent, type ProvisioningEventType, type UserRef } from './log-events';
import { SystemLog } from './system-log';
import type { AppUserStatus, AppUserSyncState, SignOnMode } from './types';
import { VendorSignInError, type VendorLink, type VendorUser } from './vendor-link';

export interface UserSeed {
  id?: string;
  login: string;
  firstName: string;
  lastName: string;
  email?: string;
}

export interface AppSeed {
  id?: string;
  /** Okta's integration name: 'docusign', 'githubcloud'; anything else is a generic app. */
  name: string;
  label: string;
  /** Whether the stored vendor API credential works; default true. Ignored once a vendor is linked. */
  credentialValid?: boolean;
  /** Extra values for the app's `settings.app` (vendor account ids, org names, ...). */
  appSettings?: Record<string, unknown>;
}

export interface AdminRef {
  id?: string;
  login: string;
}

export interface UserRecord {
  seq: number;
  id: string;
  login: string;
  firstName: string;
  lastName: string;
  email: string;
  created: string;
}

export interface AppUserRecord {
  seq: number;
  userId: string;
  externalId?: string;
  created: string;
  lastUpdated: string;
  status: AppUserStatus;
  statusChanged: string;
  syncState: AppUserSyncState;
  lastSync?: string;
  userName: string;
  profile: Record<string, unknown>;
}

export interface AppRecord {
  seq: number;
  id: string;
  name: string;
  label: string;
  signOnMode: SignOnMode;
  created: string;
  lastUpdated: string;
  credentialValid: boolean;
  settingsApp: Record<string, unknown>;
  /** Okta logs the integration's authentication failure once per breakage, not per push. */
  authFailureLogged: boolean;
  users: Map<string, AppUserRecord>;
  /**
   * USER_PROVISIONING: turned on, turned off by an admin, or never set up. Off, Okta keeps
   * assignments and profile changes but pushes nothing (app users show syncState DISABLED).
   */
  provisioning: ProvisioningState;
  /** The To App settings (Create Users, Update User Attributes, Deactivate Users): each off pushes nothing of its kind. */
  capabilities: PushCapabilities;
  /**
   * What Okta does with a POST of an app user whose profile it already holds: start a push job, or
   * nothing (Okta documents no public API for the Tasks page's "Retry Selected", and a push is
   * triggered by a change; which of the two a real org does is not documented: both are modelled).
   */
  unchangedPost: UnchangedPost;
  /** A vendor simulator that decides this app's pushes instead of `credentialValid`. */
  link?: VendorLink;
}

export type ProvisioningState = 'enabled' | 'disabled' | 'not_set_up';
export type UnchangedPost = 'pushes' | 'ignored';
export interface PushCapabilities {
  create: boolean;
  updateProfile: boolean;
  deactivate: boolean;
}

export interface PushUpdate {
  profile?: Record<string, unknown>;
  userName?: string;
}

/** The admin who acts in the console when a caller does not name one. */
export const DEFAULT_ADMIN: AdminRef = { login: 'admin@example.com' };

/** OIN apps that sign on with SAML; everything else is modelled as a SWA (AUTO_LOGIN) app. */
const SAML_APPS = new Set(['docusign', 'githubcloud']);

export class Org {
  readonly log = new SystemLog();
  private readonly users = new Map<string, UserRecord>();
  private readonly apps = new Map<string, AppRecord>();
  private readonly adminIds = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private seq = 0;

  constructor(private readonly syncDelayMs: number) {}

  addUser(seed: UserSeed): string {
    const id = this.newId('00u', seed.id, this.users);
    if (this.findUserByLogin(seed.login)) throw new Error(`a user with login ${seed.login} already exists`);
    this.users.set(id, {
      seq: ++this.seq,
      id,
      login: seed.login,
      firstName: seed.firstName,
      lastName: seed.lastName,
      email: seed.email ?? seed.login,
      created: new Date().toISOString(),
    });
    return id;
  }

  addApp(seed: AppSeed): string {
    const id = this.newId('0oa', seed.id, this.apps);
    const now = new Date().toISOString();
    this.apps.set(id, {
      seq: ++this.seq,
      id,
      name: seed.name,
      label: seed.label,
      signOnMode: SAML_APPS.has(seed.name) ? 'SAML_2_0' : 'AUTO_LOGIN',
      created: now,
      lastUpdated: now,
      credentialValid: seed.credentialValid ?? true,
      settingsApp: { ...seed.appSettings },
      authFailureLogged: false,
      users: new Map(),
      provisioning: 'enabled',
      capabilities: { create: true, updateProfile: true, deactivate: true },
      unchangedPost: 'pushes',
    });
    return id;
  }

  listApps(): AppRecord[] {
    return [...this.apps.values()];
  }

  app(appId: string): AppRecord {
    const app = this.apps.get(appId);
    if (!app) throw notFound(appId, 'AppInstance');
    return app;
  }

  /** From now on the vendor decides the app's pushes and sees their effects. */
  connectVendor(appId: string, link: VendorLink): void {
    this.app(appId).link = link;
  }

  /** Would a push work now: the vendor's verdict for a linked app, else the simulated flag. */
  credentialWorks(app: AppRecord): boolean {
    return app.link ? app.link.health().ok : app.credentialValid;
  }

  user(userId: string): UserRecord {
    const user = this.users.get(userId);
    if (!user) throw notFound(userId, 'User');
    return user;
  }

  /** Okta resolves `/users/{id}` by id, login, or login short name when unambiguous. */
  findUser(idOrLogin: string): UserRecord | undefined {
    const byId = this.users.get(idOrLogin) ?? this.findUserByLogin(idOrLogin);
    if (byId) return byId;
    const short = idOrLogin.toLowerCase();
    const candidates = [...this.users.values()].filter((u) => u.login.toLowerCase().split('@')[0] === short);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  appUser(appId: string, userId: string): AppUserRecord {
    const appUser = this.app(appId).users.get(userId);
    if (!appUser) throw notFound(userId, 'AppUser');
    return appUser;
  }

  /**
   * Assigns and provisions right away (the initial push): SYNCHRONIZED, or ERROR while the
   * credential is bad. Assigning an assigned user updates the assignment, as Okta's API does, and
   * so pushes the profile again.
   */
  assignUser(appId: string, userId: string, profile: Record<string, unknown> = {}): AppUserRecord {
    const app = this.app(appId);
    if (app.users.has(userId)) return this.pushProfileNow(appId, userId, profile);
    const record = this.addAppUser(app, this.user(userId), { profile });
    this.settle(app, record, 'application.provision.user.push');
    return record;
  }

  /** The API assignment: the app user shows SYNCING now and is provisioned after the sync delay. */
  beginAssign(appId: string, userId: string, update: PushUpdate): AppUserRecord {
    const app = this.app(appId);
    if (app.users.has(userId)) return this.beginPush(appId, userId, update);
    const record = this.addAppUser(app, this.user(userId), update);
    this.schedule(appId, userId, () => {
      if (app.users.get(userId) === record) this.settle(app, record, 'application.provision.user.push');
    });
    return record;
  }

  /** Unassigns: the app user goes away in Okta; with a bad credential the vendor account stays. */
  unassignUser(appId: string, userId: string): void {
    const { app, user, target } = this.removeAppUser(appId, userId);
    this.deactivate(app, user, target);
  }

  /**
   * The API unassignment: the app user is gone at once, and the deactivation at the vendor runs
   * as a background job after the sync delay, as Okta's does (a System Log event says how it went).
   */
  beginUnassign(appId: string, userId: string): void {
    const { app, user, target } = this.removeAppUser(appId, userId);
    this.schedule(appId, userId, () => this.deactivate(app, user, target));
  }

  /** An admin turns the app's provisioning on or off (or it was never set up). */
  setProvisioning(appId: string, state: ProvisioningState): void {
    this.app(appId).provisioning = state;
  }

  /** An admin changes the To App settings, or the org treats an unchanged POST as described on AppRecord. */
  setPushBehaviour(appId: string, change: { capabilities?: Partial<PushCapabilities>; unchangedPost?: UnchangedPost }): void {
    const app = this.app(appId);
    app.capabilities = { ...app.capabilities, ...change.capabilities };
    if (change.unchangedPost) app.unchangedPost = change.unchangedPost;
  }

  breakCredential(appId: string): void {
    const app = this.app(appId);
    // A linked app's credential breaks in the vendor's world (a revoked grant, a closed admin, ...).
    if (app.link) throw validationFailed('credential', `app ${appId} is linked to a vendor simulator: break its credential there`);
    app.credentialValid = false;
    app.authFailureLogged = false;
  }

  /**
   * The admin re-authenticates the app in the console, saving `settings` into settings.app. For a
   * linked app the admin signs in at the vendor first; when that fails the console saves nothing.
   */
  reauthenticate(appId: string, admin?: AdminRef, settings: Record<string, unknown> = {}): void {
    const app = this.app(appId);
    const who = admin ?? (app.link?.defaultLogin ? { login: app.link.defaultLogin() } : DEFAULT_ADMIN);
    const merged = { ...app.settingsApp, ...settings };
    if (app.link) {
      try {
        app.link.reauthenticate({ login: who.login }, merged);
      } catch (err) {
        if (err instanceof VendorSignInError) throw validationFailed('provisioning', err.message);
        throw err;
      }
    }
    const now = new Date();
    app.settingsApp = merged;
    app.credentialValid = true;
    app.authFailureLogged = false;
    app.lastUpdated = now.toISOString();
    this.log.append(appUpdatedEvent(app, this.adminRef(who), now));
  }

  /** An Okta-side profile change pushed to the app at once (for seeding): no SYNCING phase. */
  pushProfileNow(appId: string, userId: string, profile: Record<string, unknown> = {}): AppUserRecord {
    const app = this.app(appId);
    const record = this.appUser(appId, userId);
    this.cancelPush(appId, userId);
    this.applyUpdate(record, { profile });
    this.settle(app, record, pushEventType(record));
    return record;
  }

  /** The API push: the app user shows SYNCING now and resolves after the sync delay. */
  beginPush(appId: string, userId: string, update: PushUpdate): AppUserRecord {
    const app = this.app(appId);
    const record = this.appUser(appId, userId);
    const unchanged = isUnchanged(record, update);
    // Okta keeps the profile but starts no job: Update User Attributes is off, or nothing changed.
    if (!app.capabilities.updateProfile || (unchanged && app.unchangedPost === 'ignored')) {
      if (!unchanged) this.applyUpdate(record, update);
      return record;
    }
    this.cancelPush(appId, userId);
    this.applyUpdate(record, update);
    record.syncState = 'SYNCING';
    this.schedule(appId, userId, () => {
      // The user may have been unassigned while the push was in flight.
      if (app.users.get(userId) === record) this.settle(app, record, pushEventType(record));
    });
    return record;
  }

  /** Dashboard > Tasks > Retry Selected: Okta runs each user's push again, whatever changed. */
  retryTasks(appId: string, userIds: string[]): void {
    const app = this.app(appId);
    for (const userId of userIds) {
      const record = this.appUser(appId, userId);
      record.syncState = 'SYNCING';
      this.schedule(appId, userId, () => {
        if (app.users.get(userId) === record) this.settle(app, record, pushEventType(record));
      });
    }
  }

  /** Stops pending pushes (they never resolve). */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** The admin as a System Log actor: a known user by login, else a stable made-up id. */
  private adminRef(admin: AdminRef): UserRef {
    const known = this.findUserByLogin(admin.login);
    if (known && (!admin.id || admin.id === known.id)) return userRef(known);
    let id = admin.id ?? this.adminIds.get(admin.login);
    if (!id) {
      id = oktaId('00u');
      this.adminIds.set(admin.login, id);
    }
    return { id, login: admin.login, displayName: admin.login };
  }

  private applyUpdate(record: AppUserRecord, update: PushUpdate): void {
    if (update.profile) record.profile = { ...record.profile, ...update.profile };
    if (update.userName) record.userName = update.userName;
    record.lastUpdated = new Date().toISOString();
  }

  private addAppUser(app: AppRecord, user: UserRecord, update: PushUpdate): AppUserRecord {
    const now = new Date().toISOString();
    const record: AppUserRecord = {
      seq: ++this.seq,
      userId: user.id,
      created: now,
      lastUpdated: now,
      status: 'STAGED',
      statusChanged: now,
      syncState: 'SYNCING',
      userName: update.userName ?? (app.name === 'docusign' ? user.email : user.login),
      profile: { email: user.email, firstName: user.firstName, lastName: user.lastName, ...update.profile },
    };
    app.users.set(user.id, record);
    this.log.append(membershipEvent('add', app, userRef(user), this.adminRef(DEFAULT_ADMIN), new Date()));
    return record;
  }

  private removeAppUser(appId: string, userId: string): { app: AppRecord; user: UserRecord; target: VendorUser } {
    const app = this.app(appId);
    const user = this.user(userId);
    const record = this.appUser(appId, userId);
    this.cancelPush(appId, userId);
    app.users.delete(userId);
    this.log.append(membershipEvent('remove', app, userRef(user), this.adminRef(DEFAULT_ADMIN), new Date()));
    return { app, user, target: vendorUser(user, record) };
  }

  /** The deactivation job: the vendor account goes only when the vendor accepts the call. */
  private deactivate(app: AppRecord, user: UserRecord, target: VendorUser): void {
    if (app.provisioning !== 'enabled' || !app.capabilities.deactivate) return; // provisioning or Deactivate Users off: nothing reaches the vendor
    this.runJob(app, user, 'application.provision.user.deactivate', () => app.link?.deprovision(target));
  }

  /** Resolves a push against the app's credential as it is now, and logs the outcome. */
  private settle(app: AppRecord, record: AppUserRecord, eventType: ProvisioningEventType): void {
    if (app.provisioning !== 'enabled') {
      record.syncState = 'DISABLED';
      return;
    }
    const now = new Date().toISOString();
    const user = this.user(record.userId);
    const ok = this.runJob(app, user, eventType, () => app.link?.provision(vendorUser(user, record)));
    record.lastUpdated = now;
    if (!ok) {
      record.syncState = 'ERROR';
      return;
    }
    record.syncState = 'SYNCHRONIZED';
    record.lastSync = now;
    if (!record.externalId) {
      record.externalId = app.name === 'docusign' || app.name === 'githubcloud' ? randomUUID() : hex(16);
      record.status = 'PROVISIONED';
      record.statusChanged = now;
    }
  }

  /**
   * One provisioning call to the vendor: `effect` runs only when the credential works. Writes the
   * job's System Log events and returns whether the vendor accepted the call.
   */
  private runJob(app: AppRecord, user: UserRecord, eventType: ProvisioningEventType, effect: () => void): boolean {
    const at = new Date();
    if (this.credentialWorks(app)) {
      effect();
      // A working call ends the breakage: the next one gets its own authentication_failure.
      app.authFailureLogged = false;
      this.log.append(provisioningEvent(eventType, app, userRef(user), undefined, at));
      return true;
    }
    if (!app.authFailureLogged) {
      app.authFailureLogged = true;
      this.log.append(authenticationFailureEvent(app, at));
    }
    this.log.append(provisioningEvent(eventType, app, userRef(user), credentialFailureMessage(app, userRef(user)), at));
    return false;
  }

  /** Runs a background job for one app user after the sync delay, replacing any pending one. */
  private schedule(appId: string, userId: string, job: () => void): void {
    this.cancelPush(appId, userId);
    const key = timerKey(appId, userId);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        try {
          job();
        } catch (err) {
          // A simulator bug: a throw here would take the whole test process down with it.
          console.error('okta-sim: background job failed', err);
        }
      }, this.syncDelayMs),
    );
  }

  private cancelPush(appId: string, userId: string): void {
    const key = timerKey(appId, userId);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private findUserByLogin(login: string): UserRecord | undefined {
    const l = login.toLowerCase();
    return [...this.users.values()].find((u) => u.login.toLowerCase() === l);
  }

  private newId(prefix: '00u' | '0oa', explicit: string | undefined, taken: Map<string, unknown>): string {
    if (explicit !== undefined && (!OKTA_ID.test(explicit) || !explicit.startsWith(prefix))) {
      throw new Error(`${explicit} is not an Okta id (${prefix} + 17 base62 characters)`);
    }
    const id = explicit ?? oktaId(prefix);
    if (taken.has(id)) throw new Error(`id ${id} is already in use`);
    return id;
  }
}

/** What Okta sends the vendor: the app user's profile values over the Okta user's. */
function vendorUser(user: UserRecord, record: AppUserRecord): VendorUser {
  const text = (key: string, fallback: string): string => {
    const v = record.profile[key];
    return typeof v === 'string' && v !== '' ? v : fallback;
  };
  return {
    id: user.id,
    login: user.login,
    userName: record.userName,
    email: text('email', user.email),
    firstName: text('firstName', user.firstName),
    lastName: text('lastName', user.lastName),
  };
}

function userRef(user: UserRecord): UserRef {
  return { id: user.id, login: user.login, displayName: `${user.firstName} ${user.lastName}` };
}

/** A user the vendor never accepted (no externalId yet) is still being created there: a push, not a profile push. */
function pushEventType(record: AppUserRecord): ProvisioningEventType {
  return record.externalId ? 'application.provision.user.push_profile' : 'application.provision.user.push';
}

function timerKey(appId: string, userId: string): string {
  return `${appId}/${userId}`;
}

/** A POST that would change nothing Okta holds for the app user. */
function isUnchanged(record: AppUserRecord, update: PushUpdate): boolean {
  if (update.userName !== undefined && update.userName !== record.userName) return false;
  return Object.entries(update.profile ?? {}).every(([k, v]) => JSON.stringify(record.profile[k]) === JSON.stringify(v));
}
