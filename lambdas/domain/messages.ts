/**
 * From a business fact to the message it causes: which template, with what
 * data, to whom, and under which idempotency key (SPEC rule 4: kind + subject
 * + period or document number, never the event id).
 */
import { createHmac } from 'node:crypto';
import { subjectKey, type Contact, type SubjectType } from './contacts.ts';
import { normalizeVnMobile, maskPhone } from './phone.ts';
import { measureSms } from './text/gsm7.ts';
import { assertOneSecretSlot, withSecret } from './secrets.ts';
import { MAX_SEGMENTS, renderSms, SECRET_MASK, TemplateTooLongError, type RenderOptions, type TemplateId, type TemplateData } from './templates.ts';
import type { DetailOf } from './schemas.ts';
import type { EmailAttachment } from './emails.ts';

export interface MessagePlan<K extends TemplateId = TemplateId> {
  /** The message kind is the template id: operators filter the ledger and the outbox by it. */
  kind: K;
  key: string;
  /** Contact projection key of the recipient. */
  subject: string;
  /** A phone carried by the event itself; it overrides the contact projection. */
  phone?: string | null;
  /** An e-mail address carried by the event itself; it overrides the contact projection (SPEC rule 12). */
  email?: string | null;
  /** Files the e-mail carries (the form 01-XN's CSV), from the reports bucket; the SMS never does. */
  attachments?: EmailAttachment[];
  data: TemplateData<K> | ((contact: Contact | undefined) => TemplateData<K>);
  /** A password or one-time code: rendered as SECRET_MASK, put back only by the sender. */
  secret?: string;
  /** Urgent messages (OTP) take the priority queue, past any campaign backlog. */
  urgent?: boolean;
  /** After this instant the message is worthless and is recorded as expired instead of sent. */
  sendBy?: string;
  /** A direct reply to the citizen's own request (8079): sent at any hour, like codes and passwords. */
  reply?: boolean;
}

/** A field the schema requires in this case (an approval's login name, a refusal's reason): its absence is a bug, said by name. */
export function present<T>(value: T | null | undefined, field: string): T {
  if (value === undefined || value === null) throw new Error(`${field} is required here`);
  return value;
}

export function planUnitPayment(d: DetailOf<'UnitPaymentReceived'>): MessagePlan<'unit-payment-received'> {
  return {
    kind: 'unit-payment-received',
    key: `unit-payment-received#${d.unitCode}#${d.paymentId}`,
    subject: subjectKey('unit', d.unitCode),
    phone: d.phone,
    data: { unitName: d.unitName, unitCode: d.unitCode, amount: d.amount, agency: d.agency },
  };
}

export function planContributionStopped(d: DetailOf<'EmployeeContributionStopped'>): MessagePlan<'contribution-stopped'> {
  return {
    kind: 'contribution-stopped',
    key: `contribution-stopped#${d.personId}#${d.unitCode}#${d.fromMonth}`,
    subject: subjectKey('person', d.personId),
    phone: d.phone,
    // The event may not know the gender; the contact record often does.
    data: (contact) => ({
      fullName: d.fullName,
      gender: d.gender ?? contact?.gender ?? null,
      personId: d.personId,
      unitName: d.unitName,
      fromMonth: d.fromMonth,
    }),
  };
}

export type Recipient = { ok: true; e164: string; masked: string } | { ok: false; reason: 'no-phone' | 'invalid-phone'; detail: string };

/** SPEC rules 2 and 3: the event's phone wins, then the contact projection; no usable number means skipped. */
export function resolveRecipient(eventPhone: string | null | undefined, contact: Contact | undefined): Recipient {
  if (eventPhone) return fromRaw(eventPhone);
  if (contact?.phone) return fromRaw(contact.phone);
  if (contact?.phoneRejected) return { ok: false, reason: 'invalid-phone', detail: `contact number rejected: ${contact.phoneRejected}` };
  return { ok: false, reason: 'no-phone', detail: contact ? 'contact has no phone number' : 'no contact registered' };
}

function fromRaw(raw: string): Recipient {
  const parsed = normalizeVnMobile(raw);
  if (!parsed.ok) return { ok: false, reason: 'invalid-phone', detail: `${parsed.reason}: ${parsed.detail}` };
  return { ok: true, e164: parsed.e164, masked: maskPhone(parsed.e164) };
}

/** The ledger's text (secrets masked) and the parts of the SMS as it will really be sent. */
export function renderPlan<K extends TemplateId>(plan: MessagePlan<K>, contact: Contact | undefined, options: RenderOptions = {}) {
  const data = typeof plan.data === 'function' ? plan.data(contact) : plan.data;
  const rendered = renderSms(plan.kind, data, options);
  if (plan.secret === undefined) return rendered;
  // The sender fills the first mask: it must be the template's slot, not a field that looks like the mask.
  assertOneSecretSlot(rendered.text);
  const sent = measureSms(withSecret(rendered.text, plan.secret));
  if (sent.segments > MAX_SEGMENTS) throw new TemplateTooLongError(plan.kind, sent.segments);
  return { text: rendered.text, segments: sent.segments, septets: sent.septets };
}

