/** Real receivers on loopback, and running the activity the way Temporal would. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { DeliverNoticeInput, NotificationActivityDeps, NoticeDelivery } from '../../activities/notifications';
import { createNotificationActivities } from '../../activities/notifications';
import { capturedLogs, testLogger } from '../support/log-capture';

export function deliver(deps: NotificationActivityDeps, input: DeliverNoticeInput, env = new MockActivityEnvironment(undefined, { logger: testLogger })): Promise<NoticeDelivery> {
  const { deliverNotice } = createNotificationActivities(deps);
  return env.run(deliverNotice, input);
}

export async function failureOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const err = await p.then(
    () => {
      throw new Error('expected the delivery to fail');
    },
    (e: unknown) => e,
  );
  return err as Error & Record<string, unknown>;
}

/** Everything that leaves the activity for Temporal or the logs, as one string to search. */
export function everythingSaid(err: unknown): string {
  const e = err as Error & Record<string, unknown>;
  return [e.message, e.stack, JSON.stringify(e), JSON.stringify(capturedLogs.map((l) => [l.message, l.meta]))].join('\n');
}

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Receiver {
  url(path: string): string;
  requests: Received[];
  /** What the next requests get (default 200 "ok"). */
  reply: Reply;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const receiver = { reply: { status: 200, body: 'ok' } as Reply };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, headers, body } = receiver.reply;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A receiver that accepts connections and never answers. */
export async function startSilentServer(): Promise<{ url(path: string): string; close(): Promise<void> }> {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
