/** HTTP Retry-After (RFC 9110: delay-seconds or an HTTP-date) as a delay for Temporal's next attempt. */

const MAX_DELAY_MS = 60 * 60 * 1000; // a longer wait is better spent failing loudly

export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 1000), MAX_DELAY_MS);
}
