/**
 * The review's forged events, end to end on the local system (SPEC rules 10
 * and 11): none of them sends an SMS; each is quarantined with its reason and
 * the field named. And the contact hijack by a post-dated ContactUpdated.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../lambdas/domain/contacts.ts';
import { SECRET_MASK } from '../../lambdas/domain/templates.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const PHONE = '0912345678';
let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: PHONE, gender: 'female' })]);
  await system.drain();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

const quarantine = () => system.queueByLogicalPrefix('EventIntakeQuarantine').messages;
/** What each event published after `before` left in the quarantine: reason and errors. */
const keptSince = (before: number) =>
  quarantine()
    .slice(before)
    .map((m) => ({ reason: m.messageAttributes.reason?.StringValue, errors: JSON.parse(m.messageAttributes.errors?.StringValue ?? '[]') as string[] }));
const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const vn = (time: string) => new Date(`${time}+07:00`);
const iso = (d: Date) => d.toISOString();
const plusMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

describe('rule 10: the forged events send nothing', () => {
  it('a temporary password whose login name is a domain', async () => {
    const before = quarantine().length;

    await at('2018-12-03T10:00:00+07:00', entry('TemporaryPasswordIssued', { ...sampleDetails.TemporaryPasswordIssued, loginName: 'tai vssid-bhxh.top', phone: PHONE }));

    expect(system.outbox).toEqual([]);
    expect(keptSince(before)).toEqual([{ reason: 'invalid-detail', errors: ['detail.loginName: must be a 10-digit BHXH number (the VssID login name), e.g. 0113096123'] }]);
  });

  it('an account refusal whose reason sends the citizen to a site and a call-back number', async () => {
    const before = quarantine().length;

    await at(
      '2018-12-03T10:01:00+07:00',
      entry('EAccountRegistrationReviewed', {
        registrationId: 'REG-FORGED-1',
        personId: SEED.personId,
        fullName: SEED.fullName,
        approved: false,
        reason: 'account locked, verify at http://bhxh-vn.top or call 0901234567',
      }),
    );

    expect(system.outbox).toEqual([]);
    expect(keptSince(before)).toEqual([
      {
        reason: 'invalid-detail',
        errors: [
          'detail.reason: contains a web address (http://bhxh-vn.top); a BHXHVN message never carries one',
          'detail.reason: contains a phone number (+84******567); a BHXHVN message never carries one',
        ],
      },
    ]);
  });

  it('a payment notice whose unit name is a scam call-back number', async () => {
    const before = quarantine().length;

    await at(
      '2018-12-03T10:02:00+07:00',
      entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-FORGED-1', unitName: 'Goi ngay 0868 123 456', phone: PHONE }),
    );

    expect(system.outbox).toEqual([]);
    expect(keptSince(before)).toEqual([{ reason: 'invalid-detail', errors: ['detail.unitName: contains a phone number (+84******456); a BHXHVN message never carries one'] }]);
  });

  it('a one-time code valid for a month', async () => {
    const before = quarantine().length;

    await at('2018-12-03T10:03:00+07:00', entry('OtpIssued', { ...sampleDetails.OtpIssued, expiresAt: '2019-01-03T10:03:00+07:00', phone: PHONE }));

    expect(system.outbox).toEqual([]);
    expect(keptSince(before)).toEqual([
      {
        reason: 'invalid-detail',
        errors: ['detail.expiresAt: is more than 15 minutes after the code was issued (2018-12-03T03:03:00.000Z); a one-time code lives at most 15 minutes'],
      },
    ]);
  });

  it('an approval whose name is the secret mask: the password cannot take the name slot', async () => {
    const before = quarantine().length;

    await at(
      '2018-12-03T10:04:00+07:00',
      entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, registrationId: 'REG-FORGED-2', fullName: SECRET_MASK, phone: PHONE }),
    );

    expect(system.outbox).toEqual([]);
    const kept = keptSince(before);
    expect(kept).toMatchObject([{ reason: 'invalid-detail' }]);
    expect(kept[0]!.errors).toContain(`detail.fullName: must not contain "**": a run of asterisks marks where a password or code goes (${SECRET_MASK})`);
  });

  it('a genuine code of 5 minutes still goes', async () => {
    await at('2018-12-03T10:05:00+07:00', entry('OtpIssued', { ...sampleDetails.OtpIssued, code: '552211', expiresAt: '2018-12-03T10:10:00+07:00', phone: PHONE }));

    expect(system.outbox.map((l) => l.kind)).toEqual(['otp']);
  });
});

