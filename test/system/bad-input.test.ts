/**
 * Bad input, for every kind of the catalogue: each malformed event is kept in
 * the quarantine with a clear reason naming the field, none crashes the batch
 * it arrives in, and the good events around it are processed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DETAIL_TYPES, SECRET_FIELDS, type DetailType } from '../../lambdas/domain/catalogue.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { envelope, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

// A text field of each kind that ends up in an SMS (or the first string field).
const textField: Record<DetailType, string> = {
  ContactUpdated: 'name',
  UnitPaymentReceived: 'unitName',
  EmployeeContributionStopped: 'fullName',
  DossierReceived: 'dossierNo',
  DossierResolved: 'dossierNo',
  HealthCardIssued: 'fullName',
  VoluntaryContributionPaid: 'fullName',
  ContributionHistoryUpdated: 'personId',
  TemporaryPasswordIssued: 'loginName',
  InboundSmsReceived: 'messageId',
  UnitMonthlyStatement: 'unitName',
  FacilityClaimsSummary: 'facilityCode',
  EAccountRegistrationReviewed: 'fullName',
  EAccountRegistrationSubmitted: 'fullName',
  OtpIssued: 'code',
  PasswordChanged: 'personId',
  CollectionPaymentConfirmed: 'fullName',
  CampaignProposed: 'title',
  CampaignReviewed: 'reviewer',
  CampaignCancelled: 'reason',
};
const dateField: Partial<Record<DetailType, string>> = {
  UnitPaymentReceived: 'receivedAt',
  DossierResolved: 'resolvedAt',
  HealthCardIssued: 'validTo',
  OtpIssued: 'expiresAt',
  PasswordChanged: 'changedAt',
  CollectionPaymentConfirmed: 'paidAt',
  CampaignProposed: 'sendFrom',
  InboundSmsReceived: 'receivedAt',
  EAccountRegistrationSubmitted: 'submittedAt',
};

type Case = { name: string; detailType: DetailType; detail: Record<string, unknown>; expect: RegExp };

const cases: Case[] = ALL_DETAIL_TYPES.flatMap((detailType) => {
  const good = sampleDetails[detailType];
  const field = textField[detailType];
  const [firstField] = Object.keys(good);
  const list: Case[] = [
    {
      name: 'missing field',
      detailType,
      detail: Object.fromEntries(Object.entries(good).filter(([k]) => k !== firstField)),
      expect: new RegExp(`^detail\\.${firstField}: is required`),
    },
    { name: 'wrong type', detailType, detail: { ...good, [field]: 12345 }, expect: new RegExp(`^detail\\.${field}: Invalid input: expected string, received number`) },
    { name: 'huge string', detailType, detail: { ...good, [field]: 'A'.repeat(100_000) }, expect: new RegExp(`^detail\\.${field}: `) },
    { name: 'control characters', detailType, detail: { ...good, [field]: 'Nguyễn\u0000Văn\nA' }, expect: new RegExp(`^detail\\.${field}: `) },
    { name: 'a non-Vietnamese script', detailType, detail: { ...good, [field]: 'Иванов 王' }, expect: new RegExp(`^detail\\.${field}: `) },
  ];
  const date = dateField[detailType];
  if (date) list.push({ name: 'impossible date', detailType, detail: { ...good, [date]: '2019-02-30T10:00:00+07:00' }, expect: new RegExp(`^detail\\.${date}: `) });
  if ('phone' in good || detailType === 'UnitPaymentReceived')
    list.push({ name: 'a phone field that is not text', detailType, detail: { ...good, phone: { $gt: '' } }, expect: /^detail\.phone: / });
  return list;
});

let system: LocalSystem;
/** Messages the intake function took off each queue (by logical id): one take per message means no batch was ever given back. */
const taken = new Map<string, number>();
beforeAll(async () => {
  // A quota that lets the good payments between the bad events go out quickly.
  system = await startLocalSystem({
    recurringSchedules: false,
    context: { 'bhxh:smsPartsPerSecond': 1000 },
    instrumentation: {
      onQueueRequest: (queue, action, messages) => {
        if (action === 'ReceiveMessage') taken.set(queue, (taken.get(queue) ?? 0) + messages);
      },
    },
  });
});
afterAll(async () => system?.stop());

describe('malformed events of every kind', () => {
  it(`quarantines all ${cases.length} of them with the field named, in one go, and keeps processing the good ones`, async () => {
    // Prepare: every bad event, with good payments in between, in the intake queue at once (batches of 10)
    const intake = system.queueByLogicalPrefix('EventIntakeIntakeQueue');
    const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
    const before = quarantine.messages.length;
    const takenBefore = taken.get(intake.logicalId) ?? 0;
    const sent = new Map<string, ReturnType<typeof envelope>>();
    cases.forEach((c, i) => {
      const event = envelope(c.detailType, c.detail, { id: `bad-${i}` });
      sent.set(event.id, event);
      intake.send(JSON.stringify(event));
      intake.send(JSON.stringify(envelope('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: `GOOD-${i}`, phone: '0912345678' }, { id: `good-${i}` })));
    });

    // Act
    await system.drain();

    // Assess
    const kept = quarantine.messages.slice(before);
    expect(kept).toHaveLength(cases.length);
    // Each bad event once, as the producer sent it (a password or code excepted), so that a redrive replays it; with the reason and the field named
    const ids = kept.map((m) => JSON.parse(m.body).id as string);
    expect(ids.sort()).toEqual([...sent.keys()].sort());
    for (const message of kept) {
      const id = JSON.parse(message.body).id as string;
      const c = cases[Number(id.replace('bad-', ''))]!;
      const original = sent.get(id)!;
      const secrets = (SECRET_FIELDS[c.detailType] ?? []).filter((field) => field in c.detail);
      const expected = { ...original, detail: { ...c.detail, ...Object.fromEntries(secrets.map((field) => [field, '[redacted]'])) } };
      expect(JSON.parse(message.body), `${c.detailType}: ${c.name}`).toEqual(expected);
      expect(message.messageAttributes.reason?.StringValue, `${c.detailType}: ${c.name}`).toBe('invalid-detail');
      const errors = JSON.parse(message.messageAttributes.errors!.StringValue!) as string[];
      expect(
        errors.some((e) => c.expect.test(e)),
        `${c.detailType}: ${c.name} → ${errors.join('; ')}`,
      ).toBe(true);
    }
    // No redelivery happened: the intake took each message off its queue exactly once, so no bad record ever failed its batch
    expect((taken.get(intake.logicalId) ?? 0) - takenBefore).toBe(2 * cases.length);
    expect(system.outbox.filter((l) => l.key.includes('#GOOD-'))).toHaveLength(cases.length);
  });

  it('treats an injection attempt in a name as text: accepted, sent literally, nothing interpreted', async () => {
    system.outbox.length = 0;
    // A literal `${…}`: template injection must be sent as typed, not evaluated.
    const name = "Robert'); DROP TABLE units;-- <script>alert(1)</script> $" + '{process.env}';
    await system.putEvents([
      {
        Source: 'vn.gov.bhxh.tst',
        DetailType: 'UnitPaymentReceived',
        EventBusName: 'bhxh-notify',
        Detail: JSON.stringify({ ...sampleDetails.UnitPaymentReceived, paymentId: 'INJ-1', unitName: name, phone: '0912345678' }),
      },
    ]);
    await system.drain();
    expect(system.outbox.map((l) => l.text)).toEqual([expect.stringContaining(`${name} (QW18013) da nop`)]);
  });
});
