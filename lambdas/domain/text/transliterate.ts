/**
 * Vietnamese to plain ASCII ("tiếng Việt không dấu", SPEC rule 1): every tone
 * and vowel mark is dropped by Unicode decomposition, đ/Đ (which do not
 * decompose) become d/D, and typographic punctuation becomes its ASCII twin.
 * Characters it does not know are left alone for the GSM-7 check to report.
 */
const TYPOGRAPHIC: Record<string, string> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2026': '...',
  '\u0111': 'd',
  '\u0110': 'D',
};

const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const COMBINING = /[\u0300-\u036f]/g;
const SPECIAL = /[\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u201a\u2032\u2013\u2014\u2212\u2010\u2011\u2026\u0111\u0110]/g;

export function transliterate(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING, '')
    .replace(SPECIAL, (c) => TYPOGRAPHIC[c] ?? c)
    .replace(UNICODE_SPACE, ' ')
    .normalize('NFC');
}
