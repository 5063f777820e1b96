/** `npm run worker`: the long-running worker process, configured from the environment. */
import { createOktaClient } from '../activities/okta/client';
import { loadAppConfig } from './app-config';
import { ConfigError, loadWorkerConfig } from './config';
import { connectClient, connectWorker, temporalTarget, TemporalUnreachableError } from './temporal';
import { createRemediationWorker } from './worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const target = temporalTarget();
  const connection = await connectWorker(target);
  const client = await connectClient(target); // the scanner starts and signals remediations
  const worker = await createRemediationWorker({
    connection,
    namespace: target.namespace,
    taskQueue: config.taskQueue,
    deps: {
      okta: createOktaClient(config.okta),
      orgUrl: config.okta.orgUrl,
      appConfig: loadAppConfig(),
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
  const known = err instanceof ConfigError || err instanceof TemporalUnreachableError;
  console.error(known ? err.message : err);
  process.exit(known ? 2 : 1);
});
