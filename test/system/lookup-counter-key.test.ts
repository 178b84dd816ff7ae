/**
 * The 8079 look-up counters are named by an HMAC of the phone number under
 * the stack's generated secret (Secrets Manager, read by the intake with its
 * own grant): no SHA-256 of the number that anyone could recompute, and
 * another deployment (here: another local system) names the same number
 * differently. The hourly limit itself is tested in lookups.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entry } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const FROM = '0905111222';
const E164 = '+84905111222';

/** One look-up from FROM in a fresh system: the counter items of its control table, and what the run refused. */
async function counterKeysOfOneLookUp(): Promise<{ keys: string[]; denied: number; answers: number }> {
  const system = await startLocalSystem({ recurringSchedules: false });
  try {
    await system.putEvents([
      entry('InboundSmsReceived', { messageId: 'gw-key-1', from: FROM, to: '8079', body: 'BH HS 04486.G/2019/08708', receivedAt: '2018-12-03T09:00:00+07:00' }),
    ]);
    await system.drain();
    const items = await system.scan<{ pk: string; count?: number }>('SenderSendControlTable');
    return { keys: items.filter((i) => i.pk.startsWith('lookup-rate#')).map((i) => i.pk), denied: system.accessDenied.length, answers: system.outbox.length };
  } finally {
    await system.stop();
  }
}

describe('look-up counter keys', () => {
  it('are not the SHA-256 of the number, and differ between two systems (each its own secret)', async () => {
    const first = await counterKeysOfOneLookUp();
    const second = await counterKeysOfOneLookUp();

    expect(first).toMatchObject({ denied: 0, answers: 1 });
    expect(first.keys).toHaveLength(1);
    expect(second.keys).toHaveLength(1);
    const name = (key: string) => key.split('#')[1]!;
    for (const key of [...first.keys, ...second.keys]) {
      for (const form of [E164, FROM, E164.slice(1)]) {
        const sha256 = createHash('sha256').update(form).digest('hex');
        expect(sha256).not.toContain(name(key).slice(0, 12));
        expect(key).not.toContain(form.slice(-9));
      }
    }
    expect(name(first.keys[0]!)).not.toBe(name(second.keys[0]!));
  });
});
