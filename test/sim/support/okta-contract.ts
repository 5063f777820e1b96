/**
 * Okta's contract (contracts/okta/management.yaml.gz): the generic checks of contract.ts, Okta's
 * `ModelError` for every error the description does not declare (such as 401 on most operations),
 * and the X-Rate-Limit-* headers on every answer, valid against the description's header schemas.
 */
import type { ValidateFunction } from 'ajv';
import { Contract, formatErrors, type Answer, type Json } from './contract';
import { SchemaConverter } from './openapi-schema';
import { loadDereferencedSpec, SPEC_PATHS } from './spec';

const RATE_LIMIT_HEADERS = ['X-Rate-Limit-Limit', 'X-Rate-Limit-Remaining', 'X-Rate-Limit-Reset'] as const;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export class OktaContract extends Contract {
  private readonly headerValidators = new Map<string, ValidateFunction>();

  private constructor(api: Json) {
    const schemas = (api.components as Json).schemas as Json;
    super(api, {
      vendor: 'Okta',
      usualError: () => ({ schema: schemas.ModelError, mediaTypes: ['application/json'] }),
      simulatorOnly: /^\/sim\//,
    });
    const converter = new SchemaConverter(schemas);
    for (const name of RATE_LIMIT_HEADERS) this.headerValidators.set(name, this.ajv.compile(converter.convert(headerSchema(api, name)) as object));
  }

  static async load(specPath: string = SPEC_PATHS.okta): Promise<OktaContract> {
    return new OktaContract(await loadDereferencedSpec(specPath));
  }

  /** The OAuth scopes the description's `security` lets an operation be called with. */
  oauthScopes(method: string, template: string): string[] {
    const op = ((this.api.paths as Record<string, Json>)[template] ?? {})[method.toLowerCase()] as Json | undefined;
    if (!op) throw new Error(`the description has no ${method} ${template}`);
    return ((op.security ?? []) as Array<Record<string, string[]>>).flatMap((s) => s.oauth2 ?? []);
  }

  protected override extraProblems(answer: Answer): string[] {
    const problems: string[] = [];
    for (const name of RATE_LIMIT_HEADERS) {
      const raw = answer.headers.get(name);
      if (raw === null) {
        problems.push(`header ${name} is missing`);
        continue;
      }
      const validate = this.headerValidators.get(name)!;
      if (!/^\d+$/.test(raw) || !validate(Number(raw))) problems.push(`header ${name}: '${raw}' ${formatErrors(validate.errors ?? []).join('; ')}`);
    }
    return problems;
  }
}

/** The X-Rate-Limit-* header schema as the description declares it (on the operations that declare it). */
function headerSchema(api: Json, name: string): unknown {
  for (const item of Object.values(api.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      for (const response of Object.values((op?.responses ?? {}) as Record<string, { headers?: Record<string, { schema?: unknown }> }>)) {
        const schema = response.headers?.[name]?.schema;
        if (schema) return schema;
      }
    }
  }
  throw new Error(`the description declares no ${name} header`);
}
