/**
 * The Okta SDK's request executor, paced by the worker's rate budget: every request waits for its
 * bucket's budget, every answer teaches the budget, and a 429 that still happens waits for its
 * reset and is sent again here, so it never spends one of a user's attempts.
 */
import { RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { RateBudget } from '../rate-budget';

/** Okta's rate-limit families (see docs/simulators.md): an app user's GET and POST share `/api/v1/apps`. */
export function oktaBucketOf(pathname: string): string {
  const m = /^\/api\/v1\/[^/?]+/.exec(pathname);
  return m ? m[0] : pathname;
}

/** Past this many 429s in a row the answer goes back to the caller (Temporal's retry takes over). */
const MAX_THROTTLED_RESENDS = 5;

type SdkRequest = Parameters<RequestExecutor['fetch']>[0] & { url: string };
type SdkResponse = Awaited<ReturnType<RequestExecutor['fetch']>>;

export class PacedRequestExecutor extends RequestExecutor {
  /** Makes a request fit to send again (a DPoP proof is good for one request: a re-send needs a new one). */
  renew?: (request: SdkRequest) => Promise<void>;

  constructor(
    private readonly budget: RateBudget,
    private readonly requestTimeoutMs: number,
  ) {
    super();
  }

  override async fetch(request: SdkRequest): Promise<SdkResponse> {
    const bucket = oktaBucketOf(new URL(request.url).pathname);
    for (let throttled = 0; ; throttled++) {
      // No heartbeat while waiting: an empty one would overwrite the details an activity resumes
      // from (a re-push's pushedAt, the test user's guard). A wait lasts at most one window.
      await this.budget.acquire(bucket);
      if (throttled > 0) await this.renew?.(request);
      let response: SdkResponse;
      try {
        // node-fetch 2 honours `timeout` (its types omit it): each attempt gets the whole time.
        response = await super.fetch({ ...request, timeout: this.requestTimeoutMs } as SdkRequest);
      } catch (err) {
        this.budget.release(bucket, { get: () => null }, 0);
        throw err;
      }
      this.budget.release(bucket, response.headers, response.status);
      if (response.status !== 429 || throttled >= MAX_THROTTLED_RESENDS) return response;
      await response.text(); // free the connection before sending again
    }
  }
}
