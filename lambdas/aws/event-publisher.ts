/** This system's own events on the bus (source vn.gov.bhxh.notify). */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { NOTIFY_SOURCE } from '../domain/catalogue.ts';
import type { EventPublisher } from '../flows/ports.ts';
import { eventBridge } from './clients.ts';

export class BusEventPublisher implements EventPublisher {
  constructor(private readonly busName: string) {}

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    await eventBridge().send(new PutEventsCommand({ Entries: [{ EventBusName: this.busName, Source: NOTIFY_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }] }));
  }
}
