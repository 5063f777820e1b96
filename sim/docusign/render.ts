/**
 * The JSON DocuSign sends, shaped after the docusign-esign models (UserInfo/Account for OAuth,
 * AccountInformation, UserInformation, UserInformationList, UsersResponse for REST). DocuSign sends
 * most scalars as strings ("True", "100", "false"), and so do we: clients must cope with that.
 */
import type { World } from './world';
import type { Account, Endpoints, Identity, Membership, MembershipStatus } from './types';

/**
 * `userStatus` as DocuSign writes it: the description (userInformation and userInfo) lists
 * `ActivationRequired`, `ActivationSent`, `Active`, `Closed`, `Disabled`.
 */
const USER_STATUS: Record<MembershipStatus, string> = { active: 'Active', closed: 'Closed' };

/** DocuSign timestamps carry seven fractional digits: 2024-05-01T12:34:56.1230000Z. */
export function docusignTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function renderUserInfo(world: World, identity: Identity, baseUriOf: (a: Account) => string): Record<string, unknown> {
  const accounts = world.activeAccountsOf(identity.userId);
  return {
    sub: identity.userId,
    name: identity.userName,
    given_name: identity.firstName,
    family_name: identity.lastName,
    created: docusignTime(identity.createdAt),
    email: identity.email,
    // The first account a login joined is its default, as for a DocuSign user who never changed it.
    accounts: accounts.map((a, i) => ({ account_id: a.accountId, is_default: i === 0, account_name: a.name, base_uri: baseUriOf(a) })),
  };
}

export function renderAccountInformation(world: World, account: Account): Record<string, unknown> {
  const members = world.membersOf(account.accountId);
  return {
    accountIdGuid: account.accountId,
    externalAccountId: account.externalAccountId,
    accountName: account.name,
    createdDate: docusignTime(account.createdAt),
    currencyCode: 'USD',
    planName: account.environment === 'demo' ? 'DEVELOPER' : 'BUSINESS PRO',
    planClassification: account.environment === 'demo' ? 'Internal' : 'Business',
    connectPermission: 'full',
    isDowngrade: 'false',
    allowTransactionRooms: 'false',
    envelopeSendingBlocked: 'false',
    seatsAllowed: 'unlimited',
    seatsInUse: String(members.filter((m) => m.status === 'active').length),
    billingPeriodEnvelopesSent: '0',
    billingPeriodEnvelopesAllowed: 'unlimited',
    docuSignLandingUrl: 'https://www.docusign.com/products/sign',
  };
}

/** One entry of a users list (UserInformation): `isAdmin` is "True"/"False", `userStatus` "Active"/"Closed". */
export function renderUser(world: World, m: Membership): Record<string, unknown> {
  const u = world.view(m);
  const identity = world.identity(m.userId);
  return {
    userName: u.userName,
    userId: u.userId,
    userType: 'CompanyUser',
    isAdmin: u.isAdmin ? 'True' : 'False',
    isNAREnabled: 'false',
    isAlternateAdmin: 'False',
    userStatus: USER_STATUS[u.status],
    uri: `/users/${u.userId}`,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    permissionProfileId: u.isAdmin ? '10000001' : '10000002',
    permissionProfileName: u.isAdmin ? 'DS Admin' : 'DS Sender',
    createdDateTime: docusignTime(identity?.createdAt ?? m.addedAt),
    userAddedToAccountDateTime: docusignTime(m.addedAt),
    ...(m.closedAt ? { userProfileLastModifiedDate: docusignTime(m.closedAt) } : {}),
    jobTitle: '',
    company: '',
  };
}

/** One entry of the DELETE /users answer (UserInfo): the closed user, or why it could not be closed. */
export function renderClosedUser(world: World, m: Membership): Record<string, unknown> {
  const u = world.view(m);
  return { userId: u.userId, userName: u.userName, email: u.email, userType: 'CompanyUser', userStatus: USER_STATUS[u.status], uri: `/users/${u.userId}` };
}

export function baseUriFor(endpoints: (env: Account['environment']) => Endpoints): (a: Account) => string {
  return (a) => endpoints(a.environment).baseUri;
}
