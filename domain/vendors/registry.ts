/**
 * The vendors with a module, one line each: everything else that names vendors (the config's
 * vendor list and blocks, the CLI's filter, outages, status pages, the causes' words) reads them
 * from here. Every other Okta app is `generic`.
 */
import type { CauseText } from '../steps';
import type { CauseId, ModuleVendor, Vendor } from '../types';
import { DOCUSIGN } from './docusign';
import { GITHUB } from './github';
import type { AnyVendorProfile, VendorProfile } from './profile';

export const VENDOR_PROFILES = { docusign: DOCUSIGN, github: GITHUB } satisfies { [V in ModuleVendor]: VendorProfile<V> };

const profiles: AnyVendorProfile[] = Object.values(VENDOR_PROFILES);

export const VENDORS = [...(Object.keys(VENDOR_PROFILES) as ModuleVendor[]), 'generic'] as const satisfies readonly Vendor[];

/** The vendors' names as their failure types carry them (`GitHubUnavailable`). */
export const VENDOR_SERVICES: readonly string[] = profiles.map((p) => p.service);

/** Where each vendor says it is down, by service name. */
export const VENDOR_STATUS_PAGES: Readonly<Record<string, string>> = Object.fromEntries(profiles.map((p) => [p.service, p.statusPage]));

const VENDOR_BY_APP_NAME = new Map<string, ModuleVendor>(profiles.flatMap((p) => p.oktaAppNames.map((name) => [name, p.id] as const)));

export function vendorOf(appName: string): Vendor {
  return VENDOR_BY_APP_NAME.get(appName.toLowerCase()) ?? 'generic';
}

/** The causes only a vendor's probe names (`<vendor>-…`); each profile is checked for all of its own. */
export const VENDOR_CAUSES = Object.assign({}, ...profiles.map((p) => p.causes)) as Record<Extract<CauseId, `${ModuleVendor}-${string}`>, CauseText>;

export function vendorProfile(vendor: Vendor): AnyVendorProfile | undefined {
  return vendor === 'generic' ? undefined : VENDOR_PROFILES[vendor];
}
