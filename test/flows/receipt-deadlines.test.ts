/**
 * The 72-hour rule end to end: the stack's six-hourly schedule runs the check
 * through the intake, on a local system whose outbox gives no receipts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem, TEST_START } from '../support/local-system.ts';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ receipts: false });
});
afterAll(async () => system?.stop());

describe('no receipt within 72 hours', () => {
  it('runs from the stack schedule every six hours', async () => {
    // Prepare: a sent message that never gets a receipt
    await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-NORECEIPT', phone: '0912345678' })]);
    await system.drain();
    const key = `unit-payment-received#${sampleDetails.UnitPaymentReceived.unitCode}#PT-NORECEIPT`;
    const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } });
    expect((await ledger.get(key))?.status).toBe('sent');

    // Act: 66 hours pass (runs at 00:15, 06:15, 12:15, 18:15 on the way), then 84
    await system.advanceClock(new Date(TEST_START.getTime() + 66 * 3600_000));
    const before = (await ledger.get(key))?.status;
    await system.advanceClock(new Date(TEST_START.getTime() + 84 * 3600_000));

    // Assess
    expect(before).toBe('sent');
    expect(await ledger.get(key)).toMatchObject({ status: 'temporary-failure', reason: 'no delivery receipt within 72 hours' });
  });
});
