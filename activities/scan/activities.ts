/**
 * The scanner's activities: read the System Log's provisioning failures on from Okta's polling
 * cursor, hand an app's credential failures to its remediation, and say where notices about the
 * scanner go. The scan workflow decides between them.
 */
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startOrJoinRemediation, type JoinResult } from '../../client/remediations';
import { PROVISIONING_FAILURE_FILTER, toProvisioningFailure, type LogEventLike, type ProvisioningFailure } from '../../domain/okta-events';
import type { AffectedUser, AppPolicy } from '../../domain/types';
import type { AppConfig } from '../../config/app-config';
import type { OktaClient } from '../okta/client';
import { toActivityFailure } from '../okta/errors';

export interface ScanActivityDeps {
  okta: OktaClient;
  appConfig: Pick<AppConfig, 'defaultNotify'>;
  /** The client and task queue remediations start on; a worker without it cannot run scans. */
  temporal?: { client: Client; taskQueue: string };
  now?: () => Date;
}

/** Named in the scan workflow's non-retryable errors. */
const SCANNER_NOT_CONFIGURED = 'ScannerNotConfigured';

/** Okta's messages can be long; the report needs only their start. */
const MESSAGE_MAX = 200;

/** Okta's largest page. */
const PAGE_MAX = 1000;

export interface ReadFailuresInput {
  /** Okta's polling cursor to go on from. */
  after?: string;
  /** Without a cursor (or with one older than Okta's default `since`): from this persistence time. */
  since?: string;
  limit: number;
}

export interface ReadFailuresResult {
  /** In the order Okta persisted them. */
  failures: ProvisioningFailure[];
  /** Stopped at `limit`: more may be waiting. */
  truncated: boolean;
  /** The `after` of the last page's next link: where the next read goes on. */
  cursor?: string;
}

export interface JoinRemediationInput {
  appId: string;
  users: AffectedUser[];
}

export function createScanActivities(deps: ScanActivityDeps) {
  const now = deps.now ?? (() => new Date());

  /**
   * Provisioning FAILURE events, page by page with Okta's polling query (no `until`, ascending):
   * every page has a next link whose cursor follows persistence, so an event published late is
   * read when it arrives. It stops when a page is empty (caught up) or at `limit`; each page asks
   * for no more than the limit leaves, so the cursor is never past an event not read.
   */
  async function readProvisioningFailures(input: ReadFailuresInput): Promise<ReadFailuresResult> {
    const what = `reading the System Log ${input.after ? 'on from the last cursor' : `since ${input.since}`}`;
    const failures: ProvisioningFailure[] = [];
    let cursor = input.after;
    try {
      while (failures.length < input.limit) {
        const col = await deps.okta.systemLogApi.listLogEvents({
          since: input.since,
          after: cursor,
          filter: PROVISIONING_FAILURE_FILTER,
          sortOrder: 'ASCENDING',
          limit: Math.min(PAGE_MAX, input.limit - failures.length),
        });
        const page = (await col.getNextPage()) as LogEventLike[];
        cursor = afterOf(col.nextUri) ?? cursor;
        if (page.length === 0) return { failures, truncated: false, cursor };
        for (const e of page) {
          const f = toProvisioningFailure(e);
          if (f) failures.push({ ...f, message: f.message.slice(0, MESSAGE_MAX) });
        }
      }
    } catch (err) {
      throw toActivityFailure(err, what, now());
    }
    return { failures, truncated: true, cursor };
  }

  /** The notify lists of the configuration's defaults: the scanner belongs to no app. */
  async function scannerNoticeChannels(): Promise<AppPolicy['notify']> {
    return deps.appConfig.defaultNotify();
  }

  async function joinRemediation(input: JoinRemediationInput): Promise<JoinResult> {
    if (!deps.temporal) {
      throw ApplicationFailure.nonRetryable('This worker has no Temporal client for the scanner: create it with createActivities({ temporal: { client, taskQueue } }).', SCANNER_NOT_CONFIGURED);
    }
    return startOrJoinRemediation(deps.temporal.client, deps.temporal.taskQueue, input.appId, input.users);
  }

  return { readProvisioningFailures, joinRemediation, scannerNoticeChannels };
}

/** The `after` parameter of a next link; Okta's cursor is opaque, so it is kept as given. */
function afterOf(nextUri: string | undefined): string | undefined {
  if (!nextUri) return undefined;
  try {
    return new URL(nextUri).searchParams.get('after') ?? undefined;
  } catch {
    return undefined;
  }
}
