/** A text progress bar, shared by `okta-remediate watch` and the Web UI's current details. */
const WIDTH = 24;

export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? WIDTH : Math.round((Math.min(done, total) / total) * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total}`;
}
