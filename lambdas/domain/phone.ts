/**
 * Vietnamese mobile numbers (SPEC rule 3): accepted as 0xxxxxxxxx, 84…, +84…,
 * 0084…, with spaces, dots, dashes or brackets; pre-2018 11-digit numbers are
 * converted by the carriers' 2018 table; the result is validated as a
 * Vietnamese MOBILE number by libphonenumber-js (mobile-only metadata) and
 * returned in E.164. Landlines and everything else are rejected with a reason.
 */
import { parsePhoneNumberWithError, type MetadataJson } from 'libphonenumber-js/core';
// Vietnam's slice of the library's mobile metadata (scripts/phone-metadata.ts): 0.6 KB instead of 130 KB in every bundle.
import vietnamMobile from './phone-metadata.vn.json' with { type: 'json' };

const METADATA = vietnamMobile as unknown as MetadataJson;

export type PhoneRejection = 'empty' | 'not-a-number' | 'foreign' | 'landline' | 'invalid-mobile';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: PhoneRejection; detail: string };

/** The 2018 conversion of 11-digit mobile prefixes to 10 digits (MobiFone, VinaPhone, Viettel, Vietnamobile, Gmobile). */
export const PREFIX_CONVERSION_2018: Readonly<Record<string, string>> = {
  '120': '70',
  '121': '79',
  '122': '77',
  '126': '76',
  '128': '78',
  '123': '83',
  '124': '84',
  '125': '85',
  '127': '81',
  '129': '82',
  '162': '32',
  '163': '33',
  '164': '34',
  '165': '35',
  '166': '36',
  '167': '37',
  '168': '38',
  '169': '39',
  '186': '56',
  '188': '58',
  '199': '59',
};

const SEPARATORS = /[\s.\-()\u00a0]/g;

export function normalizeVnMobile(input: string): PhoneResult {
  const compact = input.trim().replace(SEPARATORS, '');
  if (compact === '') return { ok: false, reason: 'empty', detail: 'no number given' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'not-a-number', detail: 'contains characters other than digits and separators' };

  let international: string;
  if (compact.startsWith('+')) international = compact;
  else if (compact.startsWith('00')) international = `+${compact.slice(2)}`;
  else if (compact.startsWith('84') && compact.length >= 11) international = `+${compact}`;
  else if (compact.startsWith('0')) international = `+84${compact.slice(1)}`;
  else return { ok: false, reason: 'invalid-mobile', detail: 'neither a national number (0…) nor an international one (84…, +84…)' };

  if (!international.startsWith('+84')) {
    return { ok: false, reason: 'foreign', detail: 'not a Vietnamese number (country code is not +84)' };
  }
  let national = international.slice(3);
  // Pre-2018 11-digit mobile numbers: 1XX + 7 digits becomes the new 2-digit prefix + the same 7 digits.
  if (national.length === 10 && PREFIX_CONVERSION_2018[national.slice(0, 3)]) {
    national = PREFIX_CONVERSION_2018[national.slice(0, 3)] + national.slice(3);
  }
  if (national.startsWith('2')) return { ok: false, reason: 'landline', detail: 'a Vietnamese fixed-line number cannot receive SMS' };
  try {
    const parsed = parsePhoneNumberWithError(`+84${national}`, METADATA);
    if (parsed.country === 'VN' && parsed.isValid()) return { ok: true, e164: parsed.number };
  } catch {
    // fall through to the rejection below
  }
  return { ok: false, reason: 'invalid-mobile', detail: `not a valid Vietnamese mobile number (${national.length} digits after +84)` };
}

/** `+84912345678` → `+84******678`: enough for an operator to match a complaint, not enough to text anyone. */
export function maskPhone(e164: string): string {
  const match = /^(\+84)(\d+)$/.exec(e164);
  if (!match) return '***';
  const digits = match[2] ?? '';
  return `${match[1]}${'*'.repeat(Math.max(0, digits.length - 3))}${digits.slice(-3)}`;
}
