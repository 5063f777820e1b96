/** Entry point of the workflow bundle: every workflow the worker runs. */
export { remediateAppV2 } from './remediation/remediate-app';
/** The paged retry of a remediation, as its child workflow. */
export { repushAppPages } from './remediation/repush-child';
/** Frozen: finishes the remediations started before remediateAppV2 (see the README's "Upgrading"). */
export { remediateApp } from './frozen/remediate-app-v1';
export { scanOktaLog } from './scan';
