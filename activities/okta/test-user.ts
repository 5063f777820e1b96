/**
 * The Okta half of the test-user round trip (the DocuSign article's last step): assign a named
 * test user to the app and see Okta provision them, then unassign them.
 */
import { checkpoint } from '../keep-alive';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { OktaClient } from './client';
import { isNotFound, toActivityFailure } from './errors';

export interface TestUserDeps {
  okta: OktaClient;
  sync: { timeoutMs: number; pollMs: number };
}

export function createTestUserActivities(deps: TestUserDeps) {
  const { okta } = deps;
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toActivityFailure(err, what);
    }
  };

  return {
    /** Assigns the test user and waits for Okta's push to settle. Refuses a user already assigned: unassigning them later would take away real access. */
    async assignTestUser(input: { appId: string; login: string }): Promise<{ userId: string; syncState: string; detail: string }> {
      let user;
      try {
        user = await okta.userApi.getUser({ userId: input.login });
      } catch (err) {
        if (isNotFound(err)) throw ApplicationFailure.nonRetryable(`Okta has no user ${input.login}: set testUser to the login of an existing test user.`, 'TestUserNotFound');
        throw toActivityFailure(err, `reading test user ${input.login}`);
      }
      const userId = user.id!;
      const ctx = Context.current();
      // Whether an assignment is ours is what an earlier attempt of this activity recorded, never
      // the attempt number: attempt 2 after a 429 may find a real person's assignment.
      const ours = (ctx.info.heartbeatDetails as { assigning?: string } | undefined)?.assigning === userId;
      const existing = await okta.applicationApi.getApplicationUser({ appId: input.appId, userId }).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw toActivityFailure(err, `reading app user ${userId}`);
      });
      if (existing && !ours)
        throw ApplicationFailure.nonRetryable(`${input.login} is already assigned to the app; the round trip would remove their access. Use a dedicated test user.`, 'TestUserAlreadyAssigned');
      // Recorded before the POST (the first heartbeat of an attempt goes out at once), and again by
      // every attempt that carries on, so a later attempt knows the assignment is the round trip's.
      checkpoint({ assigning: userId });
      if (!existing) await call(`assigning ${input.login}`, () => okta.applicationApi.assignUserToApplication({ appId: input.appId, appUser: { id: userId, scope: 'USER' } }));
      const deadline = Date.now() + deps.sync.timeoutMs;
      let state = 'SYNCING';
      while (Date.now() < deadline) {
        await ctx.sleep(deps.sync.pollMs);
        const appUser = await call(`reading app user ${userId}`, () => okta.applicationApi.getApplicationUser({ appId: input.appId, userId }));
        state = appUser.syncState ?? 'UNKNOWN';
        checkpoint({ assigning: userId, syncState: state });
        if (state === 'SYNCHRONIZED' || state === 'ERROR') break;
      }
      return { userId, syncState: state, detail: `Okta assigned ${input.login}; syncState ${state}.` };
    },

    /** Unassigns the test user; without `userId` (an assign that failed after its POST) looks them up by login. Idempotent. */
    async unassignTestUser(input: { appId: string; userId?: string; login: string }): Promise<{ detail: string }> {
      try {
        const userId = input.userId ?? (await okta.userApi.getUser({ userId: input.login })).id!;
        await okta.applicationApi.unassignUserFromApplication({ appId: input.appId, userId });
      } catch (err) {
        if (!isNotFound(err)) throw toActivityFailure(err, `unassigning ${input.login}`);
      }
      return { detail: `Okta unassigned ${input.login}.` };
    },
  };
}
