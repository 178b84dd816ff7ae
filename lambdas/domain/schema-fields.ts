/**
 * The fields the catalogue's schemas are made of (schemas.ts): codes, dates,
 * amounts, phone numbers, e-mail addresses, and free text that ends up in an
 * SMS, checked at the edge. A name that cannot be written in GSM-7 after
 * transliteration (Chinese, Cyrillic, emoji, control characters) is the
 * publisher's error and is quarantined with the field named, instead of
 * failing later inside the sender. So is one that carries a web address, an
 * e-mail address or a phone number (SPEC rule 10, see free-text.ts), or
 * nothing readable once transliterated.
 */
import * as z from 'zod';
import { describeBait, findBaits } from './free-text.ts';
import { SECRET_MASK } from './templates.ts';
import { findNonGsm7 } from './text/gsm7.ts';
import { transliterate } from './text/transliterate.ts';

/** SPEC rule 10: a one-time code lives at most this long after it is issued (the event's time, or its arrival if earlier). */
export const OTP_MAX_LIFETIME_MINUTES = 15;

/** SPEC rule 11: an event may be dated at most this long after its arrival (clock skew); later, it is quarantined. */
export const MAX_FUTURE_MINUTES = 5;

/** The runs of asterisks that make SECRET_MASK: no field value may hold one, so the mask in a text is always the template's. */
export const MASK_RUN = new RegExp(`\\${SECRET_MASK[0]}{2,}`);

/** Invisible characters: a name made of them and of marks alone is empty once sent. */
export const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

// C0/C1 control characters, including CR/LF and TAB: never part of a name.
/** C0 and C1 control characters (line breaks, tabs, NUL…), by code point. */
export const hasControlCharacter = (s: string) =>
  [...s].some((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });

/**
 * Free text that is printed in an SMS: trimmed, bounded, no control characters,
 * GSM-7 after transliteration, something readable left once transliterated, and
 * nothing a phisher can use (SPEC rule 10: no web address, domain name, e-mail
 * address or phone number; no run of the secret mask's asterisks).
 */
export const smsText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacter(s), 'must not contain control characters (line breaks, tabs, NUL…)')
    .superRefine((s, ctx) => {
      const plain = transliterate(s);
      const bad = findNonGsm7(plain);
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `contains characters that cannot be sent by SMS (GSM-7): ${bad.map((c) => JSON.stringify(c)).join(' ')}`,
        });
      }
      // A lone combining mark (U+0301), zero-width characters…: something was sent, nothing would be read.
      if (s !== '' && !/[A-Za-z0-9]/.test(plain.replace(INVISIBLE, ''))) {
        ctx.addIssue({ code: 'custom', message: 'is empty once written without diacritics: it must hold a letter or a digit' });
      }
      for (const bait of findBaits(s)) ctx.addIssue({ code: 'custom', message: describeBait(bait) });
      if (MASK_RUN.test(plain)) {
        ctx.addIssue({ code: 'custom', message: `must not contain "**": a run of asterisks marks where a password or code goes (${SECRET_MASK})` });
      }
    })
    .describe('Free text printed in the SMS: GSM-7 once written without diacritics; no web address, domain name, e-mail address or phone number (SPEC rule 10).');

/**
 * A code that is printed in an SMS (a dossier number, a unit or confirmation
 * code): its own pattern says what it looks like; this keeps a web address or
 * a phone number out of it all the same (SPEC rule 10).
 */
export const noBait = <T extends z.ZodType<string>>(schema: T) =>
  schema.superRefine((s, ctx) => {
    for (const bait of findBaits(s)) ctx.addIssue({ code: 'custom', message: describeBait(bait) });
  });

/**
 * A password sent by SMS is sent exactly as issued: no transliteration, so it
 * must already be printable GSM-7 without spaces or extension characters.
 */
export const smsPassword = z
  .string()
  .min(6, 'must be at least 6 characters')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9@$!#%&()*+,./:;<=>?_-]+$/, 'must be letters, digits and GSM-7 punctuation, without spaces');

/** An identifier from another system: printable ASCII, no spaces, bounded. */
export const externalId = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `must be 1 to ${max} printable ASCII characters without spaces`);

export const code = (what: string, pattern: RegExp, example: string) => z.string().trim().regex(pattern, `must be a ${what}, e.g. ${example}`);

