/** Connecting to Temporal with the standard settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, temporal.toml ...). */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
}

export interface TemporalTarget {
  address: string;
  namespace: string;
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
}

export function temporalTarget(): TemporalTarget {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return { address: connectionOptions.address ?? 'localhost:7233', namespace: namespace ?? 'default', connectionOptions };
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
