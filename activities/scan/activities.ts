/**
 * The scanner's activities: read a bounded window of the System Log's provisioning failures, and
 * hand an app's credential failures to its remediation. The scan workflow decides between them.
 */
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startOrJoinRemediation, type JoinResult } from '../../cli/remediation-client';
import { PROVISIONING_EVENT_PREFIX, toProvisioningFailure, type LogEventLike, type ProvisioningFailure } from '../../domain/okta-events';
import type { AffectedUser } from '../../domain/types';
import type { OktaClient } from '../okta/client';
import { toActivityFailure } from '../okta/errors';

export interface ScanActivityDeps {
  okta: OktaClient;
  /** The client and task queue remediations start on; a worker without it cannot run scans. */
  temporal?: { client: Client; taskQueue: string };
  now?: () => Date;
}

/** Named in the scan workflow's non-retryable errors. */
const SCANNER_NOT_CONFIGURED = 'ScannerNotConfigured';

const FAILURE_FILTER = `eventType sw "${PROVISIONING_EVENT_PREFIX}" and outcome.result eq "FAILURE"`;
/** Okta's messages can be long; the report needs only their start. */
const MESSAGE_MAX = 200;

export interface ReadFailuresInput {
  since: string;
  until: string;
  limit: number;
}

export interface ReadFailuresResult {
  /** Oldest first. */
  failures: ProvisioningFailure[];
  /** True when the window holds more than `limit` failures. */
  truncated: boolean;
}

export interface JoinRemediationInput {
  appId: string;
  users: AffectedUser[];
}

export function createScanActivities(deps: ScanActivityDeps) {
  const now = deps.now ?? (() => new Date());

  /** Provisioning FAILURE events published in [since, until): a bounded query, so the iterator ends. */
  async function readProvisioningFailures(input: ReadFailuresInput): Promise<ReadFailuresResult> {
    const what = `reading the System Log from ${input.since} to ${input.until}`;
    const failures: ProvisioningFailure[] = [];
    let truncated = false;
    try {
      const events = await deps.okta.systemLogApi.listLogEvents({
        since: input.since,
        until: input.until,
        filter: FAILURE_FILTER,
        sortOrder: 'ASCENDING',
        limit: Math.min(input.limit + 1, 1000),
      });
      await events.each((e) => {
        const f = toProvisioningFailure(e as LogEventLike);
        if (!f) return true;
        if (failures.length === input.limit) {
          truncated = true;
          return false;
        }
        failures.push({ ...f, message: f.message.slice(0, MESSAGE_MAX) });
        return true;
      });
    } catch (err) {
      throw toActivityFailure(err, what, now());
    }
    return { failures, truncated };
  }

  async function joinRemediation(input: JoinRemediationInput): Promise<JoinResult> {
    if (!deps.temporal) {
      throw ApplicationFailure.nonRetryable('This worker has no Temporal client for the scanner: create it with createActivities({ temporal: { client, taskQueue } }).', SCANNER_NOT_CONFIGURED);
    }
    return startOrJoinRemediation(deps.temporal.client, deps.temporal.taskQueue, input.appId, input.users);
  }

  return { readProvisioningFailures, joinRemediation };
}