export function planAccountReviewed(d: DetailOf<'EAccountRegistrationReviewed'>): MessagePlan<'account-approved'> | MessagePlan<'account-rejected'> {
  const base = { subject: subjectKey('person', d.personId), phone: d.phone, email: d.email };
  if (d.approved) {
    return {
      ...base,
      kind: 'account-approved',
      key: `account-approved#${d.registrationId}`,
      data: { fullName: d.fullName, loginName: present(d.loginName, 'loginName'), password: SECRET_MASK },
      secret: present(d.temporaryPassword, 'temporaryPassword'),
    };
  }
  return { ...base, kind: 'account-rejected', key: `account-rejected#${d.registrationId}`, data: { fullName: d.fullName, reason: present(d.reason, 'reason') } };
}

export function planDossierOverdueApology(d: DossierAddress & { expectedResultDate: string }): MessagePlan<'dossier-overdue-apology'> {
  return {
    kind: 'dossier-overdue-apology',
    key: `dossier-overdue-apology#${d.dossierNo}`,
    subject: subjectKey(d.subjectType, d.subjectId),
    phone: d.phone,
    data: { dossierNo: d.dossierNo, expectedResultDate: d.expectedResultDate },
  };
}

/** One reminder per password change: a newer change has another key (and moves the schedule). */
export function planPasswordReminder(d: { personId: string; changedAt: string }): MessagePlan<'password-reminder'> {
  return {
    kind: 'password-reminder',
    key: `password-reminder#${d.personId}#${new Date(d.changedAt).toISOString()}`,
    subject: subjectKey('person', d.personId),
    data: { loginName: d.personId },
  };
}

/**
 * Which issue of a password or one-time code a message carries, for its key (SPEC rule 4): the events name no issue
 * id (OtpIssued, TemporaryPasswordIssued), and the secret itself is what tells a re-issue from a copy. Keys are
 * logged and stored, so the secret is not in them, nor a plain hash of it: a code has at most 10^8 values, and
 * hashing them all takes a second. An HMAC under a secret key (the intake's HMAC key) cannot be reversed that way;
 * `kind` keeps a code and a password apart. 128 bits, in hex.
 */
export function secretIssueId(hmacKey: string, kind: 'otp' | 'temporary-password', secret: string): string {
  return createHmac('sha256', hmacKey).update(`message-issue#${kind}#${secret}`).digest('hex').slice(0, 32);
}

/**
 * The reply to `BH MK`: a new password from the portal, sent as issued and never stored. Keyed by the password's
 * issue (`secretIssueId`), not the event's time: a republished password (a publisher's retry has a new time) is
 * absorbed, a new password is sent.
 */
export function planTemporaryPassword(d: DetailOf<'TemporaryPasswordIssued'>, issue: string): MessagePlan<'temporary-password'> {
  return {
    kind: 'temporary-password',
    key: `temporary-password#${d.personId}#${issue}`,
    subject: subjectKey('person', d.personId),
    phone: d.phone,
    data: { loginName: d.loginName, password: SECRET_MASK },
    secret: d.temporaryPassword,
  };
}

export function planHealthCardExpiring(p: { personId: string; cardNo: string; validTo: string }): MessagePlan<'health-card-expiring'> {
  return {
    kind: 'health-card-expiring',
    key: `health-card-expiring#${p.cardNo}#${p.validTo}`,
    subject: subjectKey('person', p.personId),
    data: { cardNo: p.cardNo, validTo: p.validTo },
  };
}

export function planVoluntaryTermEnding(p: {
  personId: string;
  fullName: string;
  gender?: 'male' | 'female' | null;
  paidThrough: string;
  phone?: string | null;
}): MessagePlan<'voluntary-term-ending'> {
  return {
    kind: 'voluntary-term-ending',
    key: `voluntary-term-ending#${p.personId}#${p.paidThrough}`,
    subject: subjectKey('person', p.personId),
    phone: p.phone,
    data: (contact) => ({ fullName: p.fullName, gender: p.gender ?? contact?.gender ?? null, paidThrough: p.paidThrough }),
  };
}

export function planUnitStatement(d: DetailOf<'UnitMonthlyStatement'>): MessagePlan<'unit-monthly-statement'> {
  return {
    kind: 'unit-monthly-statement',
    key: `unit-monthly-statement#${d.unitCode}#${d.month}`,
    subject: subjectKey('unit', d.unitCode),
    phone: d.phone,
    data: { unitName: d.unitName, month: d.month, paidAmount: d.paidAmount, carriedOverAmount: d.carriedOverAmount, expectedAmount: d.expectedAmount, agency: d.agency },
  };
}

