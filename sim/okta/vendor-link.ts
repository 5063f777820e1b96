/**
 * How a simulated Okta app reaches its vendor. Real Okta pushes to the vendor's API with the
 * credential it stores for the app; the simulator asks the link instead, so a vendor simulator
 * (DocuSign, GitHub) decides every push and sees its effects, and Okta and the vendor agree.
 */

/** The person Okta provisions: the Okta user, with the app user's profile values where it has them. */
export interface VendorUser {
  /** The Okta user id (Okta sends it to SCIM vendors as externalId). */
  id: string;
  /** The Okta login. */
  login: string;
  /** The app user's userName (credentials.userName): what Okta names the account at the vendor. */
  userName: string;
  email: string;
  firstName: string;
  lastName: string;
}

export type VendorHealth = { ok: true } | { ok: false; reason: string };

export interface VendorLink {
  /** Whether the credential Okta stores for the app works at the vendor right now (decides every push). */
  health(): VendorHealth;
  /** After a successful push or assignment. */
  provision(user: VendorUser): void;
  /** After a successful deactivation (an unassignment). */
  deprovision(user: VendorUser): void;
  /**
   * The admin re-authenticates the app in the Okta console with `settings`: the app's whole
   * settings.app after what was typed was merged in. Throws VendorSignInError when the admin
   * cannot sign in at the vendor; Okta then saves nothing.
   */
  reauthenticate(admin: { login: string }, settings: Record<string, unknown>): void;
  /** Who signs in at the vendor when the admin does not say (the account Okta's grant belongs to). */
  defaultLogin?(): string;
}

/** The vendor refused the admin's sign-in during re-authentication. */
export class VendorSignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorSignInError';
  }
}
