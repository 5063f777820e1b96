/** The simulated DocuSign world's vocabulary, shared by the state, the routes and the public class. */

/** DocuSign runs two separate systems: demo (account-d / demo.docusign.net) and production. */
export type Environment = 'demo' | 'production';
export const ENVIRONMENTS: readonly Environment[] = ['demo', 'production'];

export type MembershipStatus = 'active' | 'closed';

export interface Account {
  /** The API Account ID (a GUID): what Okta stores and what REST paths carry. */
  accountId: string;
  /** The short numeric id DocuSign shows in the web app; REST paths accept it too. */
  externalAccountId: string;
  name: string;
  environment: Environment;
  createdAt: Date;
}

/** A login. DocuSign keys it by email within one environment and it may belong to several accounts. */
export interface Identity {
  userId: string;
  environment: Environment;
  email: string;
  userName: string;
  firstName: string;
  lastName: string;
  createdAt: Date;
}

/** A login's place in one account: admin rights and open/closed status live here, not on the login. */
export interface Membership {
  accountId: string;
  userId: string;
  isAdmin: boolean;
  status: MembershipStatus;
  addedAt: Date;
  closedAt?: Date;
}

/** What the simulator answers about a member of an account (tests and the Okta simulator read it). */
export interface AccountUser {
  userId: string;
  accountId: string;
  email: string;
  userName: string;
  firstName: string;
  lastName: string;
  isAdmin: boolean;
  status: MembershipStatus;
}

/** Where one environment is served: the OAuth host (no scheme, as docusign-esign wants it) and REST. */
export interface Endpoints {
  environment: Environment;
  /** `127.0.0.1:PORT`: pass to ApiClient.setOAuthBasePath (stands in for account[-d].docusign.com). */
  oauthHost: string;
  /** `https://localhost:PORT/restapi`: pass to ApiClient.setBasePath (stands in for demo/www.docusign.net). */
  restBaseUrl: string;
  /** `https://localhost:PORT`: the `base_uri` userinfo reports for this environment's accounts. */
  baseUri: string;
}
