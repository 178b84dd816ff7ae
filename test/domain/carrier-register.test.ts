/**
 * The carriers' template register: every kind listed, each placeholder as wide as its schema lets it be, the parts
 * at that width (with and without the brand) measured on the text as sent, and the CSV quoted properly.
 */
import { describe, expect, it } from 'vitest';
import { KIND_DESCRIPTIONS } from '../../lambdas/domain/carrier-kinds.ts';
import { brandedKindProblems, carrierRegister, describe as describeKind, markedTemplate, registerCsv, widestSize, REGISTER_HEADER } from '../../lambdas/domain/carrier-register.ts';
import { fieldSchema } from '../../lambdas/domain/carrier-slots.ts';
import { historyAnswer } from '../../lambdas/domain/lookup-answers.ts';
import { BRAND_PREFIX, MAX_SEGMENTS, TEMPLATE_IDS, templates, type TemplateId } from '../../lambdas/domain/templates.ts';
import { formatAmount } from '../../lambdas/domain/text/format.ts';
import { measureSms } from '../../lambdas/domain/text/gsm7.ts';
import { transliterate } from '../../lambdas/domain/text/transliterate.ts';
import { SAMPLES } from '../../ops/samples.ts';

const register = carrierRegister(SAMPLES);
const rowOf = (kind: TemplateId) => register.find((r) => r.kind === kind);
const asSent = (kind: TemplateId, data: unknown) => transliterate((templates[kind] as (d: unknown) => string)(data));

describe('the carriers template register', () => {
  it('lists every kind of TEMPLATE_IDS once, each with a description', () => {
    expect(register.map((r) => r.kind)).toEqual(TEMPLATE_IDS);
    for (const kind of TEMPLATE_IDS) expect(Object.keys(KIND_DESCRIPTIONS)).toContain(kind);
  });

  it('refuses a kind without a description, naming it', () => {
    expect(() => describeKind('kind-without-description' as TemplateId)).toThrow('the template register has no description of kind kind-without-description');
  });

  it('describes every field of each template, and nothing else', () => {
    for (const kind of TEMPLATE_IDS) {
      const marked = markedTemplate(kind);
      for (const name of Object.keys(describeKind(kind).slots).filter((n) => n !== 'gender')) {
        if (['scheme', 'purpose', 'status'].includes(name)) continue; // a choice renders its own words
        expect(marked, `${kind}.${name}`).toContain(`((${name}`);
      }
    }
  });

  it('marks the placeholders in the text as sent, without diacritics', () => {
    expect(markedTemplate('unit-payment-received')).toBe(`${'((unitName)) (((unitCode))) da nop ((amount)) d. Thong tin lien he de duoc tro giup ((agency)).'}`);
    expect(markedTemplate('unit-monthly-statement')).toContain('chuyen sang thang ((month+1)) la ((carriedOverAmount)) dong');
    expect(markedTemplate('contribution-stopped')).toMatch(/^Kinh gui \(\(salutation\)\) \(\(fullName\)\) \(ma so BHXH: \(\(personId\)\)\)/);
  });
});

describe('placeholder maxima are the schemas', () => {
  const schemaSlots = TEMPLATE_IDS.flatMap((kind) =>
    Object.entries(describeKind(kind).slots)
      .filter(([, slot]) => slot.schema !== undefined)
      .map(([name, slot]) => ({ kind, name, slot })),
  );

  it.each(schemaSlots.map((s) => [`${s.kind}.${s.name}`, s] as const))('%s: the widest passes its schema and one wider fails', (_label, { slot }) => {
    expect(slot.schema?.safeParse(slot.widest).success).toBe(true);
    expect(slot.schema?.safeParse(slot.beyond).success).toBe(false);
  });

  it('reads names, reasons and agencies from the zod schemas (fullName is smsText(100), unitName smsText(200))', () => {
    const stopped = describeKind('contribution-stopped').slots;
    expect(stopped.fullName?.width).toBe(100);
    expect(stopped.unitName?.width).toBe(200);
    expect(describeKind('dossier-rejected').slots.reason?.width).toBe(150);
    expect(fieldSchema('EmployeeContributionStopped', 'fullName').safeParse('A'.repeat(100)).success).toBe(true);
    expect(fieldSchema('EmployeeContributionStopped', 'fullName').safeParse('A'.repeat(101)).success).toBe(false);
  });

  it('takes an amount at the widest VND the schema allows, a negative carried-over amount included', () => {
    expect(describeKind('unit-payment-received').slots.amount?.width).toBe(formatAmount(Number.MAX_SAFE_INTEGER).length);
    expect(describeKind('unit-monthly-statement').slots.carriedOverAmount?.width).toBe(formatAmount(-Number.MAX_SAFE_INTEGER).length);
  });
});

