/** `npm run worker`: the long-running worker process, configured from the environment. */
import { createOktaClient } from '../activities/okta/client';
import { ConfigError } from './config';
import { loadWorkerSettings } from './settings';
import { connectClient, connectWorker, TemporalUnreachableError } from './temporal';
import { createRemediationWorker } from './worker';

async function main(): Promise<void> {
  const { config, appConfig, target } = loadWorkerSettings();
  const connection = await connectWorker(target);
  const client = await connectClient(target); // the scanner starts and signals remediations
  const worker = await createRemediationWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.taskQueue,
    deps: {
      okta: createOktaClient(config.okta),
      orgUrl: config.okta.orgUrl,
      appConfig,
      vendors: config.vendors,
      lookbackHours: config.lookbackHours,
      sync: config.sync,
      temporal: { client, taskQueue: config.taskQueue },
    },
  });
  console.log(`Worker polling task queue ${config.taskQueue} on ${target.address} (namespace ${target.namespace}); Okta org ${config.okta.orgUrl}`);
  await worker.run(); // stops gracefully on SIGINT/SIGTERM
  await connection.close();
  await client.connection.close();
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof TemporalUnreachableError ? err.message : err);
  process.exit(err instanceof ConfigError ? 2 : err instanceof TemporalUnreachableError ? 5 : 1);
});
