/**
 * What each placeholder of a template can hold at its widest, for the carriers' template register
 * (carrier-register.ts): derived from the zod schema of the event field it comes from where there is one (a name's
 * `max`, an amount's bounds, a code's pattern), and said plainly where there is none (a count no schema bounds).
 */
import type * as z from 'zod';
import type { DetailType } from './catalogue.ts';
import { detailSchemas } from './schemas.ts';
import { formatAmount, formatDate, formatMonth, formatPercent, formatTime, nextMonth } from './text/format.ts';

/** A text of the rendered SMS (as sent) that stands for a placeholder, and the marker shown in its place. */
export type Shown = readonly [text: string, marker: string];

export interface Slot {
  /** How wide the placeholder is at most, as printed (characters), and how that is known. */
  width: number;
  source: string;
  /** Its widest value; a choice lists every value instead (the register takes the one that renders longest). */
  widest: unknown;
  choices?: readonly unknown[];
  /** The value that renders the placeholder recognisably (`i` keeps two of a template apart), and what it shows. */
  marker(name: string, i: number): { value: unknown; shows: Shown[] };
  /** The schema the width is read from: `widest` passes it, `beyond` (one wider) fails it. */
  schema?: z.ZodType;
  beyond?: unknown;
}

type Shape = Record<string, z.ZodType>;

/** The zod schema of an event field, without its optional/nullable wrappers. */
export function fieldSchema(event: DetailType, field: string): z.ZodType {
  let schema = ((detailSchemas[event] as unknown as { shape: Shape }).shape[field] as z.ZodType | undefined) ?? undefined;
  if (!schema) throw new Error(`${event} has no field ${field}`);
  while (['optional', 'nullable'].includes(schema.def.type)) schema = (schema as unknown as { unwrap(): z.ZodType }).unwrap();
  return schema;
}

const named = (name: string): { value: string; shows: Shown[] } => ({ value: `((${name}))`, shows: [] });

/** Free text (names, reasons, agencies): as long as its schema's `max`, in plain letters (one septet each). */
export function text(event: DetailType, field: string): Slot {
  const schema = fieldSchema(event, field);
  const max = (schema as z.ZodString).maxLength;
  if (typeof max !== 'number') throw new Error(`${event}.${field} has no maximum length`);
  return {
    width: max,
    source: `${event}.${field}: at most ${max} characters (schema)`,
    widest: 'A'.repeat(max),
    beyond: 'A'.repeat(max + 1),
    schema,
    marker: named,
  };
}

/** A code with a pattern (BHXH number, dossier number, card): its widest accepted value, given and checked against the schema. */
export function code(event: DetailType, field: string, widest: string): Slot {
  const schema = fieldSchema(event, field);
  return {
    width: widest.length,
    source: `${event}.${field}: pattern, at most ${widest.length} characters (schema)`,
    widest,
    beyond: `${widest}${widest.slice(-1)}`,
    schema,
    marker: named,
  };
}

/** Distinct numbers no template prints by itself, recognisable once formatted. */
const sentinel = (i: number) => 876_543_210_000 + i;

/** An amount or count written with `.` thousands separators: the widest of the schema's bounds, formatted. */
export function amount(event: DetailType, field: string): Slot {
  const schema = fieldSchema(event, field) as z.ZodNumber;
  const max = schema.maxValue ?? Number.MAX_SAFE_INTEGER;
  const min = schema.minValue ?? 0;
  const widest = formatAmount(min).length > formatAmount(max).length ? min : max;
  return {
    width: formatAmount(widest).length,
    source: `${event}.${field}: ${min < 0 ? `${formatAmount(min)} to ` : 'up to '}${formatAmount(max)} (schema bounds, formatted)`,
    widest,
    beyond: widest < 0 ? widest - 1 : widest + 1,
    schema,
    marker: (name, i) => ({ value: sentinel(i), shows: [[formatAmount(sentinel(i)), `((${name}))`]] }),
  };
}

