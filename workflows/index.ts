/** Entry point of the workflow bundle: every workflow the worker runs. */
export { remediateApp } from './remediation';
export { scanOktaLog } from './scan';
