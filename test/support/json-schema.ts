/**
 * A small checker for the JSON Schema keywords our published schemas use
 * (schemas/*.json, what upstream teams validate against): an independent
 * oracle for property tests of the event parser. Returns one line per
 * violation, naming the field, or none.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

const KNOWN = new Set([
  '$id',
  '$schema',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'items',
  'maxItems',
  'anyOf',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
]);
// RFC 3339 date-time with an offset, as JSON Schema's "date-time" format means.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOk(type: JsonSchema['type'], value: unknown): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

export function schemaViolations(schema: JsonSchema, value: unknown, path = 'detail'): string[] {
  const unknownKeyword = Object.keys(schema).find((k) => !KNOWN.has(k));
  if (unknownKeyword) throw new Error(`${path}: the test's schema checker does not know "${unknownKeyword}"`);
  if (schema.anyOf) {
    return schema.anyOf.some((s) => schemaViolations(s, value, path).length === 0) ? [] : [`${path}: matches none of its allowed forms`];
  }
  if (!typeOk(schema.type, value)) return [`${path}: is not of type ${schema.type}`];
  const out: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: is not one of ${JSON.stringify(schema.enum)}`);
  if ('const' in schema && value !== schema.const) out.push(`${path}: is not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) out.push(`${path}: does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && length < schema.minLength) out.push(`${path}: is shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) out.push(`${path}: is longer than ${schema.maxLength}`);
    if (schema.format === 'date-time' && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) out.push(`${path}: is not a date-time`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${path}: is below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${path}: is above ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) out.push(`${path}: is not above ${schema.exclusiveMinimum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${path}: has more than ${schema.maxItems} items`);
    const items = schema.items;
    if (items) for (const [i, item] of value.entries()) out.push(...schemaViolations(items, item, `${path}.${i}`));
  }
  if (schema.type === 'object' && typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const field of schema.required ?? []) if (record[field] === undefined) out.push(`${path}.${field}: is required`);
    for (const [field, sub] of Object.entries(schema.properties ?? {})) {
      if (record[field] !== undefined) out.push(...schemaViolations(sub, record[field], `${path}.${field}`));
    }
  }
  return out;
}
