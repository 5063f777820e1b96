/** Entry point of the workflow bundle: every workflow the worker runs. */
export { remediateAppV2 } from './remediation/remediate-app';
/** The paged retry of a remediation, as its child workflow. */
export { repushAppPages } from './remediation/repush-child';
/** Removals and one-by-one re-pushes of a remediation, a batch of users each, as its child workflows. */
export { handleUserBatch } from './remediation/user-batch-child';
/** Holds a remediation's users while it continues as new. */
export { remediationCheckpoint } from './remediation/checkpoint';
/** Frozen: finishes the remediations started before remediateAppV2 (see the README's "Upgrading"). */
export { remediateApp } from './frozen/remediate-app-v1';
export { scanOktaLog } from './scan';
/** The dry run: diagnosis and plan, nothing changed. */
export { dryRunRemediation } from './dry-run';
