/** `npm run worker`: the long-running worker process, configured from the environment. */
import { Runtime } from '@temporalio/worker';
import { createOktaClient } from '../activities/okta/client';
import { ConfigError } from '../config/worker-config';
import { loadWorkerSettings } from './settings';
import { connectClient, connectWorker, TemporalUnreachableError } from './temporal';
import { createRemediationWorker } from './worker';

async function main(): Promise<void> {
  const { config, appConfig, target } = loadWorkerSettings();
  // The SDK's own metrics for Prometheus; the runtime is installed once, before any connection.
  if (config.process.metricsAddress) Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.process.metricsAddress } } } });
  const connection = await connectWorker(target);
  const client = await connectClient(target); // the scanner starts and signals remediations
  const worker = await createRemediationWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.taskQueue,
    limits: config.process,
    deps: {
      okta: createOktaClient(config.okta),
      orgUrl: config.okta.orgUrl,
      signInClientId: config.okta.signInClientId,
      appConfig,
      vendors: config.vendors,
      lookbackHours: config.lookbackHours,
      sync: config.sync,
      temporal: { client, taskQueue: config.taskQueue },
    },
  });
  const metrics = config.process.metricsAddress ? `; metrics on http://${config.process.metricsAddress}/metrics` : '';
  console.log(`Worker polling task queue ${config.taskQueue} on ${target.address} (namespace ${target.namespace}); Okta org ${config.okta.orgUrl}${metrics}`);
  // On SIGINT/SIGTERM: stop polling, let activities in flight finish within the grace time, then cancel them.
  await worker.run();
  console.log(`Worker stopped: task queue ${config.taskQueue} drained.`);
  await connection.close();
  await client.connection.close();
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof TemporalUnreachableError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : err instanceof TemporalUnreachableError ? 5 : 1);
});
