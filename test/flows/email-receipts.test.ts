/**
 * SES's events applied to the ledger on DynamoDB Local, one after the other
 * in a known order (the local run's batches may apply them in any order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEmailEvents, type EmailReceiptDeps } from '../../lambdas/flows/receipts/apply-email-receipt.ts';
import { DynamoEmailSuppressions } from '../../lambdas/stores/email-suppressions.ts';
import { DynamoLedgerStore } from '../../lambdas/stores/ledger-store.ts';
import { DynamoParkedReceiptStore } from '../../lambdas/stores/parked-receipt-store.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
let deps: EmailReceiptDeps;
beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  const ledger = new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 30, textDays: 30 } });
  deps = {
    ledger,
    parkedReceipts: new DynamoParkedReceiptStore(system.db, system.tableName('SenderSendControl')),
    suppressions: new DynamoEmailSuppressions(system.db, system.tableName('Contacts')),
    now: () => new Date(),
  };
});
afterAll(async () => system?.stop());

let n = 0;
async function sentEmail(address: string): Promise<{ key: string; messageId: string }> {
  n += 1;
  const key = `account-approved#REG-${n}#email`;
  const messageId = `ses-${n}`;
  await deps.ledger.record(
    {
      key,
      kind: 'account-approved',
      channel: 'email',
      subject: 'person#0113096123',
      status: 'queued',
      recipient: address,
      text: 'Kính gửi',
      emailSubject: 'Tài khoản',
      eventId: 'e',
    },
    new Date(),
  );
  const item = await deps.ledger.claim(key, 'token', new Date(), 120);
  await deps.ledger.settle(key, item!.claimToken!, new Date(), { status: 'sent', providerMessageId: messageId });
  return { key, messageId };
}
const event = (messageId: string, fields: Record<string, unknown>) => JSON.stringify({ messageId, time: new Date().toISOString(), ...fields });

describe('SES events on the ledger', () => {
  it('a complaint after the delivery makes the e-mail a permanent failure and suppresses its address', async () => {
    // Prepare
    const { key, messageId } = await sentEmail('hoai@example.vn');

    // Act
    await applyEmailEvents([event(messageId, { eventType: 'Delivery' })], deps);
    const { counts } = await applyEmailEvents([event(messageId, { eventType: 'Complaint', complaintFeedbackType: 'abuse' })], deps);

    // Assess
    expect(counts).toMatchObject({ applied: 1, suppressed: 1 });
    expect(await deps.ledger.get(key)).toMatchObject({ status: 'permanent-failure', providerResponse: 'complaint abuse (SES)' });
    expect(await deps.suppressions.isSuppressed('hoai@example.vn')).toBe(true);
  });

  it('a delivery after a soft bounce is applied, and never suppresses', async () => {
    // Prepare
    const { key, messageId } = await sentEmail('mailbox.full@example.vn');

    // Act
    await applyEmailEvents([event(messageId, { eventType: 'Bounce', bounceType: 'Transient', bounceSubType: 'MailboxFull' })], deps);
    await applyEmailEvents([event(messageId, { eventType: 'Delivery' })], deps);

    // Assess
    expect((await deps.ledger.get(key))?.status).toBe('delivered');
    expect(await deps.suppressions.isSuppressed('mailbox.full@example.vn')).toBe(false);
  });

  it('a delivery never turns a hard bounce back', async () => {
    // Prepare
    const { key, messageId } = await sentEmail('gone@example.vn');

    // Act
    await applyEmailEvents([event(messageId, { eventType: 'Bounce', bounceType: 'Permanent', bounceSubType: 'NoEmail' })], deps);
    const { counts } = await applyEmailEvents([event(messageId, { eventType: 'Delivery' })], deps);

    // Assess
    expect(counts.unchanged).toBe(1);
    expect((await deps.ledger.get(key))?.status).toBe('permanent-failure');
    expect(await deps.suppressions.isSuppressed('gone@example.vn')).toBe(true);
  });
});
