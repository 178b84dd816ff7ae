/**
 * The ledger's changes to the bus: one event per change into a final status,
 * in stream order; a failed publication stops the batch there, so that the
 * stream retries it and what follows, never a later status before it.
 */
import { describe, expect, it } from 'vitest';
import type { EventPublisher } from '../../lambdas/flows/ports.ts';
import { publishStatusChanges, type LedgerChange } from '../../lambdas/flows/status-events/publish-changes.ts';

const image = (key: string, status: string) => ({ key, kind: 'otp', status, updatedAt: '2018-12-03T02:00:00.000Z' });
const changes: LedgerChange[] = [
  { id: '1', newImage: image('a', 'delivered'), oldImage: image('a', 'sent') },
  { id: '2', newImage: image('b', 'delivered'), oldImage: image('b', 'delivered') },
  { id: '3', newImage: image('c', 'expired') },
  { id: '4', newImage: image('d', 'skipped') },
];

function recorder(failOn?: string): EventPublisher & { sent: Array<[string, Record<string, unknown>]> } {
  const sent: Array<[string, Record<string, unknown>]> = [];
  return {
    sent,
    async publish(detailType, detail) {
      if (detail.key === failOn) throw new Error('PutEvents refused NotificationStatusChanged: ThrottlingException');
      sent.push([detailType, detail]);
    },
  };
}

describe('publishStatusChanges', () => {
  it('publishes each new final status in order and ignores a rewrite of the same one', async () => {
    const events = recorder();
    const outcome = await publishStatusChanges(changes, events);
    expect(outcome).toEqual({ published: 3, ignored: 1 });
    expect(events.sent.map(([type, d]) => [type, d.key, d.status])).toEqual([
      ['NotificationStatusChanged', 'a', 'delivered'],
      ['NotificationStatusChanged', 'c', 'expired'],
      ['NotificationStatusChanged', 'd', 'skipped'],
    ]);
  });

  it('stops at the first change it cannot publish and names it, publishing nothing after it', async () => {
    const events = recorder('c');
    const outcome = await publishStatusChanges(changes, events);
    expect(outcome).toMatchObject({ published: 1, ignored: 1, failedId: '3' });
    expect(events.sent.map(([, d]) => d.key)).toEqual(['a']);
  });
});
