/**
 * Shared by the human-in-the-loop tests: a real SMTP server on loopback, environment variables the
 * worker's channels read, the workflow history's timers, and the official Temporal CLI.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { WorkflowHandle } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { findTemporalCli } from '../../scripts/temporal-cli';
import { parseMail, type ParsedMail } from '../notifications/mime';

export interface Mail extends ParsedMail {
  from?: string;
  to: string[];
}

export interface SmtpReceiver {
  /** An SMTP URL for a channel's `smtpUrlEnv` variable. */
  url: string;
  messages: Mail[];
  close(): Promise<void>;
}

/** A plain SMTP server on loopback (no TLS, no login): what the email channel delivers to. */
export async function startSmtp(): Promise<SmtpReceiver> {
  const messages: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        messages.push({ ...parseMail(Buffer.concat(chunks).toString('utf8')), from: from ? from.address : undefined, to: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The worker's notification activities read channel secrets from process.env (the harness does not
 * inject an env), so tests set them here and put the old values back afterwards.
 */
export function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export interface HistoryTimer {
  id: string;
  /** The timer's configured duration (TimerStarted startToFireTimeout), in ms. */
  ms: number;
  fired: boolean;
  /** Event id of the TimerStarted event, to order it against other events. */
  startedAt: number;
}

type Events = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

const durationMs = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(d?.seconds ?? 0) * 1000 + Math.round((d?.nanos ?? 0) / 1e6);

export async function historyOf(handle: WorkflowHandle): Promise<Events> {
  return (await handle.fetchHistory()).events ?? [];
}

/** Every timer the workflow started, in order, with its configured duration and whether it fired. */
export function timersOf(events: Events): HistoryTimer[] {
  const fired = new Set(events.flatMap((e) => (e.timerFiredEventAttributes?.timerId ? [e.timerFiredEventAttributes.timerId] : [])));
  return events.flatMap((e) => {
    const t = e.timerStartedEventAttributes;
    return t?.timerId ? [{ id: t.timerId, ms: durationMs(t.startToFireTimeout), fired: fired.has(t.timerId), startedAt: Number(e.eventId) }] : [];
  });
}

/** Event ids of the updates the workflow accepted, and of the signals it received. */
/** The messages people and scripts sent (signals from the remediation's own retry child are not theirs). */
export function messagesOf(events: Events): { updatesAccepted: number[]; updatesCompleted: number[]; signals: string[] } {
  const fromOutside = (e: Events[number]) => (e.workflowExecutionSignaledEventAttributes?.externalWorkflowExecution ? [] : [e]);
  return {
    updatesAccepted: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).map((e) => Number(e.eventId)),
    updatesCompleted: events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).map((e) => Number(e.eventId)),
    signals: events.flatMap(fromOutside).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName ? [e.workflowExecutionSignaledEventAttributes.signalName] : [])),
  };
}

export interface CliRun {
  code: number;
  out: string;
}

/** The official `temporal` CLI against the test's dev server, as an operator or a script would run it. */
export function temporalCli(address: string, args: string[]): Promise<CliRun> {
  const bin = findTemporalCli();
  if (!bin) throw new Error('The Temporal CLI is not available (the dev server needs it too): run `npm run server` once to build it.');
  const child = spawn(bin, [...args, '--address', address], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? 1, out })));
}
