/**
 * Only the right producers (SPEC rule 11, "Local run contract"): a replay line
 * may name its Producer, and a publication the bus policy does not allow is
 * refused as AWS would refuse it, whatever the event says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ context: { 'bhxh:producers': { 'vn.gov.bhxh.tnhs': ['arn:aws:iam::999999999999:role/tnhs-publisher'] } } });
});
afterAll(async () => system?.stop());

const payment = entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'FORGED-1', phone: '0912345678' });

describe('publishing on the bus', () => {
  it.each([
    ['a role of this account that is no producer', 'arn:aws:iam::000000000000:role/attacker', payment],
    ["TST's producer publishing DVC's source", 'arn:aws:iam::000000000000:role/bhxh-producer-tst', { ...payment, Source: 'vn.gov.bhxh.dvc' }],
    ["a producer publishing the system's own source", 'arn:aws:iam::000000000000:role/bhxh-producer-tst', { ...payment, Source: 'vn.gov.bhxh.notify' }],
    ['another account publishing a source it is not registered for', 'arn:aws:iam::999999999999:role/tnhs-publisher', payment],
  ])('refuses %s, and nothing is sent', async (_, producer, forged) => {
    // Prepare
    const before = system.outbox.length;

    // Act
    const result = await system.putEvents([forged], { producer });
    await system.drain();

    // Assess
    expect(result.failed).toBe(1);
    expect(result.errors[0]).toMatch(/^AccessDeniedException: .* may not publish/);
    expect(system.accessDenied).toContainEqual(expect.objectContaining({ caller: `producer ${producer}`, action: 'events:PutEvents' }));
    expect(system.outbox.length).toBe(before);
  });

  it("lets TST's producer publish TST's events, and the registered producer of another account its own", async () => {
    // Act
    const tst = await system.putEvents([entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'REAL-1', phone: '0912345678' })], {
      producer: 'arn:aws:iam::000000000000:role/bhxh-producer-tst',
    });
    const tnhs = await system.putEvents([entry('DossierResolved', sampleDetails.DossierResolved)], { producer: 'arn:aws:iam::999999999999:role/tnhs-publisher' });
    await system.drain();

    // Assess
    expect([tst.failed, tnhs.failed]).toEqual([0, 0]);
    expect(system.outbox.map((l) => l.key)).toContain('unit-payment-received#QW18013#REAL-1');
  });
});