export function planFacilitySummary(d: DetailOf<'FacilityClaimsSummary'>): MessagePlan<'facility-claims-summary'> {
  return {
    kind: 'facility-claims-summary',
    key: `facility-claims-summary#${d.facilityCode}#${d.month}`,
    subject: subjectKey('facility', d.facilityCode),
    phone: d.phone,
    data: { facilityCode: d.facilityCode, month: d.month, claimCount: d.claimCount, claimAmount: d.claimAmount, onTimeRate: d.onTimeRate },
  };
}

export function planCollectionConfirmed(d: DetailOf<'CollectionPaymentConfirmed'>): MessagePlan<'collection-confirmed'> {
  return {
    kind: 'collection-confirmed',
    key: `collection-confirmed#${d.confirmationCode}`,
    subject: subjectKey('person', d.personId),
    phone: d.phone,
    email: d.email,
    data: { confirmationCode: d.confirmationCode, fullName: d.fullName, personId: d.personId, paidAt: d.paidAt, amount: d.amount, scheme: d.scheme, months: d.months },
  };
}

/**
 * Keyed by person, purpose, expiry and the code's issue (`secretIssueId`): a code re-issued with the same expiry is a
 * new message, a copy of the same code is absorbed.
 */
export function planOtp(d: DetailOf<'OtpIssued'>, issue: string): MessagePlan<'otp'> {
  return {
    kind: 'otp',
    key: `otp#${d.personId}#${d.purpose}#${new Date(d.expiresAt).toISOString()}#${issue}`,
    subject: subjectKey('person', d.personId),
    phone: d.phone,
    data: { code: SECRET_MASK, purpose: d.purpose, expiresAt: d.expiresAt },
    secret: d.code,
    urgent: true,
    sendBy: new Date(d.expiresAt).toISOString(),
  };
}

/** What the e-registration lifecycle keeps to address the citizen (lambdas/domain/registrations.ts). */
export interface RegistrationAddress {
  registrationId: string;
  personId: string;
  deadline: string;
  phone?: string | null;
  email?: string | null;
}

type RegistrationKind = 'registration-received' | 'registration-reminder' | 'registration-deleted';

/** One message of each kind per registration, keyed by its number (SPEC rule 4): a repeated step or event sends nothing new. */
function planRegistration<K extends RegistrationKind>(kind: K, r: RegistrationAddress): MessagePlan<K> {
  return {
    kind,
    key: `${kind}#${r.registrationId}`,
    subject: subjectKey('person', r.personId),
    phone: r.phone,
    email: r.email,
    data: { registrationId: r.registrationId, deadline: r.deadline } as TemplateData<K>,
  };
}

/** At once: received; bring the signed form 01 and an identity document to an office before the deadline. */
export const planRegistrationReceived = (r: RegistrationAddress) => planRegistration('registration-received', r);
/** Day 7, unless reviewed. */
export const planRegistrationReminder = (r: RegistrationAddress) => planRegistration('registration-reminder', r);
/** Day 10, unless reviewed: the declaration was deleted. */
export const planRegistrationDeleted = (r: RegistrationAddress) => planRegistration('registration-deleted', r);

/** What the dossier lifecycle needs to know to address the applicant. */
export interface DossierAddress {
  dossierNo: string;
  subjectType: SubjectType;
  subjectId: string;
  phone?: string | null;
}

export function planDossierAccepted(d: DossierAddress & { expectedResultDate: string }): MessagePlan<'dossier-accepted'> {
  return {
    kind: 'dossier-accepted',
    key: `dossier-accepted#${d.dossierNo}`,
    subject: subjectKey(d.subjectType, d.subjectId),
    phone: d.phone,
    data: { dossierNo: d.dossierNo, expectedResultDate: d.expectedResultDate },
  };
}

export function planDossierRejected(d: DossierAddress & { rejectReason: string }): MessagePlan<'dossier-rejected'> {
  return {
    kind: 'dossier-rejected',
    key: `dossier-rejected#${d.dossierNo}`,
    subject: subjectKey(d.subjectType, d.subjectId),
    phone: d.phone,
    data: { dossierNo: d.dossierNo, reason: d.rejectReason },
  };
}

export function planDossierResolved(d: DossierAddress): MessagePlan<'dossier-resolved'> {
  return {
    kind: 'dossier-resolved',
    key: `dossier-resolved#${d.dossierNo}`,
    subject: subjectKey(d.subjectType, d.subjectId),
    phone: d.phone,
    data: { dossierNo: d.dossierNo },
  };
}
