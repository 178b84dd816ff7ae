/**
 * zod schemas for every detail-type of the catalogue (SPEC "Event catalogue").
 *
 * Free-text fields that end up in an SMS are checked here, at the edge: a name
 * that cannot be written in GSM-7 after transliteration (Chinese, Cyrillic,
 * emoji, control characters) is the publisher's error and is quarantined with
 * the field named, instead of failing later inside the sender. So is one that
 * carries a web address, an e-mail address or a phone number (SPEC rule 10,
 * see free-text.ts), or nothing readable once transliterated.
 *
 * SPEC rule 11: given the event's arrival, an event dated more than
 * MAX_FUTURE_MINUTES after it is quarantined (`future-time`), and updates are
 * ordered by `orderingTime`, the earlier of the event's time and its arrival.
 */
import * as z from 'zod';
import { DetailType, InternalDetailType, NOTIFY_SOURCE, sourcesOf, type DetailType as DetailTypeName } from './catalogue.ts';
import { transliterate } from './text/transliterate.ts';
import { findNonGsm7 } from './text/gsm7.ts';
import { DUE_KINDS } from './due-items.ts';
import { describeBait, findBaits } from './free-text.ts';
import { SECRET_MASK } from './templates.ts';

/** SPEC rule 10: a one-time code lives at most this long after it is issued (the event's time, or its arrival if earlier). */
export const OTP_MAX_LIFETIME_MINUTES = 15;

/** SPEC rule 11: an event may be dated at most this long after its arrival (clock skew); later, it is quarantined. */
export const MAX_FUTURE_MINUTES = 5;

/** The runs of asterisks that make SECRET_MASK: no field value may hold one, so the mask in a text is always the template's. */
const MASK_RUN = new RegExp(`\\${SECRET_MASK[0]}{2,}`);

/** Invisible characters: a name made of them and of marks alone is empty once sent. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

// C0/C1 control characters, including CR/LF and TAB: never part of a name.
/** C0 and C1 control characters (line breaks, tabs, NUL…), by code point. */
const hasControlCharacter = (s: string) =>
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
const noBait = <T extends z.ZodType<string>>(schema: T) =>
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
const externalId = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `must be 1 to ${max} printable ASCII characters without spaces`);

const code = (what: string, pattern: RegExp, example: string) => z.string().trim().regex(pattern, `must be a ${what}, e.g. ${example}`);

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
const yearsBetween = (min: number, max: number) => (s: string) => {
  if (!/^\d{4}/.test(s)) return true;
  const year = Number(s.slice(0, 4));
  return year >= min && year <= max;
};
const yearsMessage = (min: number, max: number) => `must be in the years ${min} to ${max}`;

const monthPattern = code('month YYYY-MM', /^\d{4}-(0[1-9]|1[0-2])$/, '2018-11');
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
const phoneField = z.string().max(40, 'must be at most 40 characters');
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

const names = { fullName: smsText(100), unitName: smsText(200), agency: smsText(100) };
/**
 * Text that is never sent by SMS (a campaign's title, who proposed or reviewed it): trimmed, bounded, one line,
 * Vietnamese or Latin letters (what operators read in the CLI and the console).
 */
const plainText = (max: number) =>
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

/**
 * Each kind's schema is built the first time an event of that kind arrives:
 * building all of them costs about 20 ms of every cold start, and a fresh
 * container mostly sees a few kinds.
 */
function lazily<T extends Record<string, () => z.ZodType>>(factories: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const built = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const key of Object.keys(factories) as Array<keyof T>) {
    let schema: ReturnType<T[typeof key]> | undefined;
    Object.defineProperty(built, key, { enumerable: true, get: () => (schema ??= (factories[key] as T[typeof key])() as ReturnType<T[typeof key]>) });
  }
  return built;
}

