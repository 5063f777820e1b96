/**
 * What the pipeline knows about a vendor with a module, apart from calling it: how Okta names its
 * apps, what its failures are called, where it says it is down, the settings an app of it takes,
 * and the words for the causes its probe names. Pure: workflows render these texts.
 */
import type { z } from 'zod';
import type { CauseText } from '../steps';
import type { AppSummary, CauseId, ModuleVendor, StepValues } from '../types';

export interface VendorProfile<V extends ModuleVendor> {
  id: V;
  /** Its name in texts and failure types: activities throw `<service>Unavailable` and `<service>RateLimited`. */
  service: string;
  /** Okta integration-network app names (`app.name`) of this vendor's apps. */
  oktaAppNames: readonly string[];
  /** Where the vendor says it is down (an outage notice links it). */
  statusPage: string;
  /** The vendor's block in an app's settings (OKTA_REMEDIATION_CONFIG): the identities its probe checks against. */
  settings: z.ZodType;
  /** The steps for Okta's own `credential-invalid` on this vendor's app. */
  credentialInvalidSteps: (app: AppSummary, v: StepValues) => string[];
  /** Every cause its probe can name (`<vendor>-…` in CauseId): the compiler asks for each. */
  causes: Record<Extract<CauseId, `${V}-${string}`>, CauseText>;
}

/** Any one vendor's profile. */
export type AnyVendorProfile = { [V in ModuleVendor]: VendorProfile<V> }[ModuleVendor];