/** A whole number printed as is: bounded by its schema, or (`assumed`) by what the code allows, said so. */
export function count(bound: { event: DetailType; field: string } | { max: number; assumed: string }, format: (n: number) => string = String): Slot {
  const schema = 'event' in bound ? (fieldSchema(bound.event, bound.field) as z.ZodNumber) : undefined;
  const max = 'event' in bound ? (schema?.maxValue ?? Number.MAX_SAFE_INTEGER) : bound.max;
  return {
    width: format(max).length,
    source: 'event' in bound ? `${bound.event}.${bound.field}: up to ${max} (schema)` : `up to ${max}: ${bound.assumed}`,
    widest: max,
    ...(schema ? { schema, beyond: max + 1 } : {}),
    marker: (name, i) => ({ value: 97_531 + i, shows: [[format(97_531 + i), `((${name}))`]] }),
  };
}

/** Dates, months and times are fixed width (SPEC rule 7): dd/mm/yyyy, mm/yyyy, HH:mm. */
export function date(source: string): Slot {
  return {
    width: 10,
    source: `${source}: dd/mm/yyyy, fixed width`,
    widest: '2100-12-31',
    marker: (name, i) => {
      const value = `2099-01-${String(11 + i)}`;
      return { value, shows: [[formatDate(value), `((${name}))`]] };
    },
  };
}

export function month(source: string): Slot {
  return {
    width: 7,
    source: `${source}: mm/yyyy, fixed width`,
    widest: '2100-12',
    marker: (name, i) => {
      const value = `2097-0${1 + i}`;
      return {
        value,
        shows: [
          [formatMonth(value), `((${name}))`],
          [formatMonth(nextMonth(value)), `((${name}+1))`],
        ],
      };
    },
  };
}

/** A timestamp printed as its date (and, for a code's expiry, its time): fixed width. */
export function instant(source: string, withTime = false): Slot {
  return {
    width: withTime ? 16 : 10,
    source: `${source}: ${withTime ? 'HH:mm dd/mm/yyyy' : 'dd/mm/yyyy'}, fixed width`,
    widest: '2100-12-31T23:59:00+07:00',
    marker: (name, i) => {
      const value = `2096-02-1${i}T1${i}:4${i}:00+07:00`;
      return { value, shows: [[formatDate(value), `((${name}))`], ...(withTime ? [[formatTime(value), `((${name} HH:mm))`] as const] : [])] };
    },
  };
}

export function percent(event: DetailType, field: string): Slot {
  return {
    width: formatPercent(1).length,
    source: `${event}.${field}: 0 to 1, printed 0% to 100%`,
    widest: 1,
    marker: (name) => ({ value: 0.37, shows: [[formatPercent(0.37), `((${name}))`]] }),
  };
}

/** One of a few values, each rendering its own words: the register measures each and keeps the longest. */
export function choice(values: readonly unknown[], source: string, shows: (name: string) => Shown[] = () => []): Slot {
  const width = Math.max(...values.map((v) => String(v ?? '').length));
  return {
    width,
    source: `${source}: one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
    widest: values[0],
    choices: values,
    marker: (name) => ({ value: values[0], shows: shows(name) }),
  };
}

/** SPEC rule 8: the salutation; unknown gender (`Ông/Bà`) is the widest. */
export const salutation = (source: string): Slot => ({
  ...choice([null, 'male', 'female'], `${source}: the salutation Ong/Ba, Ong or Ba`, () => [['Ong/Ba', '((salutation))']]),
  width: 'Ong/Ba'.length,
});

/** Data the code cuts to fit (8079 answers): its width is whatever fits; the kind's widest data is built by that code. */
export function fitted(source: string, numeric = false): Slot {
  return {
    width: 0,
    source: `${source}: cut to fit 3 parts by the code`,
    widest: undefined,
    marker: numeric ? (name, i) => ({ value: 97_531 + i, shows: [[String(97_531 + i), `((${name}))`]] }) : named,
  };
}
