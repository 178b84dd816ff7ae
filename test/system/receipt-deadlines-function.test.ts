/**
 * The 72-hour check runs in its own function, which EventBridge Scheduler
 * invokes every six hours with a role of its own: never inside the intake
 * (whose 30-second timeout cannot hold 50,000 updates), and only if that role
 * may invoke the function, as in AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem, TEST_START } from '../support/local-system.ts';
import { freshTemplate, withoutGrant } from '../support/template-variants.ts';

const hours = (n: number) => new Date(TEST_START.getTime() + n * 3600_000);
const keyOf = (paymentId: string) => `unit-payment-received#${sampleDetails.UnitPaymentReceived.unitCode}#${paymentId}`;

async function sentWithoutReceipt(system: LocalSystem, paymentId: string): Promise<DynamoLedgerStore> {
  await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId, phone: '0912345678' })]);
  await system.drain();
  return new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
}

describe('the six-hourly receipt deadline check', () => {
  const invoked: string[] = [];
  let system: LocalSystem;
  beforeAll(async () => {
    system = await startLocalSystem({ receipts: false, onInvoke: (fn) => invoked.push(fn) });
  });
  afterAll(async () => system?.stop());

  it('runs in the receipt-deadlines function, not in the intake', async () => {
    // Prepare
    const ledger = await sentWithoutReceipt(system, 'PT-DEADLINE-FN');
    invoked.length = 0;

    // Act: 84 hours pass, the check's schedule fires 14 times on the way (other schedules start the intake at 07:00, 08:00…)
    await system.advanceClock(hours(84));

    // Assess
    expect(await ledger.get(keyOf('PT-DEADLINE-FN'))).toMatchObject({ status: 'temporary-failure', reason: 'no delivery receipt within 72 hours' });
    // The check ran in its own function; the intake, which may no longer read the index (test/lib/receipts-stack.test.ts), was refused nothing.
    expect(invoked.filter((fn) => fn === 'lambdas/functions/receipt-deadlines/handler.ts')).toHaveLength(14);
    expect(system.accessDenied).toEqual([]);
  });
});

describe('a schedule whose role may not invoke the function', () => {
  let system: LocalSystem;
  beforeAll(async () => {
    const template = withoutGrant(freshTemplate(), 'DeliveryReceiptsDeadlinesSchedulerRole', 'lambda:InvokeFunction');
    system = await startLocalSystem({ receipts: false, template });
  });
  afterAll(async () => system?.stop());

  it('never runs the check, and the refusal is reported', async () => {
    // Prepare
    const ledger = await sentWithoutReceipt(system, 'PT-DEADLINE-DENIED');

    // Act
    await system.advanceClock(hours(84));

    // Assess
    expect((await ledger.get(keyOf('PT-DEADLINE-DENIED')))?.status).toBe('sent');
    expect(system.accessDenied).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'lambda:InvokeFunction' })]));
  });
});
