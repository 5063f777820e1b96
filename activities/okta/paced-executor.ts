/**
 * The Okta SDK's request executor, paced by the worker's rate budget: every request waits for its
 * bucket's budget, every answer teaches the budget, and a 429 that still happens waits for its
 * reset and is sent again here, so it never spends one of a user's attempts.
 */
import { Context } from '@temporalio/activity';
import { RequestExecutor } from '@okta/okta-sdk-nodejs';
import { oktaBucketOf, type OktaRateBudget } from './rate-budget';

/** Past this many 429s in a row the answer goes back to the caller (Temporal's retry takes over). */
const MAX_THROTTLED_RESENDS = 5;

type SdkRequest = Parameters<RequestExecutor['fetch']>[0] & { url: string };
type SdkResponse = Awaited<ReturnType<RequestExecutor['fetch']>>;

/** Heartbeats while a request waits, when it runs inside an activity. */
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // not in an activity (a script or a test): nothing to keep alive
  }
}

export class PacedRequestExecutor extends RequestExecutor {
  constructor(
    private readonly budget: OktaRateBudget,
    private readonly requestTimeoutMs: number,
  ) {
    super();
  }

  override async fetch(request: SdkRequest): Promise<SdkResponse> {
    const bucket = oktaBucketOf(new URL(request.url).pathname);
    for (let throttled = 0; ; throttled++) {
      await this.budget.acquire(bucket, heartbeat);
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
