/**
 * Every kind's placeholders, described for the carriers' template register (carrier-register.ts): where each value
 * comes from and how wide it can be. The type asks for every field of every template, and the register's test fails
 * for a kind without a description, so a new kind is not registered by guesswork.
 */
import { historyAnswer } from './lookup-answers.ts';
import type { Period } from './read-models.ts';
import { amount, choice, code, count, date, fitted, instant, month, percent, salutation, text, type Slot } from './carrier-slots.ts';
import type { TemplateData, TemplateId } from './templates.ts';
import { formatAmount } from './text/format.ts';

/** A BHXH number (and VssID login name) is always 10 digits. */
const PERSON_ID_WIDEST = '0123456789';

export interface KindDescription<K extends TemplateId> {
  slots: { readonly [F in keyof TemplateData<K>]-?: Slot };
  /** A kind whose data the code cuts to fit 3 parts (8079 history): its widest data, as that code builds it. */
  widest?(branded: boolean): TemplateData<K>;
}

const personId = (event: 'EmployeeContributionStopped' | 'CollectionPaymentConfirmed' | 'OtpIssued' = 'EmployeeContributionStopped') => code(event, 'personId', PERSON_ID_WIDEST);
const dossierNo = () => code('DossierReceived', 'dossierNo', `A${'0'.repeat(39)}`);
const cardNo = () => code('HealthCardIssued', 'cardNo', 'HC4010110129425');
/** 64 printable ASCII characters at most; `{` counts two septets (a GSM-7 extension character), so it is the widest. */
const registrationId = () => code('EAccountRegistrationSubmitted', 'registrationId', '{'.repeat(64));
const loginName = (event: 'TemporaryPasswordIssued' | 'EAccountRegistrationReviewed') => code(event, 'loginName', PERSON_ID_WIDEST);
const password = (event: 'TemporaryPasswordIssued' | 'EAccountRegistrationReviewed') => text(event, 'temporaryPassword');

/** The longest history answer: 600 periods (the schema's most) of 200-character unit names, a range asked. */
function widestHistory(branded: boolean): TemplateData<'lookup-history'> {
  const periods: Period[] = Array.from({ length: 600 }, (_, i) => ({
    from: `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    to: `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    unitCode: `U${i}`,
    unitName: `${'A'.repeat(47)} ${'B'.repeat(152)}`,
    scheme: 'compulsory',
  }));
  return historyAnswer(PERSON_ID_WIDEST, periods, { from: '2000-01', to: '2049-12' }, new Date('2050-01-01T00:00:00Z'), { branded });
}

