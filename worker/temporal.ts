/** Connecting to Temporal with the standard settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, temporal.toml ...). */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError } from '../config/worker-config';

export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
}

export interface TemporalTarget {
  address: string;
  namespace: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
}

/** host:port, [IPv6]:port: what the Temporal SDK dials (no scheme, no path). */
const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: env as Record<string, string> });
  const address = connectionOptions.address ?? 'localhost:7233';
  const port = Number(ADDRESS.exec(address)?.[3]);
  if (!(port >= 1 && port <= 65535)) {
    const setting = env.TEMPORAL_ADDRESS ? 'TEMPORAL_ADDRESS' : 'The address of the temporal.toml profile';
    throw new ConfigError(`Configuration error: ${setting} must be host:port, e.g. localhost:7233 or my-ns.a1b2c.tmprl.cloud:7233 (no scheme, no path).`);
  }
  return { address, namespace: namespace ?? 'default', connectionOptions };
}

function unreachable(target: TemporalTarget, err: unknown): TemporalUnreachableError {
  return new TemporalUnreachableError(
    `No Temporal server reachable at ${target.address} (namespace ${target.namespace}): start one with \`npm run server\`, or set TEMPORAL_ADDRESS. (${(err as Error).message})`,
  );
}

export async function connectClient(target = temporalTarget()): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...target.connectionOptions, address: target.address, connectTimeout: '3s' });
    return new Client({ connection, namespace: target.namespace });
  } catch (err) {
    throw unreachable(target, err);
  }
}

export async function connectWorker(target = temporalTarget()): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ ...target.connectionOptions, address: target.address });
  } catch (err) {
    throw unreachable(target, err);
  }
}
