/**
 * Simulator-only endpoints of the whole world (not Okta's API), mounted on the Okta simulator so a
 * running `sim serve` can be steered from the CLI: break an app the way its vendor breaks, write a
 * provisioning failure that is not the credential's, make a simulator answer with errors, and read
 * each app's health as its vendor sees it.
 */
import { z } from 'zod';
import { notFound, validationFailed } from './okta/errors';
import type { ProvisioningEventType } from './okta/log-events';
import type { Route, RouteContext } from './okta/server';
import type { OktaSim } from './okta/sim';
import { DOCUSIGN_CAUSES, GITHUB_CAUSES, type DocuSignCause, type GitHubCause, type SeededWorld, type WorldHealth } from './shared-world/types';

/** What these routes steer: the world's seeded apps, its breakages and the Okta org (SimWorld has them). */
export interface SteeredWorld {
  readonly seeded: SeededWorld;
  readonly okta: OktaSim;
  readonly docusign: { injectFault(f: never): void };
  readonly github: { injectFault(f: never): void };
  breakDocuSign(cause: DocuSignCause): unknown;
  breakGitHub(cause: GitHubCause): unknown;
  breakGeneric(): unknown;
  vendorHealth(appId: string): WorldHealth;
}

const failureBody = z.object({
  login: z.string().min(1),
  reason: z.string().min(1).max(2000),
  kind: z.enum(['push', 'deprovision']).default('push'),
});

const faultBody = z.object({
  target: z.enum(['okta', 'docusign', 'github']),
  /** A regular expression over the request path. */
  path: z.string().min(1),
  status: z.number().int(),
  count: z.number().int().min(1).max(1000).default(1),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
});

/** The statuses each simulator can play (see its faults.ts). */
const FAULT_STATUSES = { okta: [429, 500, 502, 503], docusign: [401, 429, 500, 503], github: [401, 403, 429, 500, 502, 503] } as const;

/** `worldOf` gives the world once built: the routes are mounted before its servers start. */
export function worldRoutes(worldOf: () => SteeredWorld): Route[] {
  return [
    {
      method: 'POST',
      template: '/sim/v1/world/apps/{appId}/break',
      handler: (ctx) => {
        const world = worldOf();
        const { appId, cause } = breakRequest(world, ctx);
        const s = world.seeded;
        if (appId === s.docusign.appId) world.breakDocuSign(cause as DocuSignCause);
        else if (appId === s.github.appId) world.breakGitHub(cause as GitHubCause);
        else world.breakGeneric();
        return { status: 200, body: { appId, cause: cause ?? 'credential_invalid', health: world.vendorHealth(appId) } };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/world/apps/{appId}/failures',
      handler: (ctx) => {
        const world = worldOf();
        const appId = knownApp(world, ctx);
        const b = parse(failureBody, ctx.body);
        const userId = world.seeded.users[b.login.toLowerCase()];
        if (!userId) throw notFound(b.login, 'User');
        const eventType: ProvisioningEventType = b.kind === 'push' ? 'application.provision.user.push' : 'application.provision.user.deactivate';
        world.okta.logProvisioningFailure(appId, userId, b.reason, eventType);
        return { status: 200, body: { appId, userId, eventType, reason: b.reason } };
      },
    },
    {
      method: 'POST',
      template: '/sim/v1/world/faults',
      handler: (ctx) => {
        const world = worldOf();
        const b = parse(faultBody, ctx.body);
        const allowed: readonly number[] = FAULT_STATUSES[b.target];
        if (!allowed.includes(b.status)) throw validationFailed('status', `the ${b.target} simulator plays ${allowed.join(', ')}`);
        let path: RegExp;
        try {
          path = new RegExp(b.path);
        } catch (err) {
          throw validationFailed('path', `not a regular expression: ${(err as Error).message}`);
        }
        const spec = { path, status: b.status, count: b.count, method: b.method };
        // The status was checked against FAULT_STATUSES just above.
        world[b.target].injectFault(spec as never);
        return { status: 200, body: { ...b } };
      },
    },
    {
      method: 'GET',
      template: '/sim/v1/world',
      handler: () => {
        const world = worldOf();
        const s = world.seeded;
        const apps = [s.docusign, s.github, s.generic].map((a) => ({ appId: a.appId, label: a.label, health: world.vendorHealth(a.appId) }));
        return { status: 200, body: { apps, users: s.users, testUser: s.testUser } };
      },
    },
  ];
}

function knownApp(world: SteeredWorld, ctx: RouteContext): string {
  const appId = ctx.params.appId ?? '';
  const s = world.seeded;
  if (![s.docusign.appId, s.github.appId, s.generic.appId].includes(appId)) throw notFound(appId, 'App');
  return appId;
}

function breakRequest(world: SteeredWorld, ctx: RouteContext): { appId: string; cause?: string } {
  const appId = knownApp(world, ctx);
  const cause = parse(z.object({ cause: z.string().optional() }), ctx.body ?? {}).cause;
  const s = world.seeded;
  const causes: readonly string[] = appId === s.docusign.appId ? DOCUSIGN_CAUSES : appId === s.github.appId ? GITHUB_CAUSES : [];
  if (causes.length === 0) {
    if (cause !== undefined) throw validationFailed('cause', `app ${appId} has no vendor simulator behind it: break it without a cause`);
    return { appId };
  }
  const chosen = cause ?? causes[appId === s.docusign.appId ? causes.indexOf('grant_revoked') : causes.indexOf('token_revoked')];
  if (!causes.includes(chosen!)) throw validationFailed('cause', `expected one of ${causes.join(', ')}`);
  return { appId, cause: chosen };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw validationFailed(issue.path.join('.') || 'body', issue.message);
}
