/**
 * A province campaign's template (SPEC "Province campaigns"): Vietnamese text
 * with `((column))` placeholders, each filled from the recipients CSV column of
 * that name. Unlike the fixed templates of templates.ts it is runtime text, so
 * it is parsed here once, then filled for every row.
 *
 * A placeholder name is letters (Vietnamese ones included), digits and `_`;
 * anything else between `((` and `))`, or a `((` never closed, refuses the
 * template with a message that says where.
 */
import { findNonGsm7, measureSms } from '../text/gsm7.ts';
import { transliterate } from '../text/transliterate.ts';

export interface CampaignTemplate {
  /** The fixed text around the placeholders: always one more piece than `slots`. */
  pieces: string[];
  /** The column filling each placeholder, in order of appearance (a column may fill several). */
  slots: string[];
  /** Each placeholder's column once, in order of first appearance: the columns the CSV must have. */
  placeholders: string[];
}

export type TemplateParse = { ok: true; template: CampaignTemplate } | { ok: false; problems: string[] };

const NAME = /^[\p{L}\p{N}_]+$/u;

/** Where in the template, for a human: `at character 12`. */
const at = (index: number) => `at character ${index + 1}`;

export function parseCampaignTemplate(text: string): TemplateParse {
  const pieces: string[] = [];
  const slots: string[] = [];
  const problems: string[] = [];
  let from = 0;
  for (;;) {
    let open = text.indexOf('((', from);
    if (open < 0) break;
    // `(((x)))` is a value in brackets: the placeholder is the innermost `((x))`.
    while (text[open + 2] === '(') open += 1;
    const close = text.indexOf('))', open + 2);
    const nextOpen = text.indexOf('((', open + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problems.push(`the placeholder opened ${at(open)} is never closed with "))"`);
      from = open + 2;
      continue;
    }
    const name = text.slice(open + 2, close);
    if (name.trim() === '') problems.push(`the placeholder ${at(open)} has no column name`);
    else if (!NAME.test(name)) problems.push(`the placeholder ((${name})) ${at(open)} is not a column name: use letters, digits and _ only`);
    pieces.push(text.slice(from, open));
    slots.push(name);
    from = close + 2;
  }
  pieces.push(text.slice(from));
  if (text.trim() === '') problems.push('the template is empty');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, template: { pieces, slots, placeholders: [...new Set(slots)] } };
}

/** The template with each placeholder replaced by its column's value (Vietnamese, before transliteration). */
export function fillTemplate(template: CampaignTemplate, value: (column: string) => string): string {
  let text = template.pieces[0] ?? '';
  template.slots.forEach((column, i) => {
    text += value(column) + (template.pieces[i + 1] ?? '');
  });
  return text;
}

/**
 * What refuses a template whatever its rows hold: fixed text that is not GSM-7
 * even without diacritics, or that alone takes more than `maxParts` parts.
 * Every row would be refused for it, so the proposal is refused whole.
 */
export function checkFixedText(template: CampaignTemplate, maxParts: number): string[] {
  const fixed = transliterate(template.pieces.join(''));
  if (fixed.trim() === '') return [];
  const bad = findNonGsm7(fixed);
  if (bad.length > 0) {
    const shown = bad.map((c) => `"${c}" (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
    return [`the template has characters an SMS cannot carry even without diacritics: ${shown}`];
  }
  const { segments } = measureSms(fixed);
  if (segments > maxParts) return [`the template's own text, without any value, takes ${segments} parts; at most ${maxParts} are allowed`];
  return [];
}
