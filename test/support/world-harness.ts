/**
 * A remediation stack over the shared simulated world: Okta, DocuSign and GitHub agreeing on who
 * has access, the worker configured with the pipeline's own vendor credentials and the per-app
 * settings an admin would write.
 */
import { parseAppConfig } from '../../config/app-config';
import type { VendorCredentials } from '../../config/worker-config';
import { SimWorld, type SeededWorld, type SeedOptions } from '../../sim/world';
import { startHarness, TEST_RATE_LIMIT, type Harness } from './harness';
import { pipelineVendors, seededAppSettings } from '../../sim/pipeline-settings';

export { pipelineVendors } from '../../sim/pipeline-settings';

export interface WorldHarness extends Harness {
  world: SimWorld;
  seeded: SeededWorld;
}

export interface WorldHarnessOptions {
  seed?: SeedOptions;
  /** Settings for every app (e.g. a deprovisioning policy), merged over the seeded ones. */
  defaults?: Record<string, unknown>;
  /** Extra per-app settings, by app id, from the seeded world. */
  apps?: (seeded: SeededWorld) => Record<string, Record<string, unknown>>;
  /** Leave the pipeline without vendor credentials. */
  noVendorCredentials?: boolean;
  /** Other vendor credentials for the pipeline. */
  vendors?: (world: SimWorld) => VendorCredentials;
  /** Break the world before the worker starts. */
  breakWith?: (world: SimWorld) => void;
}

export async function startWorldHarness(opts: WorldHarnessOptions = {}): Promise<WorldHarness> {
  const world = await SimWorld.start({ syncDelayMs: 30, okta: { rateLimit: TEST_RATE_LIMIT, signInPollSeconds: 1 } });
  const seeded = world.seed(opts.seed);
  opts.breakWith?.(world);
  const apps: Record<string, Record<string, unknown>> = seededAppSettings(seeded);
  for (const [appId, extra] of Object.entries(opts.apps?.(seeded) ?? {})) apps[appId] = { ...apps[appId], ...extra };
  const appConfig = parseAppConfig({ defaults: { wait: { autoDetect: false }, ...opts.defaults }, apps });
  const h = await startHarness({ okta: world.okta, deps: { appConfig, vendors: opts.noVendorCredentials ? {} : (opts.vendors?.(world) ?? pipelineVendors(world)) } });
  return {
    ...h,
    world,
    seeded,
    async close() {
      await h.close();
      await world.stop();
    },
  };
}
