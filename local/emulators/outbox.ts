/**
 * The outbox: SNS's place in a local run. Every SMS the sender hands over is
 * kept as an outbox line; and, as SNS logs a delivery status for each SMS to
 * the log group the stack subscribes its receipts function to, the outbox
 * writes a `delivered` receipt to a log that the local system hands to that
 * function (as a CloudWatch Logs subscription would) once everything else is
 * quiet.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SmsGateway, SmsToSend } from '../function-code.ts';
import { vietnamIso, type LocalClock } from './clock.ts';

export interface OutboxLine {
  to: string;
  text: string;
  kind: string;
  segments: number;
  key: string;
  at: string;
}

export interface OutboxOptions {
  /** Called for every SMS handed to the outbox. */
  onSms?: (line: OutboxLine) => void;
  /** Answer each SMS with a `delivered` receipt (default true). */
  receipts?: boolean;
}

export class Outbox {
  readonly lines: OutboxLine[] = [];
  /** Delivery-status log lines the outbox has produced and the receipts function has not yet read. */
  private readonly receiptLog: string[] = [];

  constructor(
    private readonly clock: LocalClock,
    private readonly options: OutboxOptions,
  ) {}

  /** The gateway the sender is given: every SMS becomes an outbox line (and a receipt). */
  gateway(): SmsGateway {
    return {
      publish: async (sms: SmsToSend) => {
        const line: OutboxLine = { to: sms.to, text: sms.text, kind: sms.kind, segments: sms.segments, key: sms.key, at: vietnamIso(this.clock.now()) };
        this.lines.push(line);
        this.options.onSms?.(line);
        const messageId = `local-${randomUUID()}`;
        if (this.options.receipts !== false) {
          this.receiptLog.push(
            JSON.stringify({
              notification: { messageId, timestamp: this.clock.now().toISOString() },
              delivery: { destination: 'local', providerResponse: 'Message has been accepted by phone carrier (local outbox)', priceInUSD: 0 },
              status: 'SUCCESS',
            }),
          );
        }
        return { messageId };
      },
    };
  }

  get hasReceipts(): boolean {
    return this.receiptLog.length > 0;
  }

  /** Takes the receipts written so far, as the event a CloudWatch Logs subscription hands to a function. */
  takeReceipts(): { awslogs: { data: string } } {
    const lines = this.receiptLog.splice(0);
    const data = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: lines.map((message, i) => ({ id: String(i), timestamp: Date.now(), message })) })).toString(
      'base64',
    );
    return { awslogs: { data } };
  }
}
