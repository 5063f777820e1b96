/**
 * GitHub's contract (contracts/github/ghec.subset.json.gz, from @octokit/openapi's ghec.json): the
 * generic checks of contract.ts, and
 * - for an error the description does not declare, GitHub's usual shape: `scim-error` on the SCIM
 *   paths (as their declared errors are), `basic-error` elsewhere;
 * - on every answer, the x-ratelimit-* headers of the bucket it was charged to: together they must
 *   be a valid `rate-limit` object (limit, remaining, reset, used), and X-RateLimit-Resource must
 *   name one of the resources of `rate-limit-overview` (what GET /rate_limit reports).
 */
import { Contract, type Answer, type Json } from './contract';
import { loadDereferencedSpec, SPEC_PATHS } from './spec';

const SCIM_PATH = /^\/scim\/v2\//;
const FIELDS = ['limit', 'remaining', 'reset', 'used'] as const;

export class GitHubContract extends Contract {
  private readonly rateLimit: unknown;
  private readonly resources: string[];

  private constructor(api: Json) {
    const schemas = (api.components as Json).schemas as Record<string, Json>;
    super(api, {
      vendor: 'GitHub',
      usualError: (pathname) =>
        SCIM_PATH.test(pathname) ? { schema: schemas['scim-error'], mediaTypes: ['application/scim+json', 'application/json'] } : { schema: schemas['basic-error'], mediaTypes: ['application/json'] },
      // x-rate-limit-reset is `integer` with `format: timestamp`, a format only GitHub knows.
      extraFormats: ['timestamp'],
    });
    this.rateLimit = schemas['rate-limit'];
    const overview = schemas['rate-limit-overview']!.properties as Record<string, Json>;
    this.resources = Object.keys(overview.resources!.properties as Json);
  }

  static async load(): Promise<GitHubContract> {
    return new GitHubContract(await loadDereferencedSpec(SPEC_PATHS.github));
  }

  /** The rate-limit resources GitHub's description names (core, search, scim, ...). */
  rateLimitResources(): readonly string[] {
    return this.resources;
  }

  protected override extraProblems(answer: Answer): string[] {
    const problems: string[] = [];
    const rate: Record<string, unknown> = {};
    for (const field of FIELDS) {
      const raw = answer.headers.get(`x-ratelimit-${field}`);
      if (raw === null) problems.push(`header X-RateLimit-${field} is missing`);
      else rate[field] = /^\d+$/.test(raw) ? Number(raw) : raw;
    }
    if (problems.length === 0) problems.push(...this.schemaProblems(this.rateLimit, rate).map((p) => `x-ratelimit-* headers: ${p}`));
    const resource = answer.headers.get('x-ratelimit-resource');
    if (!resource || !this.resources.includes(resource)) problems.push(`header X-RateLimit-Resource '${resource}' is none of ${this.resources.join(', ')}`);
    return problems;
  }
}
