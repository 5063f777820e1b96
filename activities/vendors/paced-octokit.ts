/**
 * GitHub's primary rate limit as a budget: every request through the pipeline's Octokit waits
 * for its resource's budget (`core`, `scim` for the org's SCIM API, `graphql` for GraphQL: GitHub
 * meters them apart), and every answer teaches the budget from its x-ratelimit-* headers. A budget spent until an
 * hourly reset throws BudgetSpent (errors.ts makes it GitHubRateLimited, tried again at the reset).
 */
import type { Octokit } from '@octokit/rest';
import { headersOf, type RateBudget } from '../rate-budget';

/** GitHub answers a spent primary limit with 403 or 429 and remaining 0: both are throttles. */
const throttled = (status: number, h: Record<string, unknown> | undefined) => status === 429 || (status === 403 && String(h?.['x-ratelimit-remaining']) === '0');

export function paceOctokit(octokit: Octokit, budget: RateBudget): void {
  octokit.hook.wrap('request', async (request, options) => {
    const url = String(options.url);
    if (/\/rate_limit$/.test(url)) return request(options); // free: GitHub counts it against no budget
    const bucket = /\/scim\/v2\//.test(url) ? 'scim' : /\/graphql$/.test(url) ? 'graphql' : 'core';
    await budget.acquire(bucket);
    try {
      const res = await request(options);
      budget.release(bucket, headersOf(res.headers), res.status);
      return res;
    } catch (err) {
      const e = err as { status?: number; response?: { headers?: Record<string, unknown> } };
      const status = e.status ?? 0;
      budget.release(bucket, headersOf(e.response?.headers), throttled(status, e.response?.headers) ? 429 : status);
      throw err;
    }
  });
}
