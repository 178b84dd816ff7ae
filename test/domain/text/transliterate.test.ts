import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { transliterate } from '../../../lambdas/domain/text/transliterate.ts';
import { findNonGsm7 } from '../../../lambdas/domain/text/gsm7.ts';

// Every Vietnamese vowel with every tone, in both cases, generated from the base letters and combining marks.
const BASES: Record<string, string> = { a: 'a', ă: 'a', â: 'a', e: 'e', ê: 'e', i: 'i', o: 'o', ô: 'o', ơ: 'o', u: 'u', ư: 'u', y: 'y' };
const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']; // none, huyền, sắc, ngã, hỏi, nặng
const LETTERS: Array<[string, string]> = [];
for (const [vowel, base] of Object.entries(BASES)) {
  for (const tone of TONES) {
    const lower = (vowel + tone).normalize('NFC');
    LETTERS.push([lower, base], [lower.toUpperCase(), base.toUpperCase()]);
  }
}
LETTERS.push(['đ', 'd'], ['Đ', 'D']);

describe('transliterate', () => {
  it('covers all 134 accented Vietnamese letters plus the plain vowels', () => {
    expect(LETTERS.filter(([l]) => /[^a-zA-Z]/.test(l))).toHaveLength(134);
  });

  it.each(LETTERS)('%s → %s', (letter, expected) => {
    expect(transliterate(letter)).toBe(expected);
  });

  it('writes names and sentences without diacritics', () => {
    expect(transliterate('Đặng Thị Thu Hoài')).toBe('Dang Thi Thu Hoai');
    expect(transliterate('Bảo hiểm Xã hội TP.Hà Nội – “BHXH”…')).toBe('Bao hiem Xa hoi TP.Ha Noi - "BHXH"...');
  });

  it('leaves characters it does not know for the GSM-7 check to report', () => {
    expect(transliterate('Nguyễn 明')).toBe('Nguyen 明');
  });

  const vietnameseText = fc.string({ unit: fc.constantFrom(...LETTERS.map(([l]) => l), ...'bcdghklmnpqrstvx ,.0123456789'.split('')) });

  it('always yields GSM-7 for Vietnamese text (property)', () => {
    fc.assert(
      fc.property(vietnameseText, (s) => {
        expect(findNonGsm7(transliterate(s))).toEqual([]);
      }),
    );
  });

  it('is idempotent, keeps the letter count, and ignores the normalisation form (property)', () => {
    fc.assert(
      fc.property(vietnameseText, (s) => {
        const once = transliterate(s);
        expect(transliterate(once)).toBe(once);
        expect([...once]).toHaveLength([...s.normalize('NFC')].length);
        expect(transliterate(s.normalize('NFD'))).toBe(once);
      }),
    );
  });
});

describe('transliterate: typographic punctuation and spaces', () => {
  it.each([
    ['\u201c', '"', 'left double quotation mark'],
    ['\u201d', '"', 'right double quotation mark'],
    ['\u201e', '"', 'low double quotation mark'],
    ['\u00ab', '"', 'left guillemet'],
    ['\u00bb', '"', 'right guillemet'],
    ['\u2018', "'", 'left single quotation mark'],
    ['\u2019', "'", 'right single quotation mark (apostrophe)'],
    ['\u201a', "'", 'low single quotation mark'],
    ['\u2032', "'", 'prime'],
    ['\u2013', '-', 'en dash'],
    ['\u2014', '-', 'em dash'],
    ['\u2212', '-', 'minus sign'],
    ['\u2010', '-', 'hyphen'],
    ['\u2011', '-', 'non-breaking hyphen'],
    ['\u2026', '...', 'ellipsis'],
  ])('writes %s as its ASCII twin %j (%s)', (typographic, ascii) => {
    // Prepare
    const text = `Số${typographic}01`;

    // Act
    const plain = transliterate(text);

    // Assess
    expect(plain).toBe(`So${ascii}01`);
    expect(findNonGsm7(plain)).toEqual([]);
  });

  it.each([
    ['00A0', 'no-break space'],
    ['1680', 'ogham space mark'],
    ['2000', 'en quad'],
    ['2005', 'four-per-em space'],
    ['200A', 'hair space'],
    ['202F', 'narrow no-break space'],
    ['205F', 'medium mathematical space'],
    ['3000', 'ideographic space'],
  ])('writes the Unicode space U+%s as a plain space (%s)', (code) => {
    // Prepare
    const space = String.fromCodePoint(Number.parseInt(code, 16));

    // Act
    const plain = transliterate(`10.000.000${space}đồng`);

    // Assess
    expect(plain).toBe('10.000.000 dong');
  });

  it('keeps zero-width and other characters it does not know for the GSM-7 check', () => {
    // Act
    const plain = transliterate('a\u200bb\u2022c');

    // Assess
    expect(plain).toBe('a\u200bb\u2022c');
    expect(findNonGsm7(plain)).toEqual(['\u200b', '\u2022']);
  });
});