describe('parts at the maxima', () => {
  it('measures the widest text of a kind as sent, with and without the brand', () => {
    const widest = { unitName: 'A'.repeat(200), unitCode: 'A'.repeat(20), amount: Number.MAX_SAFE_INTEGER, agency: 'A'.repeat(100) };
    const text = asSent('unit-payment-received', widest);

    expect(rowOf('unit-payment-received')).toMatchObject({
      maxSeptets: text.length,
      maxParts: measureSms(text).segments,
      maxPartsBranded: measureSms(`${BRAND_PREFIX}${text}`).segments,
    });
  });

  it('takes the widest choice: the unknown salutation (Ong/Ba), which makes contribution-stopped exactly 3 parts and 4 with the brand', () => {
    const widest = { fullName: 'A'.repeat(100), gender: null, personId: '0123456789', unitName: 'A'.repeat(200), fromMonth: '2100-12' };
    const text = asSent('contribution-stopped', widest);

    expect(widestSize('contribution-stopped', false)).toEqual({ septets: text.length, segments: measureSms(text).segments, characters: text.length });
    expect(rowOf('contribution-stopped')).toMatchObject({ maxParts: 3, maxPartsBranded: 4, brandExtraParts: 1, overLimit: false, overLimitBranded: true });
  });

  it('shows a kind over 3 parts at the maxima instead of hiding it', () => {
    const over = register.filter((r) => r.overLimit).map((r) => r.kind);
    expect(over).toContain('unit-monthly-statement');
    for (const r of register) expect(r.overLimit).toBe(r.maxParts > MAX_SEGMENTS);
  });

  it('keeps the 8079 history within 3 parts, the brand included, because its answer is cut to fit', () => {
    expect(rowOf('lookup-history')).toMatchObject({ maxParts: 3, maxPartsBranded: 3 });
  });

  it('cuts an 8079 history to fit 3 parts with the brand when the kind is branded', () => {
    const at = new Date('2030-01-01T00:00:00Z');
    const history = (nameLength: number) =>
      Array.from({ length: 40 }, (_, i) => ({ from: `${1990 + i}-01`, to: `${1990 + i}-12`, unitCode: `U${i}`, unitName: 'C'.repeat(nameLength), scheme: 'compulsory' as const }));
    const septets = (data: unknown, branded: boolean) => measureSms(`${branded ? BRAND_PREFIX : ''}${asSent('lookup-history', data)}`);
    // A history whose plain answer leaves less room than the brand takes.
    const tight = [...Array(29).keys()].map((n) => history(20 + n)).find((h) => septets(historyAnswer('0123456789', h, {}, at), false).septets > 3 * 153 - BRAND_PREFIX.length);
    expect(tight).toBeDefined();

    const branded = historyAnswer('0123456789', tight ?? [], {}, at, { branded: true });

    expect(septets(branded, true).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
    expect(branded.more).toBeGreaterThan(historyAnswer('0123456789', tight ?? [], {}, at).more);
  });

  it('names each branded kind that would go over 3 parts', () => {
    expect(brandedKindProblems(['dossier-accepted'])).toEqual([]);
    expect(brandedKindProblems(['dossier-accepted', 'contribution-stopped'])).toEqual([expect.stringMatching(/^contribution-stopped with the brand is 4 parts/)]);
  });
});

describe('the register file', () => {
  it('writes one quoted CSV row per kind, with the samples and whether the brand is in the text', () => {
    const csv = registerCsv(carrierRegister(SAMPLES, ['dossier-resolved']));
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');

    expect(lines[0]).toBe(REGISTER_HEADER.join(','));
    expect(lines).toHaveLength(TEMPLATE_IDS.length + 1);
    const resolved = lines.find((l) => l.startsWith('dossier-resolved,'));
    expect(resolved).toMatch(new RegExp(`^dossier-resolved,${BRAND_PREFIX}Ho so so \\(\\(dossierNo\\)\\) da duoc`));
    expect(resolved).toContain(`,${BRAND_PREFIX}Ho so so 03085_G/2018/00604 da duoc giai quyet xong.`);
    expect(lines.filter((l) => l.includes(BRAND_PREFIX))).toEqual([resolved]);
    expect(resolved).toMatch(/,yes,"free text/);
    // A template with a comma is one quoted cell.
    expect(lines.find((l) => l.startsWith('contribution-stopped,'))).toContain('"Kinh gui ((salutation)) ((fullName)) (ma so BHXH: ((personId))), ((unitName))');
  });
});
