import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { transliterate } from '../../lambdas/commons/text/transliterate.ts';
import { findNonGsm7 } from '../../lambdas/commons/text/gsm7.ts';

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