export const detailSchemas = lazily({
  [DetailType.ContactUpdated]: () =>
    z.object({
      subjectType,
      subjectId,
      name: smsText(200),
      phone: phoneField.nullable(),
      email: optionalEmail,
      gender: gender.nullish(),
      agency: names.agency.nullish(),
    }),
  [DetailType.UnitPaymentReceived]: () =>
    z.object({
      paymentId: externalId(64),
      unitCode,
      unitName: names.unitName,
      amount: vnd.positive('must be more than 0'),
      receivedAt: timestamp,
      agency: names.agency,
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.EmployeeContributionStopped]: () =>
    z.object({
      personId,
      fullName: names.fullName,
      gender: gender.nullish(),
      unitCode,
      unitName: names.unitName,
      fromMonth: month,
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.DossierReceived]: () =>
    z
      .object({
        dossierNo,
        subjectType,
        subjectId,
        valid: z.boolean(),
        expectedResultDate: calendarDate.optional(),
        rejectReason: smsText(150).optional(),
        phone: optionalPhone,
        email: optionalEmail,
      })
      .superRefine((d, ctx) => {
        if (d.valid && !d.expectedResultDate) {
          ctx.addIssue({ code: 'custom', path: ['expectedResultDate'], message: 'is required when valid is true' });
        }
        if (!d.valid && !d.rejectReason) {
          ctx.addIssue({ code: 'custom', path: ['rejectReason'], message: 'is required when valid is false' });
        }
      }),
  [DetailType.DossierResolved]: () => z.object({ dossierNo, resolvedAt: timestamp }),
  [DetailType.HealthCardIssued]: () =>
    z.object({
      cardNo: code('15-character health card number', /^[A-Z]{2}[1-5]\d{2}\d{10}$/, 'HC4010110129425'),
      personId,
      fullName: names.fullName,
      validTo: calendarDate,
      scheme: z.enum(['household', 'other']),
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.VoluntaryContributionPaid]: () =>
    z.object({
      personId,
      fullName: names.fullName,
      gender: gender.nullish(),
      paidThrough: month,
      method: smsText(50),
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.ContributionHistoryUpdated]: () =>
    z.object({
      personId,
      periods: z
        .array(
          z
            .object({
              from: historyMonth,
              to: historyMonth.nullable(),
              unitCode,
              unitName: names.unitName,
              scheme: z.enum(['compulsory', 'voluntary']),
            })
            .refine((p) => p.to === null || p.from <= p.to, { message: 'from must not be after to', path: ['to'] }),
        )
        .max(600, 'must have at most 600 periods'),
    }),
  [DetailType.TemporaryPasswordIssued]: () =>
    z.object({
      personId,
      loginName,
      temporaryPassword: smsPassword,
      phone: optionalPhone,
    }),
  [DetailType.InboundSmsReceived]: () =>
    z.object({
      messageId: externalId(100),
      from: phoneField.trim().min(1, 'must not be empty'),
      to: z.literal('8079', 'must be 8079'),
      // The body is whatever the citizen typed; the 8079 parser copes with anything.
      body: z.string().max(1600, 'must be at most 1600 characters'),
      receivedAt: timestamp,
    }),
  [DetailType.UnitMonthlyStatement]: () =>
    z.object({
      unitCode,
      unitName: names.unitName,
      month,
      paidAmount: vnd,
      carriedOverAmount: z.number().int('must be a whole number of VND').min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
      expectedAmount: vnd,
      agency: names.agency,
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.FacilityClaimsSummary]: () =>
    z.object({
      facilityCode: code('5-character facility code (mã CSKCB)', /^[0-9A-Z]{5}$/, '01909'),
      month,
      claimCount: z.number().int().nonnegative(),
      claimAmount: vnd,
      onTimeRate: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.EAccountRegistrationReviewed]: () =>
    z
      .object({
        registrationId: externalId(64),
        personId,
        fullName: names.fullName,
        approved: z.boolean(),
        reason: smsText(150).optional(),
        loginName: loginName.optional(),
        temporaryPassword: smsPassword.optional(),
        phone: optionalPhone,
        email: optionalEmail,
      })
      .superRefine((d, ctx) => {
        if (d.approved && (!d.loginName || !d.temporaryPassword)) {
          ctx.addIssue({ code: 'custom', path: [d.loginName ? 'temporaryPassword' : 'loginName'], message: 'is required when approved is true' });
        }
        if (!d.approved && !d.reason) {
          ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when approved is false' });
        }
      }),
  [DetailType.EAccountRegistrationSubmitted]: () =>
    z.object({
      // Printed in the SMS: GSM-7 as it is (an identifier is never transliterated), and no web address or phone number.
      registrationId: noBait(externalId(64)).refine((s) => findNonGsm7(s).length === 0, 'must be GSM-7 characters (no backquote)'),
      personId,
      fullName: names.fullName,
      submittedAt: timestamp,
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.OtpIssued]: () =>
    z.object({
      personId,
      purpose: z.enum(['password-change', 'device-login']),
      code: code('one-time code of 4 to 8 digits', /^\d{4,8}$/, '482913'),
      expiresAt: timestamp.describe(`At most ${OTP_MAX_LIFETIME_MINUTES} minutes after the event's time (SPEC rule 10); a longer-lived code is refused.`),
      phone: optionalPhone,
    }),
  [DetailType.PasswordChanged]: () => z.object({ personId, changedAt: timestamp }),
  [DetailType.CollectionPaymentConfirmed]: () =>
    z.object({
      confirmationCode: noBait(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9-]{1,40}$/, 'must be letters, digits and dashes (at most 40)'),
      ),
      collectorCode: unitCode,
      personId,
      fullName: names.fullName,
      paidAt: timestamp,
      amount: vnd.positive('must be more than 0'),
      scheme: z.enum(['voluntary-social', 'household-health']),
      months: z.number().int().min(1).max(120),
      phone: optionalPhone,
      email: optionalEmail,
    }),
  [DetailType.CampaignProposed]: () =>
    z
      .object({
        campaignId,
        agency: agencyCode,
        title: plainText(200),
        purpose: plainText(1000),
        // Checked whole by the proposal's validation (placeholders, fixed text, central copies), which refuses it with a report.
        template: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
        recipients: z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(1024, 'must be at most 1024 characters')
          .describe('The CSV of recipients: s3://<bucket>/recipients/<agency>/<file>.csv'),
        sendFrom: timestamp,
        sendUntil: timestamp.optional(),
        proposedBy: plainText(200),
      })
      .superRefine((d, ctx) => {
        if (d.sendUntil !== undefined && Date.parse(d.sendUntil) <= Date.parse(d.sendFrom)) {
          ctx.addIssue({ code: 'custom', path: ['sendUntil'], message: 'must be after sendFrom' });
        }
      }),
  [DetailType.CampaignReviewed]: () => z.object({ campaignId, approved: z.boolean(), reviewer: plainText(200), reason: plainText(500) }),
  [DetailType.CampaignCancelled]: () => z.object({ campaignId, cancelledBy: plainText(200), reason: plainText(500) }),
} satisfies Record<DetailTypeName, () => z.ZodType>);

export type DetailOf<T extends DetailTypeName> = z.infer<(typeof detailSchemas)[T]>;

export const internalSchemas = lazily({
  [InternalDetailType.OrphanResolutionCheck]: () => z.object({ dossierNo }),
  [InternalDetailType.CampaignDue]: () =>
    z
      .object({
        /** Every kind when absent (a sweep). */
        kind: z.enum(DUE_KINDS).optional(),
        scheduledTime: timestamp,
        /** The hourly sweep: takes what became due by now and was stored after its run. */
        sweep: z.boolean().optional(),
      })
      .refine((d) => d.sweep === true || d.kind !== undefined, { message: 'kind is required, except for a sweep', path: ['kind'] }),
  [InternalDetailType.ReceiptDeadlineCheck]: () => z.object({ scheduledTime: timestamp }),
} satisfies Record<InternalDetailType, () => z.ZodType>);

export type InternalEvent = {
  [T in InternalDetailType]: { id: string; detailType: T; source: string; time: string; detail: z.infer<(typeof internalSchemas)[T]> };
}[InternalDetailType];

/** A validated catalogue event, discriminated by detail-type. */
export type CatalogueEvent = {
  [T in DetailTypeName]: { id: string; detailType: T; source: string; time: string; detail: DetailOf<T> };
}[DetailTypeName];

/** The EventBridge envelope, as delivered to targets. */
const envelope = z.object({
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  time: z
    .string()
    .min(1)
    .refine((t) => !Number.isNaN(Date.parse(t)), 'must be a timestamp, e.g. 2018-12-03T02:00:00Z'),
  detail: z.record(z.string(), z.unknown()),
});

export type ParseResult = { ok: true; event: CatalogueEvent | InternalEvent } | { ok: false; reason: QuarantineReason; errors: string[] };

export type QuarantineReason = 'not-json' | 'not-an-event' | 'unknown-detail-type' | 'wrong-source' | 'invalid-detail' | 'future-time';

/** Where the event is read: its arrival, which the producer does not control (SPEC rule 11). */
export interface Arrival {
  receivedAt: Date;
  /** The longest a one-time code may live (bhxh:otpMaxLifetimeMinutes, at most OTP_MAX_LIFETIME_MINUTES). */
  otpMaxLifetimeMinutes?: number;
}

/**
 * SPEC rule 11: the time by which updates of the same subject are ordered (the
 * contact projection, cards, histories, due items): the earlier of the
 * event's `time` and its arrival, so that a producer cannot push an update
 * ahead of later ones by dating it in the future.
 */
export function orderingTime(time: string, receivedAt: Date): string {
  return new Date(Math.min(Date.parse(time), receivedAt.getTime())).toISOString();
}

const minutes = (n: number) => n * 60_000;

/** An event dated more than MAX_FUTURE_MINUTES after its arrival is refused: the errors, or empty. */
function futureTimeErrors(time: string, { receivedAt }: Arrival): string[] {
  if (Date.parse(time) - receivedAt.getTime() <= minutes(MAX_FUTURE_MINUTES)) return [];
  return [`time: ${time.slice(0, 40)} is more than ${MAX_FUTURE_MINUTES} minutes after the event's arrival (${receivedAt.toISOString()}); an event cannot be dated in the future`];
}

/** SPEC rule 10: a one-time code lives at most OTP_MAX_LIFETIME_MINUTES after it was issued (its ordering time). */
function otpLifetimeErrors(event: CatalogueEvent, arrival: Arrival): string[] {
  if (event.detailType !== 'OtpIssued') return [];
  const issuedAt = orderingTime(event.time, arrival.receivedAt);
  const lifetime = Math.min(arrival.otpMaxLifetimeMinutes ?? OTP_MAX_LIFETIME_MINUTES, OTP_MAX_LIFETIME_MINUTES);
  if (Date.parse(event.detail.expiresAt) - Date.parse(issuedAt) <= minutes(lifetime)) return [];
  return [`detail.expiresAt: is more than ${lifetime} minutes after the code was issued (${issuedAt}); a one-time code lives at most ${lifetime} minutes`];
}

/** One readable line per problem, naming the field: `detail.unitName: must not be empty`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string[] {
  return issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const missing = ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code) && !('input' in issue && issue.input !== undefined);
    return `${field}: ${missing ? 'is required' : issue.message}`;
  });
}

/**
 * Validates an EventBridge event (already JSON-parsed) against the catalogue.
 * Never throws: every failure becomes a reason and readable errors. Given its
 * arrival (the intake's clock), it also applies the rules that need one: an
 * event dated in the future is refused (`future-time`, SPEC rule 11), and so
 * is a one-time code that lives longer than OTP_MAX_LIFETIME_MINUTES.
 */
export function parseCatalogueEvent(raw: unknown, arrival?: Arrival): ParseResult {
  const env = envelope.safeParse(raw, { reportInput: true });
  if (!env.success) return { ok: false, reason: 'not-an-event', errors: describeIssues(env.error.issues, '') };
  const { id, source, time, detail } = env.data;
  const future = arrival ? futureTimeErrors(time, arrival) : [];
  if (future.length > 0) return { ok: false, reason: 'future-time', errors: future };
  const detailType = env.data['detail-type'];
  if (source === NOTIFY_SOURCE && Object.hasOwn(internalSchemas, detailType)) {
    const internal = internalSchemas[detailType as InternalDetailType].safeParse(detail, { reportInput: true });
    if (!internal.success) return { ok: false, reason: 'invalid-detail', errors: describeIssues(internal.error.issues, 'detail') };
    return { ok: true, event: { id, detailType, source, time, detail: internal.data } as InternalEvent };
  }
  if (!Object.hasOwn(detailSchemas, detailType)) {
    return { ok: false, reason: 'unknown-detail-type', errors: [`detail-type: "${detailType.slice(0, 80)}" is not in the event catalogue`] };
  }
  const known = detailType as DetailTypeName;
  const allowed = sourcesOf(known);
  if (!(allowed as readonly string[]).includes(source)) {
    return {
      ok: false,
      reason: 'wrong-source',
      errors: [`source: ${known} must come from ${allowed.join(' or ')}, not "${source.slice(0, 80)}"`],
    };
  }
  const parsed = detailSchemas[known].safeParse(detail, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: 'invalid-detail', errors: describeIssues(parsed.error.issues, 'detail') };
  const event = { id, detailType: known, source, time, detail: parsed.data } as CatalogueEvent;
  const lifetime = arrival ? otpLifetimeErrors(event, arrival) : [];
  if (lifetime.length > 0) return { ok: false, reason: 'invalid-detail', errors: lifetime };
  return { ok: true, event };
}
