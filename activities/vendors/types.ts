/** What every vendor module offers the pipeline: a probe, and finding or removing a person. */
import type { AppSummary, VendorFinding, VendorProbe } from '../../domain/types';
import type { AppSettings } from '../../config/app-config';

export interface VendorContext {
  app: AppSummary;
  /** The app's `settings.app` as Okta shows it (e.g. the API Account ID Okta holds). */
  oktaSettings: Record<string, unknown>;
  /** This app's settings from the pipeline's configuration. */
  settings: AppSettings;
  /** Whether Okta shows the credential failing now (decides "revoked" versus "all fine"). */
  credentialFailing: boolean;
}

export interface VendorPerson {
  login: string;
  email?: string;
  /**
   * The Okta user id. Okta sends it to SCIM vendors as the user's `externalId`, and it outlives a
   * change of username or email in Okta, so a vendor finds the person as Okta provisioned them.
   */
  oktaUserId?: string;
}

export interface VendorAccount {
  /**
   * 'active': the person has access; 'inactive': closed or suspended; 'absent': confirmed gone
   * (removed, or never there where the vendor can tell); 'not_found': none of the vendor's lookups
   * finds them (GitHub: neither by the Okta user id as externalId nor by userName), so whether
   * they still have access is unknown. A 'not_found' is never a removal.
   */
  state: 'active' | 'inactive' | 'absent' | 'not_found';
  detail: string;
}

export interface VendorModule {
  probe(ctx: VendorContext): Promise<VendorProbe>;
  findPerson(ctx: VendorContext, person: VendorPerson): Promise<VendorAccount>;
  /**
   * Removes the person's access and confirms it with fresh reads; idempotent (removing someone
   * already gone answers what the vendor shows now: 'absent' or, where it cannot tell, 'not_found').
   */
  removePerson(ctx: VendorContext, person: VendorPerson): Promise<VendorAccount>;
  /** One light call, for the checks of a phase paused by an outage: throws `<Vendor>Unavailable` when the vendor does not answer. */
  answers(ctx: VendorContext): Promise<void>;
}

/** Thrown when a vendor module cannot act for want of a credential or setting: not retryable. */
export class VendorNotConfigured extends Error {
  override name = 'VendorNotConfigured';
}

/** A heuristic finding ranks below Okta's own evidence (credential-invalid, 0.5 beside a vendor finding). */
export const HEURISTIC_CONFIDENCE_CAP = 0.45;

/**
 * Records a finding; a second finding of the same cause adds its evidence to the first. A
 * heuristic is capped below evidence and never blocks a re-auth on its own.
 */
export function addFinding(probe: VendorProbe, found: VendorFinding): void {
  const f = found.heuristic ? { ...found, confidence: Math.min(found.confidence, HEURISTIC_CONFIDENCE_CAP), blocking: false } : found;
  const same = probe.findings.find((x) => x.cause === f.cause);
  if (!same) {
    probe.findings.push(f);
    return;
  }
  same.confidence = Math.max(same.confidence, f.confidence);
  same.blocking ||= f.blocking;
  if (!f.heuristic) delete same.heuristic;
  same.evidence.push(...f.evidence.filter((e) => !same.evidence.includes(e)));
}
