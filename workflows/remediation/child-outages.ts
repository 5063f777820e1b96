/**
 * The remediation's children (the paged retry, the batches of users) meet outages too: each keeps
 * its own and tells the remediation by signal, which pauses its status and says so as if the
 * outage were its own.
 */
import { ApplicationFailure, getExternalWorkflowHandle, setHandler, workflowInfo, type ExternalWorkflowHandle } from '@temporalio/workflow';
import { parseMessage, retryOutageArgsSchema } from '../../domain/message-input';
import { retryOutageSignal } from '../../domain/messages';
import type { Outage } from '../../domain/types';
import { refuseSignal } from './messages';
import { remediationOutageHost, type OutageHost } from './outage';
import type { Remediation } from './state';

/** The remediation that started this child workflow. */
export function parentRemediation(): ExternalWorkflowHandle {
  const { parent, workflowType } = workflowInfo();
  if (!parent) throw ApplicationFailure.nonRetryable(`${workflowType} runs only as the child of a remediation.`, 'NotAChildWorkflow');
  return getExternalWorkflowHandle(parent.workflowId);
}

/** A child's outage host: the child waits it out, the remediation (its parent) is told. */
export function childOutageHost(remediation: ExternalWorkflowHandle, appId: string, checkEverySeconds: number | undefined): OutageHost {
  let outage: Outage | undefined;
  return {
    appId,
    checkEverySeconds,
    current: () => outage,
    paused: async (o) => {
      outage = { ...o };
      await remediation.signal(retryOutageSignal, { outage });
    },
    resumed: async () => {
      outage = undefined;
      await remediation.signal(retryOutageSignal, {});
    },
  };
}

/** The remediation's side: a child's outages count as its own while the child runs. Call the returned function once it ends. */
export function acceptChildOutages(r: Remediation): () => void {
  const host = remediationOutageHost(r);
  r.childrenRunning++;
  setHandler(retryOutageSignal, (raw) => {
    const parsed = parseMessage(retryOutageArgsSchema, raw);
    if (!parsed.ok) return refuseSignal(r, 'retryOutage', parsed.problem);
    if (r.childrenRunning === 0) return refuseSignal(r, 'retryOutage', 'no child of the remediation is running');
    const { outage } = parsed.value;
    if (outage) void host.paused(outage, !r.state.outage);
    else if (r.state.outage) void host.resumed();
  });
  return () => {
    r.childrenRunning--;
    if (r.state.outage) void host.resumed();
  };
}
