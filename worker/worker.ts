/** The worker: runs remediation workflows and the activities built from the given dependencies. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { keepAlive } from '../activities/keep-alive';
import { MAX_CACHED_WORKFLOWS } from '../config/worker-config';

export interface RemediationWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Graceful shutdown and concurrency limits (the SDK's defaults when absent). */
  limits?: { shutdownGraceMs: number; maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number; maxCachedWorkflows: number };
}

export async function createRemediationWorker(opts: RemediationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    interceptors: { activity: [keepAlive] },
    // Heartbeats reach the server every 10 s, not every 24 s (80% of the 30-s timeout): a busy
    // machine that delays one by seconds does not time a healthy activity out.
    maxHeartbeatThrottleInterval: '10 seconds',
    ...(opts.limits
      ? {
          shutdownGraceTime: opts.limits.shutdownGraceMs,
          maxConcurrentActivityTaskExecutions: opts.limits.maxConcurrentActivities,
          maxConcurrentWorkflowTaskExecutions: opts.limits.maxConcurrentWorkflowTasks,
        }
      : {}),
    maxCachedWorkflows: opts.limits?.maxCachedWorkflows ?? MAX_CACHED_WORKFLOWS,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}