export const KIND_DESCRIPTIONS: { readonly [K in TemplateId]: KindDescription<K> } = {
  'unit-payment-received': {
    slots: {
      unitName: text('UnitPaymentReceived', 'unitName'),
      unitCode: code('UnitPaymentReceived', 'unitCode', 'A'.repeat(20)),
      amount: amount('UnitPaymentReceived', 'amount'),
      agency: text('UnitPaymentReceived', 'agency'),
    },
  },
  'contribution-stopped': {
    slots: {
      fullName: text('EmployeeContributionStopped', 'fullName'),
      gender: salutation('EmployeeContributionStopped.gender'),
      personId: personId(),
      unitName: text('EmployeeContributionStopped', 'unitName'),
      fromMonth: month('EmployeeContributionStopped.fromMonth'),
    },
  },
  'dossier-accepted': { slots: { dossierNo: dossierNo(), expectedResultDate: date('DossierReceived.expectedResultDate') } },
  'dossier-rejected': { slots: { dossierNo: dossierNo(), reason: text('DossierReceived', 'rejectReason') } },
  'dossier-resolved': { slots: { dossierNo: dossierNo() } },
  'health-card-expiring': { slots: { cardNo: cardNo(), validTo: date('HealthCardIssued.validTo') } },
  'facility-claims-summary': {
    slots: {
      facilityCode: code('FacilityClaimsSummary', 'facilityCode', 'A0000'),
      month: month('FacilityClaimsSummary.month'),
      claimCount: amount('FacilityClaimsSummary', 'claimCount'),
      claimAmount: amount('FacilityClaimsSummary', 'claimAmount'),
      onTimeRate: percent('FacilityClaimsSummary', 'onTimeRate'),
    },
  },
  'unit-monthly-statement': {
    slots: {
      unitName: text('UnitMonthlyStatement', 'unitName'),
      month: month('UnitMonthlyStatement.month'),
      paidAmount: amount('UnitMonthlyStatement', 'paidAmount'),
      carriedOverAmount: amount('UnitMonthlyStatement', 'carriedOverAmount'),
      expectedAmount: amount('UnitMonthlyStatement', 'expectedAmount'),
      agency: text('UnitMonthlyStatement', 'agency'),
    },
  },
  'voluntary-term-ending': {
    slots: {
      fullName: text('VoluntaryContributionPaid', 'fullName'),
      gender: salutation('VoluntaryContributionPaid.gender'),
      paidThrough: month('VoluntaryContributionPaid.paidThrough'),
    },
  },
  'collection-confirmed': {
    slots: {
      confirmationCode: code('CollectionPaymentConfirmed', 'confirmationCode', 'A'.repeat(40)),
      fullName: text('CollectionPaymentConfirmed', 'fullName'),
      personId: personId('CollectionPaymentConfirmed'),
      paidAt: instant('CollectionPaymentConfirmed.paidAt'),
      amount: amount('CollectionPaymentConfirmed', 'amount'),
      scheme: choice(['voluntary-social', 'household-health'], 'CollectionPaymentConfirmed.scheme'),
      months: count({ event: 'CollectionPaymentConfirmed', field: 'months' }),
    },
  },
  'collector-summary': {
    slots: {
      collectorCode: code('CollectionPaymentConfirmed', 'collectorCode', 'A'.repeat(20)),
      date: date('the day of the form'),
      count: count({ max: 9_999_999, assumed: 'assumed; no schema bounds the confirmations of a day' }),
      total: count({ max: Number.MAX_SAFE_INTEGER, assumed: 'the largest exact amount (formatAmount refuses more)' }, formatAmount),
      supplement: count({ max: 99, assumed: 'assumed; a day has a supplementary form per late confirmation' }),
    },
  },
  'dossier-overdue-apology': { slots: { dossierNo: dossierNo(), expectedResultDate: date('DossierReceived.expectedResultDate') } },
  'password-reminder': { slots: { loginName: code('PasswordChanged', 'personId', PERSON_ID_WIDEST) } },
  'lookup-mismatch': { slots: {} },
  'lookup-help': { slots: {} },
  'lookup-rate-limited': { slots: { limit: count({ max: 9999, assumed: 'assumed; bhxh:lookupRateLimitPerHour has no upper bound' }) } },
  'lookup-history': {
    slots: {
      personId: personId(),
      months: fitted('months paid in the range', true),
      range: fitted('the range asked, mm/yyyy-mm/yyyy'),
      periods: fitted('the latest periods'),
      more: fitted('the periods not shown', true),
    },
    widest: widestHistory,
  },
  'lookup-card-valid': { slots: { cardNo: cardNo(), validTo: date('HealthCardIssued.validTo') } },
  'lookup-card-expired': { slots: { cardNo: cardNo(), validTo: date('HealthCardIssued.validTo') } },
  'lookup-dossier': {
    slots: {
      dossierNo: dossierNo(),
      status: choice(['received', 'overdue', 'rejected', 'resolved'], "the dossier's status"),
      expectedResultDate: date('DossierReceived.expectedResultDate'),
    },
  },
  'temporary-password': { slots: { loginName: loginName('TemporaryPasswordIssued'), password: password('TemporaryPasswordIssued') } },
  'account-approved': {
    slots: {
      fullName: text('EAccountRegistrationReviewed', 'fullName'),
      loginName: loginName('EAccountRegistrationReviewed'),
      password: password('EAccountRegistrationReviewed'),
    },
  },
  'account-rejected': { slots: { fullName: text('EAccountRegistrationReviewed', 'fullName'), reason: text('EAccountRegistrationReviewed', 'reason') } },
  'registration-received': { slots: { registrationId: registrationId(), deadline: date('EAccountRegistrationSubmitted.submittedAt + 10 days') } },
  'registration-reminder': { slots: { registrationId: registrationId(), deadline: date('EAccountRegistrationSubmitted.submittedAt + 10 days') } },
  'registration-deleted': { slots: { registrationId: registrationId(), deadline: date('EAccountRegistrationSubmitted.submittedAt + 10 days') } },
  otp: {
    slots: {
      code: code('OtpIssued', 'code', '0'.repeat(8)),
      purpose: choice(['password-change', 'device-login'], 'OtpIssued.purpose'),
      expiresAt: instant('OtpIssued.expiresAt', true),
    },
  },
};
