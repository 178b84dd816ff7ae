/**
 * What the system publishes (SPEC "Local run contract", `--published FILE`):
 * every entry that one of the system's own functions put on the bus with
 * PutEvents and the bus accepted, as a line in the shape of a replay's event
 * line. The events a replay or a test publishes as a producer are not the
 * system's and are not kept here (the bus's `events` has every event).
 */
import { vietnamIso } from './clock.ts';

export interface PublishedLine {
  Source: string;
  DetailType: string;
  Detail: Record<string, unknown>;
  /** The event's time on the local clock, in Vietnam time, like the outbox's `at`. */
  Time: string;
}

export class PublishedLog {
  readonly lines: PublishedLine[] = [];

  /** `onPublished` is called for each line as the bus accepts its event, so a file written from it is complete even if the run stops. */
  constructor(private readonly onPublished?: (line: PublishedLine) => void) {}

  /** Records an event the bus accepted from one of the system's functions. */
  /** An event as the bus delivers it (bus.ts LocalBusEvent; its fields here, so that the bus may import this log). */
  record(event: { source: string; 'detail-type': string; detail: Record<string, unknown>; time: string }): void {
    const line: PublishedLine = { Source: event.source, DetailType: event['detail-type'], Detail: event.detail, Time: vietnamIso(new Date(event.time)) };
    this.lines.push(line);
    this.onPublished?.(line);
  }
}
