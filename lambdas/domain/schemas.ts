/**
 * zod schemas for every detail-type of the catalogue (SPEC "Event catalogue").
 *
 * Free-text fields that end up in an SMS are checked here, at the edge: a name
 * that cannot be written in GSM-7 after transliteration (Chinese, Cyrillic,
 * emoji, control characters) is the publisher's error and is quarantined with
 * the field named, instead of failing later inside the sender.
 */
import * as z from 'zod';
import { DetailType, InternalDetailType, NOTIFY_SOURCE, SOURCE_OF, type DetailType as DetailTypeName } from './catalogue.ts';
import { transliterate } from './text/transliterate.ts';
import { findNonGsm7 } from './text/gsm7.ts';
import { DUE_KINDS } from './due-items.ts';

// C0/C1 control characters, including CR/LF and TAB: never part of a name.
/** C0 and C1 control characters (line breaks, tabs, NUL…), by code point. */
const hasControlCharacter = (s: string) =>
  [...s].some((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });

/** Text that is printed in an SMS: trimmed, bounded, no control characters, GSM-7 after transliteration. */
export const smsText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasControlCharacter(s), 'must not contain control characters (line breaks, tabs, NUL…)')
    .superRefine((s, ctx) => {
      const bad = findNonGsm7(transliterate(s));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `contains characters that cannot be sent by SMS (GSM-7): ${bad.map((c) => JSON.stringify(c)).join(' ')}`,
        });
      }
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
export const unitCode = code('unit code (letters and digits)', /^[A-Za-z0-9]{2,20}$/, 'QW18013');
export const dossierNo = code('dossier number (letters, digits, / _ . -)', /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$/, '03085_G/2018/00604');
export const month = code('month YYYY-MM', /^\d{4}-(0[1-9]|1[0-2])$/, '2018-11');

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD, e.g. 2018-12-06')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'is not a real calendar date');

export const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp with offset, e.g. 2026-12-01T09:00:00+07:00' });

/** Whole VND; the ceiling keeps amounts exact in JavaScript numbers. */
export const vnd = z.number().int('must be a whole number of VND').nonnegative('must not be negative').max(Number.MAX_SAFE_INTEGER);

/** A phone number as published; it is normalised (and possibly rejected as invalid-phone) by the workflow, not here. */
const phoneField = z.string().max(40, 'must be at most 40 characters');
export const optionalPhone = phoneField.nullish();

export const gender = z.enum(['male', 'female']);
export const subjectType = z.enum(['person', 'unit', 'facility', 'collector']);
export const subjectId = code('subject id (letters, digits, . _ / -)', /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, '0113096123');

const names = { fullName: smsText(100), unitName: smsText(200), agency: smsText(100) };

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
    }),
  [DetailType.VoluntaryContributionPaid]: () =>
    z.object({
      personId,
      fullName: names.fullName,
      gender: gender.nullish(),
      paidThrough: month,
      method: smsText(50),
      phone: optionalPhone,
    }),
  [DetailType.ContributionHistoryUpdated]: () =>
    z.object({
      personId,
      periods: z
        .array(
          z
            .object({
              from: month,
              to: month.nullable(),
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
      loginName: smsText(50),
      temporaryPassword: smsPassword,
      phone: optionalPhone,
    }),
  [DetailType.InboundSmsReceived]: () =>
    z.object({
      messageId: externalId(100),
      from: phoneField.min(1, 'must not be empty'),
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
    }),
  [DetailType.FacilityClaimsSummary]: () =>
    z.object({
      facilityCode: code('5-character facility code (mã CSKCB)', /^[0-9A-Z]{5}$/, '01909'),
      month,
      claimCount: z.number().int().nonnegative(),
      claimAmount: vnd,
      onTimeRate: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
      phone: optionalPhone,
    }),
  [DetailType.EAccountRegistrationReviewed]: () =>
    z
      .object({
        registrationId: externalId(64),
        personId,
        fullName: names.fullName,
        approved: z.boolean(),
        reason: smsText(150).optional(),
        loginName: smsText(50).optional(),
        temporaryPassword: smsPassword.optional(),
        phone: optionalPhone,
      })
      .superRefine((d, ctx) => {
        if (d.approved && (!d.loginName || !d.temporaryPassword)) {
          ctx.addIssue({ code: 'custom', path: [d.loginName ? 'temporaryPassword' : 'loginName'], message: 'is required when approved is true' });
        }
        if (!d.approved && !d.reason) {
          ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when approved is false' });
        }
      }),
  [DetailType.OtpIssued]: () =>
    z.object({
      personId,
      purpose: z.enum(['password-change', 'device-login']),
      code: code('one-time code of 4 to 8 digits', /^\d{4,8}$/, '482913'),
      expiresAt: timestamp,
      phone: optionalPhone,
    }),
  [DetailType.PasswordChanged]: () => z.object({ personId, changedAt: timestamp }),
  [DetailType.CollectionPaymentConfirmed]: () =>
    z.object({
      confirmationCode: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{1,40}$/, 'must be letters, digits and dashes (at most 40)'),
      collectorCode: unitCode,
      personId,
      fullName: names.fullName,
      paidAt: timestamp,
      amount: vnd.positive('must be more than 0'),
      scheme: z.enum(['voluntary-social', 'household-health']),
      months: z.number().int().min(1).max(120),
      phone: optionalPhone,
    }),
} satisfies Record<DetailTypeName, () => z.ZodType>);

export type DetailOf<T extends DetailTypeName> = z.infer<(typeof detailSchemas)[T]>;

export const internalSchemas = lazily({
  [InternalDetailType.OrphanResolutionCheck]: () => z.object({ dossierNo }),
  [InternalDetailType.CampaignDue]: () =>
    z.object({
      kind: z.enum(DUE_KINDS),
      scheduledTime: timestamp,
    }),
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
  time: z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
});

export type ParseResult = { ok: true; event: CatalogueEvent | InternalEvent } | { ok: false; reason: QuarantineReason; errors: string[] };

export type QuarantineReason = 'not-json' | 'not-an-event' | 'unknown-detail-type' | 'wrong-source' | 'invalid-detail';

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
 * Never throws: every failure becomes a reason and readable errors.
 */
export function parseCatalogueEvent(raw: unknown): ParseResult {
  const env = envelope.safeParse(raw, { reportInput: true });
  if (!env.success) return { ok: false, reason: 'not-an-event', errors: describeIssues(env.error.issues, '') };
  const { id, source, time, detail } = env.data;
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
  if (SOURCE_OF[known] !== source) {
    return {
      ok: false,
      reason: 'wrong-source',
      errors: [`source: ${known} must come from ${SOURCE_OF[known]}, not "${source.slice(0, 80)}"`],
    };
  }
  const parsed = detailSchemas[known].safeParse(detail, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: 'invalid-detail', errors: describeIssues(parsed.error.issues, 'detail') };
  return { ok: true, event: { id, detailType: known, source, time, detail: parsed.data } as CatalogueEvent };
}
