/**
 * Activities that look at the vendor behind an Okta app: probe it with the pipeline's own
 * credential, and find or remove a person there (failed deprovisions, the test-user round trip).
 */
import { checkpoint } from '../keep-alive';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Vendor, VendorProbe } from '../../domain/types';
import type { VendorCredentials } from '../../config/worker-config';
import { createAppReader, type AppReaderDeps } from '../okta/apps';
import { isNotFound, toActivityFailure } from '../okta/errors';
import { createDocuSignVendor } from './docusign';
import { genericVendor } from './generic';
import { createGitHubVendor } from './github';
import { VendorNotConfigured, type VendorAccount, type VendorContext, type VendorModule } from './types';

export interface VendorActivityDeps extends AppReaderDeps {
  vendors: VendorCredentials;
  /** How long and how often to watch the vendor for a change Okta pushed. */
  sync: { timeoutMs: number; pollMs: number };
  lookbackHours: number;
}

export interface PersonInput {
  appId: string;
  /** The Okta user id: vendors that Okta provisions through SCIM know it as the person's externalId. */
  userId: string;
  login: string;
}

export const VENDOR_NOT_CONFIGURED = 'VendorNotConfigured';
export const ASSIGNED_IN_OKTA = 'AssignedInOkta';

export function createVendorActivities(deps: VendorActivityDeps) {
  const { readApp } = createAppReader(deps);
  const modules: Record<Vendor, VendorModule> = {
    docusign: createDocuSignVendor(deps.vendors.docusign),
    github: createGitHubVendor(deps.vendors.github),
    generic: genericVendor,
  };

  async function context(appId: string, credentialFailing: boolean): Promise<{ ctx: VendorContext; module: VendorModule }> {
    const { app, oktaSettings } = await readApp(appId);
    return { ctx: { app, oktaSettings, settings: deps.appConfig.settings(appId), credentialFailing }, module: modules[app.vendor] };
  }

  /** The person's email in Okta: DocuSign knows people by email, which may differ from the login. */
  async function emailOf(userId: string, login: string): Promise<string> {
    try {
      const user = await deps.okta.userApi.getUser({ userId });
      return (user.profile as { email?: string } | undefined)?.email ?? login;
    } catch (err) {
      if (isNotFound(err)) return login; // deleted in Okta; the login is all we have
      throw toActivityFailure(err, `reading Okta user ${userId}`);
    }
  }

  async function assignedInOkta(appId: string, userId: string): Promise<boolean> {
    try {
      const appUser = await deps.okta.applicationApi.getApplicationUser({ appId, userId });
      return appUser.status !== 'DEPROVISIONED' && appUser.status !== 'INACTIVE';
    } catch (err) {
      if (isNotFound(err)) return false;
      throw toActivityFailure(err, `reading app user ${userId}`);
    }
  }

  async function withPerson(input: PersonInput, act: (module: VendorModule, ctx: VendorContext, email: string) => Promise<VendorAccount>): Promise<VendorAccount> {
    const { ctx, module } = await context(input.appId, false);
    try {
      return await act(module, ctx, await emailOf(input.userId, input.login));
    } catch (err) {
      if (err instanceof VendorNotConfigured) throw ApplicationFailure.nonRetryable(err.message, VENDOR_NOT_CONFIGURED);
      throw err;
    }
  }

  return {
    async probeVendor(input: { appId: string; credentialFailing: boolean }): Promise<VendorProbe> {
      const { ctx, module } = await context(input.appId, input.credentialFailing);
      return module.probe(ctx);
    },

    /**
     * Removes the person at the vendor and confirms it with a fresh read; never someone Okta
     * assigns to the app again (reassigned since the failure, or named by mistake).
     */
    async removeVendorAccess(input: PersonInput): Promise<VendorAccount> {
      if (await assignedInOkta(input.appId, input.userId)) {
        throw ApplicationFailure.nonRetryable(`${input.login} is assigned to the app in Okta again, so their access stays: not removed at the vendor.`, ASSIGNED_IN_OKTA);
      }
      return withPerson(input, (module, ctx, email) => module.removePerson(ctx, { login: input.login, email, oktaUserId: input.userId }));
    },

    /** Whether the app's vendor answers at all, for the checks of a paused phase; any answer counts. */
    async vendorAnswers(input: { appId: string }): Promise<{ answers: boolean; detail: string }> {
      const { ctx, module } = await context(input.appId, false);
      try {
        await module.answers(ctx);
        return { answers: true, detail: `${ctx.app.vendor} answered` };
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type?.endsWith('Unavailable')) return { answers: false, detail: err.message };
        return { answers: true, detail: `${ctx.app.vendor} answered: ${(err as Error).message}` };
      }
    },

    /** Polls the vendor until the person is (or is no longer) active there, or the time is up. */
    async awaitVendorAccess(input: PersonInput & { active: boolean }): Promise<VendorAccount> {
      const deadline = Date.now() + deps.sync.timeoutMs;
      for (;;) {
        const found = await withPerson(input, (module, ctx, email) => module.findPerson(ctx, { login: input.login, email, oktaUserId: input.userId }));
        // Only 'active' is access: 'inactive', 'absent' and 'not_found' all end a wait for the person to be gone.
        if ((found.state === 'active') === input.active || Date.now() > deadline) {
          // Waited for someone who was there: found by none of the lookups now means gone, not "check by hand".
          if (!input.active && found.state === 'not_found') return { state: 'not_found', detail: `${input.login} is gone: none of the vendor's lookups finds them any more.` };
          return found;
        }
        checkpoint(found.state);
        await Context.current().sleep(deps.sync.pollMs);
      }
    },
  };
}

export type VendorActivities = ReturnType<typeof createVendorActivities>;
