/**
 * The data of the 8079 answers: a contribution history cut to what fits in
 * 3 parts, newest first, with the total months paid in the range asked.
 */
import type { Period } from './read-models.ts';
import { MAX_SEGMENTS, renderSms, TemplateTooLongError, type RenderOptions, type TemplateData, type TemplateId } from './templates.ts';
import { formatMonth } from './text/format.ts';
import { vietnamMonth } from './vietnam-time.ts';

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return Math.max(0, (ty - fy) * 12 + (tm - fm) + 1);
}

/** Total months paid within the range, and the latest periods that fit in 3 parts, newest first. */
export function historyAnswer(personId: string, periods: Period[], range: { from?: string; to?: string }, now: Date, options: RenderOptions = {}): TemplateData<'lookup-history'> {
  const current = vietnamMonth(now);
  const clipped = periods
    .map((p) => {
      const to = p.to ?? current;
      const from = range.from && range.from > p.from ? range.from : p.from;
      const end = range.to && range.to < to ? range.to : to;
      return { ...p, from, end, open: p.to === null && (!range.to || range.to >= current) };
    })
    .filter((p) => p.from <= p.end)
    .sort((a, b) => (a.from < b.from ? 1 : -1));
  const months = clipped.reduce((n, p) => n + monthsBetween(p.from, p.end), 0);
  const rangeText = range.from && range.to ? `${formatMonth(range.from)}-${formatMonth(range.to)}` : undefined;
  const items = clipped.map((p) => `${shortName(p.unitName)} ${formatMonth(p.from)}-${p.open ? 'nay' : formatMonth(p.end)}`);
  let shown = 0;
  const data = (n: number) => ({ personId, months, ...(rangeText ? { range: rangeText } : {}), periods: items.slice(0, n).join('; '), more: items.length - n });
  // With the brand in the text (bhxh:brandInText), fewer periods fit.
  while (shown < items.length && fits('lookup-history', data(shown + 1), options)) shown += 1;
  return data(shown);
}

/** Unit names can run to 200 characters; an answer shows at most 48, cut at a word. */
function shortName(name: string, max = 48): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max);
  return cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : max).trim();
}

function fits<K extends TemplateId>(id: K, d: TemplateData<K>, options: RenderOptions): boolean {
  try {
    return renderSms(id, d, options).segments <= MAX_SEGMENTS;
  } catch (error) {
    if (error instanceof TemplateTooLongError) return false;
    throw error;
  }
}
