/**
 * Checks HTTP answers against Okta's OpenAPI description (contracts/okta/management.yaml.gz): the
 * status must be declared for the operation (undeclared error statuses, such as 401 on most
 * operations, must still be Okta's `ModelError`), the JSON body must validate against the
 * declared schema, and the rate-limit headers must match the spec's X-Rate-Limit-* schemas.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SchemaConverter } from './openapi-schema';
import { loadDereferencedSpec, SPEC_PATH } from './spec';

const RATE_LIMIT_HEADERS = ['X-Rate-Limit-Limit', 'X-Rate-Limit-Remaining', 'X-Rate-Limit-Reset'] as const;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Json = Record<string, unknown>;

export interface Answer {
  method: string;
  /** The request path with its query, as sent. */
  url: string;
  status: number;
  headers: Headers;
  body: unknown;
}

interface SpecResponse {
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, { schema?: unknown }>;
}

export class OktaContract {
  private readonly ajv: Ajv;
  private readonly converter: SchemaConverter;
  private readonly validators = new Map<unknown, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp; literals: number }>;
  private readonly headerValidators = new Map<string, ValidateFunction>();

  private constructor(private readonly api: Json) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    // ajv-formats also knows OpenAPI's own formats (int32, double, password, ...).
    addFormats(this.ajv);
    const components = (api.components as Json).schemas as Record<string, unknown>;
    this.converter = new SchemaConverter(components);
    this.templates = Object.keys(api.paths as Json).map((template) => {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      return { template, pattern: new RegExp(`^${source}$`), literals: template.split('/').filter((s) => !s.startsWith('{')).length };
    });
    for (const name of RATE_LIMIT_HEADERS) this.headerValidators.set(name, this.ajv.compile(this.converter.convert(headerSchema(api, name)) as object));
  }

  static async load(specPath = SPEC_PATH): Promise<OktaContract> {
    return new OktaContract(await loadDereferencedSpec(specPath));
  }

  /** Compiles every response schema of these operations now, so checks later only validate. */
  precompile(operations: Array<[method: string, template: string]>): void {
    for (const [method, template] of operations) {
      const op = this.operation(method, template);
      if (!op) throw new Error(`the spec has no ${method} ${template}`);
      for (const response of Object.values(op.responses as Record<string, SpecResponse>)) {
        const schema = response.content?.['application/json']?.schema;
        if (schema) this.validator(schema);
      }
    }
    this.validator(this.modelError());
  }

  /** The spec's path template for a concrete path, preferring the most literal match. */
  templateFor(pathname: string): string | undefined {
    return this.templates.filter((t) => t.pattern.test(pathname)).sort((a, b) => b.literals - a.literals)[0]?.template;
  }

  /** Problems with an answer; empty when it honours the contract. */
  problems(answer: Answer): string[] {
    const pathname = new URL(answer.url, 'http://x').pathname;
    const problems = this.headerProblems(answer.headers);
    const template = this.templateFor(pathname);
    const op = template && this.operation(answer.method, template);
    let schema: unknown;
    if (op) {
      const responses = op.responses as Record<string, SpecResponse>;
      const declared = responses[String(answer.status)] ?? responses.default;
      if (declared) {
        schema = declared.content?.['application/json']?.schema;
        if (!schema && answer.body !== undefined) problems.push(`status ${answer.status} declares no body, got one`);
      } else if (answer.status >= 400) {
        schema = this.modelError();
      } else {
        problems.push(`status ${answer.status} is not declared for ${answer.method} ${template}`);
      }
    } else if (answer.status >= 400) {
      // Not an Okta operation (unknown path, wrong method): still Okta's error shape.
      schema = this.modelError();
    }
    if (schema) {
      const validate = this.validator(schema);
      if (!validate(answer.body)) problems.push(...formatErrors(validate.errors ?? []));
    }
    return problems;
  }

  /** Throws a readable error naming the route and what is wrong. */
  expectValid(answer: Answer): void {
    const problems = this.problems(answer);
    if (problems.length > 0) {
      const route = `${answer.method} ${answer.url} -> ${answer.status}`;
      throw new Error(`${route} breaks the Okta contract:\n  - ${problems.slice(0, 20).join('\n  - ')}`);
    }
  }

  private headerProblems(headers: Headers): string[] {
    const problems: string[] = [];
    for (const name of RATE_LIMIT_HEADERS) {
      const raw = headers.get(name);
      if (raw === null) {
        problems.push(`header ${name} is missing`);
        continue;
      }
      const validate = this.headerValidators.get(name)!;
      if (!/^\d+$/.test(raw) || !validate(Number(raw))) problems.push(`header ${name}: '${raw}' ${formatErrors(validate.errors ?? []).join('; ')}`);
    }
    return problems;
  }

  private operation(method: string, template: string): Json | undefined {
    const item = (this.api.paths as Record<string, Json>)[template];
    return item?.[method.toLowerCase()] as Json | undefined;
  }

  private modelError(): unknown {
    return ((this.api.components as Json).schemas as Json).ModelError;
  }

  private validator(schema: unknown): ValidateFunction {
    let v = this.validators.get(schema);
    if (!v) {
      v = this.ajv.compile(this.converter.convert(schema) as object);
      this.validators.set(schema, v);
    }
    return v;
  }
}

/** The X-Rate-Limit-* header schema as the spec declares it (on the operations that declare it). */
function headerSchema(api: Json, name: string): unknown {
  for (const item of Object.values(api.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      for (const response of Object.values((op?.responses ?? {}) as Record<string, SpecResponse>)) {
        const schema = response.headers?.[name]?.schema;
        if (schema) return schema;
      }
    }
  }
  throw new Error(`the spec declares no ${name} header`);
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
