/** All activities the worker registers, built from injected dependencies. */
import { createOktaActivities, type OktaActivityDeps } from './okta/activities';
import { createAuditActivities } from './okta/audit';
import { createIdentityActivities } from './okta/identity';
import { createPageRepush } from './okta/repush-page';
import { createReauthWatch } from './reauth-watch';
import { createTestUserActivities } from './okta/test-user';
import { createNotificationActivities } from './notifications';
import { createScanActivities, type ScanActivityDeps } from './scan/activities';
import { createVendorActivities, type VendorActivityDeps } from './vendors/activities';

export type ActivityDeps = OktaActivityDeps &
  VendorActivityDeps &
  ScanActivityDeps & {
    /** Where the console notification channel writes (default: stdout). */
    notifyLog?: (line: string) => void;
    /** The CLI's OIDC app (OKTA_CLI_CLIENT_ID), whose ID tokens prove who acts. */
    signInClientId?: string;
  };

export function createActivities(deps: ActivityDeps) {
  const audit = createAuditActivities(deps);
  const vendors = createVendorActivities(deps);
  return {
    ...createOktaActivities(deps),
    ...createPageRepush(deps),
    ...audit,
    ...createNotificationActivities({ channels: deps.appConfig.channels, log: deps.notifyLog }),
    ...createTestUserActivities(deps),
    ...vendors,
    ...createReauthWatch({ ...audit, ...vendors }),
    ...createScanActivities(deps),
    ...createIdentityActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
