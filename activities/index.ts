/** All activities the worker registers, built from injected dependencies. */
import { createOktaActivities, type OktaActivityDeps } from './okta/activities';
import { createAuditActivities } from './okta/audit';
import { createPageRepush } from './okta/repush-page';
import { createTestUserActivities } from './okta/test-user';
import { createNotificationActivities } from './notifications';
import { createScanActivities, type ScanActivityDeps } from './scan/activities';
import { createVendorActivities, type VendorActivityDeps } from './vendors/activities';

export type ActivityDeps = OktaActivityDeps &
  VendorActivityDeps &
  ScanActivityDeps & {
    /** Where the console notification channel writes (default: stdout). */
    notifyLog?: (line: string) => void;
  };

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOktaActivities(deps),
    ...createPageRepush(deps),
    ...createAuditActivities(deps),
    ...createNotificationActivities({ channels: deps.appConfig.channels, log: deps.notifyLog }),
    ...createTestUserActivities(deps),
    ...createVendorActivities(deps),
    ...createScanActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