describe('rule 11: a post-dated ContactUpdated cannot hijack a contact', () => {
  it('quarantines an update dated 2099, orders one dated 4 minutes ahead at its arrival, and lets the correction that follows win', async () => {
    // Prepare: TST's correct update of the unit's contact
    const unit = 'HIJACK01';
    const contact = (phone: string) => ({ subjectType: 'unit', subjectId: unit, name: 'Công ty Bị Giả Mạo', phone });
    const t = vn('2018-12-04T09:00:00');
    await at(iso(t), entry('ContactUpdated', contact('0912000111'), iso(t)));
    const arrival = plusMinutes(t, 10);
    const before = quarantine().length;

    // Act: the forger's two updates arrive; then TST's correction, a minute after them
    await at(iso(arrival), entry('ContactUpdated', contact('0999888777'), '2099-01-01T00:00:00Z'), entry('ContactUpdated', contact('0988777666'), iso(plusMinutes(arrival, 4))));
    const forgedMeanwhile = (await system.scan<Contact>('ContactsTable')).find((c) => c.subject === `unit#${unit}`);
    await at(iso(plusMinutes(arrival, 1)), entry('ContactUpdated', contact('0912000222'), iso(plusMinutes(arrival, 1))));
    await at(
      iso(plusMinutes(arrival, 2)),
      entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-HIJACK', unitCode: unit, unitName: 'Công ty Bị Giả Mạo' }),
    );

    // Assess: the 2099 update was refused, naming time
    const kept = keptSince(before);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.reason).toBe('future-time');
    expect(kept[0]!.errors).toEqual([expect.stringMatching(/^time: 2099-01-01T00:00:00Z is more than 5 minutes after the event's arrival/)]);
    // the one 4 minutes ahead was taken, ordered at its arrival, not at its own time
    expect(forgedMeanwhile).toMatchObject({ phone: '+84988777666' });
    expect(Date.parse(forgedMeanwhile!.asOf)).toBeLessThan(plusMinutes(arrival, 1).getTime());
    // the correction won: the contact and the payment SMS have its number
    const now = (await system.scan<Contact>('ContactsTable')).find((c) => c.subject === `unit#${unit}`);
    expect(now).toMatchObject({ phone: '+84912000222', asOf: plusMinutes(arrival, 1).toISOString() });
    expect(system.outbox.map((l) => [l.kind, l.to])).toEqual([['unit-payment-received', '+84912000222']]);
  });
});

describe('rule 11: due items are ordered the same way', () => {
  const dueItem = async (pk: string) => (await system.scan<{ pk: string; dueDate: string; asOf: string }>('CampaignsDueItems')).find((i) => i.pk === pk);

  it('a voluntary payment dated 4 minutes ahead does not outrank the correction that arrives a minute later', async () => {
    const personId = '0110000001';
    const paid = (paidThrough: string) => ({ ...sampleDetails.VoluntaryContributionPaid, personId, paidThrough });
    const arrival = vn('2018-12-05T09:00:00');

    await at(iso(arrival), entry('VoluntaryContributionPaid', paid('2030-12'), iso(plusMinutes(arrival, 4))));
    await at(iso(plusMinutes(arrival, 1)), entry('VoluntaryContributionPaid', paid('2019-06'), iso(plusMinutes(arrival, 1))));

    expect(await dueItem(`voluntary-term-ending#${personId}`)).toMatchObject({ dueDate: '2019-06-15', asOf: plusMinutes(arrival, 1).toISOString() });
  });

  it('a password change dated 2099 in its detail cannot block the reminder of a later genuine change', async () => {
    const personId = '0110000002';
    const arrival = vn('2018-12-06T09:00:00');

    await at(iso(arrival), entry('PasswordChanged', { personId, changedAt: '2099-01-01T00:00:00+07:00' }));
    await at(iso(plusMinutes(arrival, 1)), entry('PasswordChanged', { personId, changedAt: iso(plusMinutes(arrival, 1)) }));

    expect(await dueItem(`password-change-due#${personId}`)).toMatchObject({ dueDate: '2019-06-06' });
  });
});
