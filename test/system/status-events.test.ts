/**
 * NotificationStatusChanged end to end (SPEC "The system publishes"): the
 * ledger's stream in DynamoDB Local, the template's event source mapping
 * (filter, batch size), the status-events function with its own role, the bus
 * and its policy. A message that reaches a final status is published once,
 * with its key, kind, channel, status, parts and price; nothing about the
 * person who received it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem, PublishedLine } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const PHONE = '0912345678';
const PAYMENT_KEY = `unit-payment-received#${SEED.unitCode}#${sampleDetails.UnitPaymentReceived.paymentId}`;

let system: LocalSystem;
const published: PublishedLine[] = [];

beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false, onPublished: (line) => published.push(line) });
});
afterAll(async () => system?.stop());
beforeEach(() => {
  published.length = 0;
});

async function publish(...entries: Parameters<LocalSystem['putEvents']>[0]) {
  for (const e of entries) {
    await system.putEvents([e]);
    await system.drain();
  }
}

const statusEvents = () => published.filter((line) => line.DetailType === 'NotificationStatusChanged');
const ledgerItem = async (key: string) => (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === key);

describe('NotificationStatusChanged', () => {
  it('is published once when an SMS is delivered, with its parts and price, and never again for a duplicate', async () => {
    // Prepare: the unit's representative has a phone
    await publish(entry('ContactUpdated', { ...sampleDetails.ContactUpdated, phone: PHONE }, '2018-12-03T08:00:00+07:00'));

    // Act: the payment, then the same payment again (a duplicate counted on the delivered item)
    const payment = entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived, '2018-12-03T09:00:00+07:00');
    await publish(payment);
    const afterFirst = statusEvents().length;
    await publish(payment);

    // Assess
    const item = await ledgerItem(PAYMENT_KEY);
    expect(item).toMatchObject({ status: 'delivered', duplicates: 1 });
    expect(afterFirst).toBe(1);
    expect(statusEvents()).toEqual([
      {
        Source: 'vn.gov.bhxh.notify',
        DetailType: 'NotificationStatusChanged',
        Detail: { key: PAYMENT_KEY, kind: 'unit-payment-received', channel: 'sms', status: 'delivered', parts: item?.segments, priceUsd: item?.priceInUSD, at: item?.updatedAt },
        Time: expect.any(String),
      },
    ]);
    expect(item?.segments).toBeGreaterThan(0);
    expect(item?.priceInUSD).toEqual(expect.any(Number));
  });

  it('is published as skipped, reason no-phone, for a message with no number to send to', async () => {
    // Prepare: a person with no contact at all
    const stopped = { ...sampleDetails.EmployeeContributionStopped, personId: '0199999999', unitCode: 'NOPHONE1' };

    // Act
    await atTime(system, '2018-12-03T10:00:00+07:00', entry('EmployeeContributionStopped', stopped, '2018-12-03T10:00:00+07:00'));

    // Assess
    const key = `contribution-stopped#0199999999#NOPHONE1#${String(sampleDetails.EmployeeContributionStopped.fromMonth)}`;
    expect(await ledgerItem(key)).toMatchObject({ status: 'skipped', reason: 'no-phone' });
    expect(statusEvents().map((line) => line.Detail)).toEqual([
      { key, kind: 'contribution-stopped', channel: 'sms', status: 'skipped', reason: 'no-phone', at: expect.stringMatching(/^2018-12-03T/) },
    ]);
  });

  it('carries no phone number, name or text of the messages it reports', async () => {
    // Prepare: a person with a phone, whose message names her
    const contact = { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0987654321' };
    await atTime(system, '2018-12-03T11:00:00+07:00', entry('ContactUpdated', contact, '2018-12-03T11:00:00+07:00'));

    // Act
    await atTime(system, '2018-12-03T11:05:00+07:00', entry('EmployeeContributionStopped', sampleDetails.EmployeeContributionStopped, '2018-12-03T11:05:00+07:00'));

    // Assess: the message went out, and its status line says nothing of whom or what
    const sms = system.outbox.find((line) => line.to === '+84987654321');
    expect(sms?.text).toContain('Dang Thi Thu Hoai');
    const lines = statusEvents().map((line) => JSON.stringify(line));
    expect(lines).toHaveLength(1);
    for (const line of lines) {
      for (const personal of ['0987654321', '987654321', 'Dang Thi Thu Hoai', SEED.fullName, sms?.text ?? 'the text', SEED.stoppedUnitName]) expect(line).not.toContain(personal);
    }
    expect(system.accessDenied).toEqual([]);
  });
});
