/**
 * Keys of the messages that carry a secret (SPEC rule 4): a one-time code and
 * a temporary password are keyed by their issue, named by an HMAC of the
 * secret (the events carry no issue id; a plain hash of a 6-digit code could be
 * reversed by hashing all of them), never by the event's time. A re-issued
 * code with the same expiry is a new message; a republished password is not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678', gender: 'female' })]);
  await system.drain();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

async function publish(...entries: PutEventsRequestEntry[]): Promise<void> {
  for (const e of entries) {
    await system.putEvents([e]);
    await system.drain();
  }
}
const keysOf = async (kind: string) => (await system.scan<LedgerItem>('Ledger')).filter((m) => m.kind === kind).map((m) => m.key);

describe('a one-time code', () => {
  it('re-issued with the same expiry is sent; the same code published again is not', async () => {
    // Prepare: the local clock is 2018-12-03 09:00 (+07:00); both codes expire at 09:10
    const expiresAt = '2018-12-03T09:10:00+07:00';
    const first = { ...sampleDetails.OtpIssued, code: '482913', expiresAt };

    // Act
    await publish(entry('OtpIssued', first), entry('OtpIssued', first), entry('OtpIssued', { ...first, code: '907355' }));

    // Assess
    expect(system.outbox.map((l) => l.text)).toEqual([expect.stringMatching(/^Ma OTP 482913 /), expect.stringMatching(/^Ma OTP 907355 /)]);
    const keys = await keysOf('otp');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^otp#${SEED.personId}#device-login#2018-12-03T02:10:00.000Z#[0-9a-f]{32}$`));
      expect(key).not.toContain('482913');
      expect(key).not.toContain('907355');
    }
  });
});

describe('a temporary password', () => {
  it('republished (another event, another time) is sent once; a new password is sent', async () => {
    // Prepare
    const issued = { ...sampleDetails.TemporaryPasswordIssued, temporaryPassword: 'Rp5#keys1' };

    // Act: the portal publishes the same password twice, a minute apart, then a new one
    await publish(
      entry('TemporaryPasswordIssued', issued, '2018-12-03T08:58:00+07:00'),
      entry('TemporaryPasswordIssued', issued, '2018-12-03T08:59:00+07:00'),
      entry('TemporaryPasswordIssued', { ...issued, temporaryPassword: 'Rp5#keys2' }, '2018-12-03T08:59:30+07:00'),
    );

    // Assess
    expect(system.outbox.map((l) => l.text)).toEqual([expect.stringContaining(' la Rp5#keys1.'), expect.stringContaining(' la Rp5#keys2.')]);
    const keys = await keysOf('temporary-password');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^temporary-password#${SEED.personId}#[0-9a-f]{32}$`));
      expect(key).not.toContain('Rp5#keys');
    }
    const absorbed = (await system.scan<LedgerItem>('Ledger')).filter((m) => m.kind === 'temporary-password').map((m) => m.duplicates ?? 0);
    expect(absorbed.sort()).toEqual([0, 1]);
  });
});
