/**
 * Turns the (dereferenced) schemas of a vendor's OpenAPI 3.0 or Swagger 2.0 description into JSON
 * Schema that Ajv validates strictly (written for Okta's management.yaml, used for GitHub's and
 * DocuSign's too):
 * - `nullable: true` becomes a `null` type (or a `null` enum member, or `anyOf` with null);
 * - `discriminator` with a mapping but no oneOf (Okta's Application, ApplicationFeature) is
 *   expanded, not dropped: the base schema plus `if <prop> = value then <mapped subschema>` for
 *   every mapping entry, so a SAML_2_0 app must also satisfy SamlApplication. The mapped
 *   subschemas include the base again (allOf); inside them the base is used without its
 *   discriminator, which ends the recursion. A discriminator next to oneOf/anyOf is dropped:
 *   the oneOf/anyOf still validates;
 * - annotations Ajv does not know (`example`, `x-*`, `xml`, `externalDocs`) are removed, and
 *   duplicate enum values (a defect of the spec) are merged;
 * - Swagger 2.0's `discriminator` (a bare property name, no mapping) is dropped like the rest;
 * - a spot marked {"x-missing-ref"} (a $ref of the description that points nowhere, see
 *   dereference-spec.cjs) throws when a contract needs it, instead of accepting anything;
 * - optionally (`enumFromDescription`), a string schema whose values the vendor lists only in its
 *   description (DocuSign: "One of: - `Active` ...") gets them as an enum.
 * `readOnly`/`writeOnly` stay: Ajv treats them as annotations, which is right for responses.
 * Identical input objects convert to the identical output object, so shared schemas stay shared.
 */

type Json = Record<string, unknown>;

const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const DROPPED = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'nullable']);

interface Discriminator {
  propertyName: string;
  mapping?: Record<string, string>;
}

export class SchemaConverter {
  private readonly expanded = new Map<object, Json>();
  private readonly plain = new Map<object, Json>();
  /** Base schemas whose discriminator is being expanded (inside them the base is plain). */
  private readonly expanding = new Set<object>();

  /** `components` resolves the discriminator mapping refs (`#/components/schemas/Name`). */
  constructor(
    private readonly components: Record<string, unknown>,
    private readonly enumFromDescription?: (description: string) => string[] | undefined,
  ) {}

  convert(node: unknown): unknown {
    if (typeof node === 'boolean') return node;
    const schema = asObject(node);
    const d = schema.discriminator as Discriminator | undefined;
    if (d?.mapping && !schema.oneOf && !schema.anyOf && !this.expanding.has(schema)) return this.expand(schema, d.propertyName, d.mapping);
    return this.convertPlain(schema);
  }

  private expand(schema: Json, prop: string, mapping: Record<string, string>): Json {
    const memo = this.expanded.get(schema);
    if (memo) return memo;
    this.expanding.add(schema);
    try {
      const branches = Object.entries(mapping).map(([value, ref]) => ({
        if: { properties: { [prop]: { const: value } }, required: [prop] },
        then: this.convert(this.resolve(ref)),
      }));
      const out = { allOf: [this.convertPlain(schema), ...branches] };
      this.expanded.set(schema, out);
      return out;
    } finally {
      this.expanding.delete(schema);
    }
  }

  private convertPlain(schema: Json): Json {
    const memo = this.plain.get(schema);
    if (memo) return memo;
    if ('$ref' in schema) throw new Error(`unresolved $ref ${String(schema.$ref)}`);
    if ('x-missing-ref' in schema) throw new Error(`the description's $ref ${String(schema['x-missing-ref'])} points nowhere`);
    let out: Json = {};
    for (const [key, value] of Object.entries(schema)) {
      if (DROPPED.has(key) || key.startsWith('x-')) continue;
      if (SCHEMA_MAPS.has(key)) {
        out[key] = Object.fromEntries(Object.entries(asObject(value)).map(([name, s]) => [name, this.convert(s)]));
      } else if (SCHEMA_VALUES.has(key)) {
        out[key] = this.convert(value);
      } else if (SCHEMA_LISTS.has(key)) {
        out[key] = (value as unknown[]).map((s) => this.convert(s));
      } else if (key === 'enum') {
        // The spec repeats a value in one enum (SAML encryptionAlgorithm); JSON Schema forbids that.
        out[key] = [...new Set(value as unknown[])];
      } else {
        out[key] = value;
      }
    }
    const described = out.type === 'string' && !out.enum && typeof schema.description === 'string' ? this.enumFromDescription?.(schema.description) : undefined;
    if (described) out.enum = described;
    if (schema.nullable === true) out = nullable(out);
    this.plain.set(schema, out);
    return out;
  }

  private resolve(ref: string): unknown {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    const target = name === undefined ? undefined : this.components[name];
    if (!target) throw new Error(`discriminator mapping points nowhere: ${ref}`);
    return target;
  }
}

function nullable(s: Json): Json {
  if (typeof s.type === 'string') {
    const out: Json = { ...s, type: [s.type, 'null'] };
    if (Array.isArray(s.enum)) out.enum = [...(s.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, s] };
}

function asObject(node: unknown): Json {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`not a schema: ${JSON.stringify(node)}`);
  return node as Json;
}
