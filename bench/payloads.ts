/**
 * The largest payload a workflow history holds (activity inputs and results, signals, updates,
 * the result, ...): the figure Temporal's 2 MB blob limit applies to, one field at a time.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

/** Sums each `payloads` list (one field's arguments) and returns the largest sum, in bytes. */
export function largestPayloadBytes(history: History): number {
  let largest = 0;
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const payloads = (value as { payloads?: unknown }).payloads;
    if (Array.isArray(payloads)) {
      const bytes = payloads.reduce((sum: number, p: { data?: Uint8Array | null; metadata?: Record<string, Uint8Array> | null }) => {
        const meta = Object.values(p.metadata ?? {}).reduce((m, v) => m + v.length, 0);
        return sum + (p.data?.length ?? 0) + meta;
      }, 0);
      largest = Math.max(largest, bytes);
    }
    Object.values(value).forEach(visit);
  };
  visit(history.events ?? []);
  return largest;
}

/** A run's history as the server stores it, in bytes: the figure its 50 MB limit applies to. */
export const historyBytes = (history: History): number => temporal.api.history.v1.History.encode(history).finish().length;

/**
 * A run's whole history, read 10 batches of events a page (the server counts a page in batches,
 * and signals that arrive during one workflow task form one): a bigger page of a big run can pass
 * the client's 4 MB gRPC message limit, where the SDK's fetchHistory fails.
 */
export async function fetchHistoryInPages(client: Client, workflowId: string, runId?: string): Promise<History> {
  const events: NonNullable<History['events']> = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId, runId }, maximumPageSize: 10, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}
