/** This system's own events on the bus (source vn.gov.bhxh.notify). */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { NOTIFY_SOURCE } from '../domain/catalogue.ts';
import type { EventPublisher } from '../flows/ports.ts';
import { eventBridge } from './clients.ts';

/** PutEvents accepted the request but not the entry (throttled, an internal failure): the event was not published. */
export class EventNotPublishedError extends Error {
  constructor(detailType: string, errorCode: string | undefined, errorMessage: string | undefined) {
    // The code and message are EventBridge's (never the detail): safe to log and to keep as a quarantine reason.
    super(`PutEvents refused ${detailType}: ${errorCode ?? 'unknown error'}${errorMessage ? ` (${errorMessage.slice(0, 200)})` : ''}`);
    this.name = 'EventNotPublishedError';
  }
}

export class BusEventPublisher implements EventPublisher {
  constructor(private readonly busName: string) {}

  /**
   * PutEvents answers 200 even when an entry failed, with FailedEntryCount and the entry's ErrorCode: that is a
   * failure, thrown, so that the caller's record or step is retried instead of the event being lost.
   */
  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    const result = await eventBridge().send(
      new PutEventsCommand({ Entries: [{ EventBusName: this.busName, Source: NOTIFY_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
    );
    const [entry] = result.Entries ?? [];
    if ((result.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode) {
      throw new EventNotPublishedError(detailType, entry?.ErrorCode, entry?.ErrorMessage);
    }
  }
}
