/** All activities the worker registers, built from injected dependencies. */
import { createOktaActivities, type OktaActivityDeps } from './okta/activities';

export type ActivityDeps = OktaActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return { ...createOktaActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