/** Mã số BHXH: the 10-digit social-insurance number. */
export const personId = code('10-digit BHXH number', /^\d{10}$/, '0113096123');
export const unitCode = noBait(code('unit code (letters and digits)', /^[A-Za-z0-9]{2,20}$/, 'QW18013'));
export const dossierNo = noBait(code('dossier number (letters, digits, / _ . -)', /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$/, '03085_G/2018/00604'));
/** SPEC rule 10 and seed 002: the VssID login name is the person's BHXH number. */
export const loginName = code('10-digit BHXH number (the VssID login name)', /^\d{10}$/, '0113096123');
/**
 * The years a date of the catalogue may fall in. Every date is turned into
 * numbers downstream (due dates, run times, TTLs): `9999-12` is a valid month
 * whose next month has five digits and whose instant is NaN, which DynamoDB
 * refuses at every retry. Refused at the edge instead, with the field named.
 */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
/** A contribution history reaches back to the first job of people still working (before the agency existed). */
export const MIN_HISTORY_YEAR = 1950;

/** A value that does not start with a 4-digit year is refused by its format check, which says so; this one says nothing. */
export const yearsBetween = (min: number, max: number) => (s: string) => {
  if (!/^\d{4}/.test(s)) return true;
  const year = Number(s.slice(0, 4));
  return year >= min && year <= max;
};
export const yearsMessage = (min: number, max: number) => `must be in the years ${min} to ${max}`;

export const monthPattern = code('month YYYY-MM', /^\d{4}-(0[1-9]|1[0-2])$/, '2018-11');
export const month = monthPattern.refine(yearsBetween(MIN_YEAR, MAX_YEAR), yearsMessage(MIN_YEAR, MAX_YEAR));
/** A month of a contribution history: it may be older than MIN_YEAR. */
export const historyMonth = monthPattern.refine(yearsBetween(MIN_HISTORY_YEAR, MAX_YEAR), yearsMessage(MIN_HISTORY_YEAR, MAX_YEAR));

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD, e.g. 2018-12-06')
  .refine(
    (s) => {
      const [y, m, d] = s.split('-').map(Number) as [number, number, number];
      const t = new Date(Date.UTC(y, m - 1, d));
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    },
    { message: 'is not a real calendar date', abort: true },
  )
  .refine(yearsBetween(MIN_YEAR, MAX_YEAR), yearsMessage(MIN_YEAR, MAX_YEAR));

export const timestamp = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 timestamp with offset, e.g. 2026-12-01T09:00:00+07:00' })
  .refine(yearsBetween(MIN_YEAR, MAX_YEAR), yearsMessage(MIN_YEAR, MAX_YEAR));

/** Whole VND; the ceiling keeps amounts exact in JavaScript numbers. */
export const vnd = z.number().int('must be a whole number of VND').nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER);

/** A phone number as published; it is normalised (and possibly rejected as invalid-phone) by the workflow, not here. */
export const phoneField = z.string().max(40, 'must be at most 40 characters');
export const optionalPhone = phoneField.nullish();
/**
 * An e-mail address (SPEC rule 12): trimmed and lower-cased, at most 254 characters (RFC 5321's path limit),
 * checked by zod's e-mail pattern. Only ever a recipient: it never reaches a message's text.
 */
export const emailAddress = z.string().trim().toLowerCase().max(254, 'must be at most 254 characters').pipe(z.email('must be an e-mail address, e.g. ten@example.vn'));
export const optionalEmail = emailAddress.nullish();

export const gender = z.enum(['male', 'female']);
export const subjectType = z.enum(['person', 'unit', 'facility', 'collector']);
export const subjectId = code('subject id (letters, digits, . _ / -)', /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, '0113096123');

export const names = { fullName: smsText(100), unitName: smsText(200), agency: smsText(100) };
/**
 * Text that is never sent by SMS (a campaign's title, who proposed or reviewed it): trimmed, bounded, one line,
 * Vietnamese or Latin letters (what operators read in the CLI and the console).
 */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacter(s), 'must not contain control characters (line breaks, tabs, NUL…)')
    .refine((s) => findNonGsm7(transliterate(s)).length === 0, 'must be Vietnamese or Latin text');
/** A province campaign: it names the campaign's execution (`campaign-<id>`, 80 characters at most) and its message keys. */
export const campaignId = code('campaign id (letters, digits, . _ -, at most 60)', /^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, 'NA-2026-12-tet');
/** The proposing agency's code: its prefix in the campaign files bucket (recipients/<agency>/) and its monthly budget. */
export const agencyCode = code('agency code (letters, digits and dashes, 2 to 40)', /^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'BHXH-NGHEAN');
