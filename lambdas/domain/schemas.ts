/**
 * zod schemas for every detail-type of the catalogue (SPEC "Event catalogue"),
 * made of the fields of schema-fields.ts; event-parser.ts reads an EventBridge
 * event with them.
 */
import * as z from 'zod';
import { DetailType, InternalDetailType, type DetailType as DetailTypeName } from './catalogue.ts';
import { DUE_KINDS } from './due-items.ts';
import { findNonGsm7 } from './text/gsm7.ts';
import {
  OTP_MAX_LIFETIME_MINUTES,
  smsText,
  noBait,
  smsPassword,
  externalId,
  code,
  personId,
  unitCode,
  dossierNo,
  loginName,
  month,
  historyMonth,
  calendarDate,
  timestamp,
  vnd,
  phoneField,
  optionalPhone,
  optionalEmail,
  gender,
  subjectType,
  subjectId,
  names,
  plainText,
  campaignId,
  agencyCode,
} from './schema-fields.ts';

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
