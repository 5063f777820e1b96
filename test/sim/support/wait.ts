/** Polls a condition instead of sleeping a fixed time. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, { timeoutMs = 5_000, intervalMs = 10 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
