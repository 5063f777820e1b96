/** `okta-remediate list`, `watch` and `ui`: where remediations stand, from the terminal. */
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import { PHASES, type Phase, type Vendor } from '../domain/types';
import { VENDORS } from '../domain/vendors/registry';
import { loadTaskQueue } from '../config/worker-config';
import { connectClient } from '../worker/temporal';
import { REMEDIATION_WORKFLOW_TYPES, remediationWorkflowId } from '../domain/messages';
import { AFFECTED_USERS, OKTA_APP_ID, OKTA_APP_LABEL, OKTA_VENDOR, REMEDIATION_PHASE } from '../domain/search-attributes';
import { CliError, EXIT } from '../client/errors';
import { appIdOption, parseWith, type Io } from './options';
import { watchRemediation } from './watch';

export interface ListedRemediation {
  appId: string;
  appLabel?: string;
  vendor?: string;
  phase?: string;
  affectedUsers?: number;
  temporalStatus: string;
  workflowId: string;
  runId: string;
  startTime: string;
  closeTime?: string;
}

/** The Visibility query; every value in it was validated against a closed list. */
export function listQuery(taskQueue: string, filters: { phase?: Phase; vendor?: Vendor }): string {
  const clauses = [`WorkflowType IN (${REMEDIATION_WORKFLOW_TYPES.map((t) => `"${t}"`).join(', ')})`, `TaskQueue = "${taskQueue}"`];
  if (filters.phase) clauses.push(`${REMEDIATION_PHASE.name} = "${filters.phase}"`);
  if (filters.vendor) clauses.push(`${OKTA_VENDOR.name} = "${filters.vendor}"`);
  return clauses.join(' AND ');
}

function toListed(wf: WorkflowExecutionInfo): ListedRemediation {
  const sa = wf.typedSearchAttributes;
  return {
    appId: sa.get(OKTA_APP_ID) ?? wf.workflowId,
    appLabel: sa.get(OKTA_APP_LABEL),
    vendor: sa.get(OKTA_VENDOR),
    phase: sa.get(REMEDIATION_PHASE),
    affectedUsers: sa.get(AFFECTED_USERS),
    temporalStatus: wf.status.name,
    workflowId: wf.workflowId,
    runId: wf.runId,
    startTime: wf.startTime.toISOString(),
    closeTime: wf.closeTime?.toISOString(),
  };
}

export async function listRemediations(client: Client, query: string, limit: number): Promise<ListedRemediation[]> {
  const out: ListedRemediation[] = [];
  for await (const wf of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
    out.push(toListed(wf));
    if (out.length >= limit) break;
  }
  return out;
}

function table(rows: ListedRemediation[]): string {
  const cells = [
    ['APP', 'LABEL', 'VENDOR', 'PHASE', 'USERS', 'STATUS', 'STARTED'],
    ...rows.map((r) => [r.appId, r.appLabel ?? '-', r.vendor ?? '-', r.phase ?? '-', String(r.affectedUsers ?? '-'), r.temporalStatus, r.startTime]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const UI_URL = z.url({ protocol: /^https?$/, error: 'must be the http(s) address of the Temporal Web UI, e.g. http://localhost:8233' }).transform((v) => v.replace(/\/+$/, ''));

/** The Web UI's address: TEMPORAL_UI_URL, else the dev server's default. */
export function temporalUiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.TEMPORAL_UI_URL || 'http://localhost:8233';
  const parsed = UI_URL.safeParse(raw);
  if (!parsed.success) throw new CliError(`TEMPORAL_UI_URL ${parsed.error.issues[0]?.message ?? 'is invalid'}.`, EXIT.invalidInput);
  return parsed.data;
}

/** Without a run id the UI opens the latest run, so the link stays good when a scan starts a new one. */
export function workflowUiUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function addVisibilityCommands(program: Command, io: Io): void {
  program
    .command('list')
    .description('List remediations, newest first, with their phase and affected users (through the Visibility API)')
    .option('--phase <phase>', `only this phase: ${PHASES.join(', ')}`, parseWith(z.enum(PHASES), 'invalid --phase'))
    .option('--vendor <vendor>', `only this vendor: ${VENDORS.join(', ')}`, parseWith(z.enum(VENDORS), 'invalid --vendor'))
    .option('--limit <n>', 'at most this many', parseWith(z.coerce.number().int().min(1).max(1000), 'invalid --limit'), 50)
    .option('--json', 'print JSON')
    .action(async (opts: { phase?: Phase; vendor?: Vendor; limit: number; json?: boolean }) => {
      const rows = await listRemediations(await connectClient(), listQuery(loadTaskQueue(), opts), opts.limit);
      if (opts.json) io.out(JSON.stringify(rows, null, 2) + '\n');
      else io.out(rows.length > 0 ? `${table(rows)}\n` : 'No remediations match.\n');
    });

  program
    .command('watch')
    .description("Follow an app's remediation until it ends: phase, and a progress bar while users are retried")
    .addOption(appIdOption())
    .option('--poll <ms>', 'how often to ask the workflow', parseWith(z.coerce.number().int().min(50).max(60_000), 'invalid --poll'), 1000)
    .option('--json', 'print one JSON object per change, then the final status')
    .action(async (opts: { app: string; poll: number; json?: boolean }) => {
      await watchRemediation(await connectClient(), opts.app, io, { pollMs: opts.poll, json: opts.json === true });
    });

  program
    .command('ui')
    .description("Print the Temporal Web UI link of an app's remediation (base: TEMPORAL_UI_URL)")
    .addOption(appIdOption())
    .option('--json', 'print JSON')
    .action(async (opts: { app: string; json?: boolean }) => {
      const base = temporalUiUrl();
      const client = await connectClient();
      const workflowId = remediationWorkflowId(opts.app);
      let runId: string;
      try {
        runId = (await client.workflow.getHandle(workflowId).describe()).runId;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new CliError(`No remediation found for app ${opts.app}.`, EXIT.noRemediation);
        throw err;
      }
      const url = workflowUiUrl(base, client.options.namespace, workflowId);
      io.out(opts.json ? JSON.stringify({ url, namespace: client.options.namespace, workflowId, runId }, null, 2) + '\n' : `${url}\n`);
    });
}
