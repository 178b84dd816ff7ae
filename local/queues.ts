/**
 * In-process stand-in for SQS, configured from the template's queues:
 * visibility timeouts, receive counts and redrive to dead-letter queues behave
 * as in SQS, so partial batch failures, retries and poison messages follow the
 * deployed configuration. Waits are compressed by `timeScale` so that a local
 * run does not sit out a 3-minute visibility timeout.
 */
import { randomUUID } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

export interface LocalMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  receiveCount: number;
  sentAt: number;
  visibleAt: number;
}

export class LocalQueue {
  readonly messages: LocalMessage[] = [];
  deadLetter?: { queue: LocalQueue; maxReceiveCount: number };

  constructor(
    readonly logicalId: string,
    readonly url: string,
    readonly arn: string,
    readonly visibilityTimeoutSeconds: number,
    private readonly timeScale: number,
  ) {}

  send(body: string, messageAttributes: Record<string, MessageAttributeValue> = {}, delaySeconds = 0): string {
    const messageId = randomUUID();
    const now = Date.now();
    this.messages.push({ messageId, receiptHandle: '', body, messageAttributes, receiveCount: 0, sentAt: now, visibleAt: now + this.scaled(delaySeconds) });
    return messageId;
  }

  /** Receives up to `max` visible messages; a message received more than maxReceiveCount times moves to the DLQ instead. */
  receive(max: number, visibilityTimeoutSeconds = this.visibilityTimeoutSeconds): LocalMessage[] {
    const now = Date.now();
    const batch: LocalMessage[] = [];
    for (const message of [...this.messages]) {
      if (batch.length >= max) break;
      if (message.visibleAt > now) continue;
      if (this.deadLetter && message.receiveCount >= this.deadLetter.maxReceiveCount) {
        this.remove(message);
        this.deadLetter.queue.messages.push({ ...message, receiveCount: 0, visibleAt: now });
        continue;
      }
      message.receiveCount += 1;
      message.receiptHandle = randomUUID();
      message.visibleAt = now + this.scaled(visibilityTimeoutSeconds);
      batch.push(message);
    }
    return batch;
  }

  delete(receiptHandle: string): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (message) this.remove(message);
  }

  changeVisibility(receiptHandle: string, seconds: number): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) throw new Error(`ReceiptHandleIsInvalid: ${receiptHandle}`);
    message.visibleAt = Date.now() + this.scaled(seconds);
  }

  /** Milliseconds until the next message becomes visible, or undefined if the queue is empty. */
  nextVisibleIn(): number | undefined {
    if (this.messages.length === 0) return undefined;
    return Math.max(0, Math.min(...this.messages.map((m) => m.visibleAt)) - Date.now());
  }

  private remove(message: LocalMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }

  private scaled(seconds: number): number {
    return Math.round(seconds * 1000 * this.timeScale);
  }
}
