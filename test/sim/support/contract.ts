/**
 * Checks HTTP answers against a vendor's API description (OpenAPI 3.0 or Swagger 2.0, dereferenced):
 * the status must be declared for the operation, or be an error in the vendor's usual error shape
 * (undeclared statuses, unknown paths); the body's media type must be one the status declares, and
 * the body must validate against its schema. A success on a path or method the description lacks
 * is a problem too. Each vendor adds its own rules, headers mostly: okta-contract.ts,
 * github-contract.ts, docusign-contract.ts.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SchemaConverter } from './openapi-schema';

export type Json = Record<string, unknown>;

export interface Answer {
  method: string;
  /** The request path with its query, as sent. */
  url: string;
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text for other media types, undefined when empty. */
  body: unknown;
}

/** The vendor's usual error: what an answer must look like when the description declares nothing for it. */
export interface ErrorShape {
  schema: unknown;
  mediaTypes: readonly string[];
}

export interface ContractOptions {
  vendor: string;
  usualError: (pathname: string) => ErrorShape;
  /** The prefix the description's paths are relative to (Swagger 2.0 `basePath`). */
  basePath?: string;
  /** Paths the simulator serves for tests only (they need no operation). */
  simulatorOnly?: RegExp;
  /** Formats the description uses that Ajv does not know; they stay annotations. */
  extraFormats?: readonly string[];
  enumFromDescription?: (description: string) => string[] | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** The media types a declared response has, each with its schema (undefined: any body). */
type Bodies = Map<string, unknown>;

export class Contract {
  protected readonly ajv: Ajv;
  private readonly converter: SchemaConverter;
  private readonly validators = new Map<unknown, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp; literals: number }>;
  private readonly swagger2: boolean;

  constructor(
    protected readonly api: Json,
    private readonly opts: ContractOptions,
  ) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    // ajv-formats also knows OpenAPI's own formats (int32, double, password, ...).
    addFormats(this.ajv);
    for (const name of opts.extraFormats ?? []) this.ajv.addFormat(name, true);
    this.swagger2 = api.swagger === '2.0';
    const schemas = (this.swagger2 ? api.definitions : (api.components as Json | undefined)?.schemas) as Record<string, unknown> | undefined;
    this.converter = new SchemaConverter(schemas ?? {}, opts.enumFromDescription);
    this.templates = Object.keys(api.paths as Json).map((template) => {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      return { template, pattern: new RegExp(`^${source}$`), literals: template.split('/').filter((s) => !s.startsWith('{')).length };
    });
  }

  /** Whether the description has this operation; `template` as the description writes it (relative to basePath). */
  hasOperation(method: string, template: string): boolean {
    return this.operation(method, template) !== undefined;
  }

  /** Compiles every response schema of these operations now, so checks later only validate. */
  precompile(operations: Array<[method: string, template: string]>): void {
    for (const [method, template] of operations) {
      const op = this.operation(method, template);
      if (!op) throw new Error(`${this.opts.vendor}'s description has no ${method} ${template}`);
      for (const response of Object.values(op.responses as Record<string, Json>)) {
        for (const schema of this.bodies(op, response).values()) if (schema) this.validator(schema);
      }
      this.validator(this.opts.usualError(`${this.opts.basePath ?? ''}${template}`).schema);
    }
  }

  /** The description's path template for a concrete path (relative to basePath), preferring the most literal match. */
  templateFor(pathname: string): string | undefined {
    return this.templates.filter((t) => t.pattern.test(pathname)).sort((a, b) => b.literals - a.literals)[0]?.template;
  }

  /** Problems with an answer; empty when it honours the contract. */
  problems(answer: Answer): string[] {
    const problems = this.extraProblems(answer);
    const pathname = new URL(answer.url, 'http://x').pathname;
    const { basePath = '' } = this.opts;
    const relative = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : undefined;
    const template = relative === undefined ? undefined : this.templateFor(relative);
    const op = template === undefined ? undefined : this.operation(answer.method, template);
    let bodies: Bodies | undefined;
    if (op) {
      const responses = op.responses as Record<string, Json>;
      const declared = responses[String(answer.status)] ?? responses.default;
      if (declared) bodies = this.bodies(op, declared);
      else if (answer.status < 400) problems.push(`status ${answer.status} is not declared for ${answer.method} ${template}`);
    } else if (answer.status < 400 && !this.opts.simulatorOnly?.test(pathname)) {
      problems.push(`${answer.method} ${template ?? pathname} is not an operation of ${this.opts.vendor}'s description`);
    }
    if (!bodies && answer.status >= 400) {
      const usual = this.opts.usualError(pathname);
      bodies = new Map(usual.mediaTypes.map((m) => [m, usual.schema]));
    }
    if (bodies) problems.push(...this.bodyProblems(answer, bodies));
    return problems;
  }

  /** Throws a readable error naming the route and what is wrong. */
  expectValid(answer: Answer): void {
    const problems = this.problems(answer);
    if (problems.length > 0) {
      const route = `${answer.method} ${answer.url} -> ${answer.status}`;
      throw new Error(`${route} breaks the ${this.opts.vendor} contract:\n  - ${problems.slice(0, 20).join('\n  - ')}`);
    }
  }

  /** Vendor rules beyond the description's responses (headers); reported first. */
  protected extraProblems(_answer: Answer): string[] {
    return [];
  }

  /** Problems of `value` against a (description) schema. */
  protected schemaProblems(schema: unknown, value: unknown): string[] {
    const validate = this.validator(schema);
    return validate(value) ? [] : formatErrors(validate.errors ?? []);
  }

  private bodyProblems(answer: Answer, bodies: Bodies): string[] {
    if (bodies.size === 0) return answer.body === undefined ? [] : [`status ${answer.status} declares no body, got one`];
    if (answer.body === undefined) return [`status ${answer.status} declares a body (${[...bodies.keys()].join(', ')}), got none`];
    const media = answer.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '(none)';
    if (!bodies.has(media)) return [`content type ${media} is not declared for status ${answer.status} (declared: ${[...bodies.keys()].join(', ')})`];
    const schema = bodies.get(media);
    return schema ? this.schemaProblems(schema, answer.body) : [];
  }

  /** OpenAPI 3.0: `content` by media type; Swagger 2.0: one `schema`, in the operation's (or the API's) `produces`. */
  private bodies(op: Json, response: Json): Bodies {
    if (!this.swagger2) {
      const content = (response.content ?? {}) as Record<string, { schema?: unknown }>;
      return new Map(Object.entries(content).map(([media, c]) => [media, c.schema]));
    }
    if (!response.schema) return new Map();
    // DocuSign's operations say `produces: []`; taken literally no media type would do, so an empty list means the API's.
    const own = op.produces as string[] | undefined;
    const produces = (own?.length ? own : (this.api.produces ?? ['application/json'])) as string[];
    return new Map(produces.map((media) => [media, response.schema]));
  }

  private operation(method: string, template: string): Json | undefined {
    const m = method.toLowerCase();
    if (!(METHODS as readonly string[]).includes(m)) return undefined;
    const item = (this.api.paths as Record<string, Json>)[template];
    return item?.[m] as Json | undefined;
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

export function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
