/**
 * The ledger's changes, in the order the stream holds them, turned into
 * NotificationStatusChanged events on the bus. A change that fails to publish
 * stops the batch there: the records before it are done, and it and the ones
 * after it are handed back (the stream mapping retries from it), so that a
 * producer never sees a message's later status before an earlier one.
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import { type LedgerChange, statusChangeOf } from '../../domain/status-events.ts';
import type { EventPublisher } from '../ports.ts';

export type { LedgerChange } from '../../domain/status-events.ts';

export interface PublishOutcome {
  published: number;
  /** Changes that are no new final status (a duplicate counted on a delivered message…). */
  ignored: number;
  /** The first change not published, when one failed: it and every later one are to be retried. */
  failedId?: string;
  /** Why it failed: the publisher's error (EventBridge's code and message, never the detail). */
  error?: unknown;
}

export async function publishStatusChanges(changes: readonly LedgerChange[], events: EventPublisher): Promise<PublishOutcome> {
  let published = 0;
  let ignored = 0;
  for (const change of changes) {
    const detail = statusChangeOf(change.newImage, change.oldImage);
    if (!detail) {
      ignored++;
      continue;
    }
    try {
      await events.publish(NotifyDetailType.NotificationStatusChanged, detail);
    } catch (error) {
      return { published, ignored, failedId: change.id, error };
    }
    published++;
  }
  return { published, ignored };
}
