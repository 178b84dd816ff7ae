/**
 * SQS, in process. LocalQueue is one queue, configured from the template:
 * visibility timeouts, receive counts and redrive to dead-letter queues behave
 * as in SQS, so partial batch failures, retries and poison messages follow the
 * deployed configuration. Waits are compressed by `timeScale` so that a local
 * run does not sit out a 3-minute visibility timeout.
 *
 * QueueEmulator holds the stack's queues and serves the requests made to them
 * by URL or ARN (the handlers' SDK calls, rule and schedule targets), reporting
 * each to the instrumentation.
 */
import { randomUUID } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { Resolver } from '../template.ts';
import type { Instrumentation, QueueAction } from './instrumentation.ts';
import { checkMessageSize } from '../quotas.ts';

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
    // SQS refuses a message over its size quota (local/quotas.ts).
    checkMessageSize(body, messageAttributes as Record<string, { DataType?: string; StringValue?: string }>);
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

export class QueueEmulator {
  constructor(
    /** By logical id. */
    readonly queues: Map<string, LocalQueue>,
    private readonly resolver: Resolver,
    private readonly instrumentation: Instrumentation,
  ) {}

  get(urlOrArn: string): LocalQueue {
    const queue = this.queues.get(this.resolver.logicalIdOf(urlOrArn));
    if (!queue) throw new Error(`No local queue ${urlOrArn}`);
    return queue;
  }

  byLogicalPrefix(prefix: string): LocalQueue {
    const found = [...this.queues.values()].filter((q) => q.logicalId.startsWith(prefix));
    const [queue, ...others] = found;
    if (!queue || others.length > 0) throw new Error(`Expected one queue whose logical id starts with ${prefix}, found ${found.map((q) => q.logicalId).join(', ') || 'none'}`);
    return queue;
  }

  /** Reports a request to the instrumentation (the event source mappings report their polls through this too). */
  report(queue: LocalQueue, action: QueueAction, messages = 1): void {
    this.instrumentation.onQueueRequest?.(queue.logicalId, action, messages);
  }

  send(urlOrArn: string, body: string, messageAttributes?: Record<string, MessageAttributeValue>, delaySeconds?: number): string {
    const queue = this.get(urlOrArn);
    this.report(queue, 'SendMessage');
    return queue.send(body, messageAttributes, delaySeconds);
  }

  sendBatch(urlOrArn: string, entries: Array<{ body: string; messageAttributes?: Record<string, MessageAttributeValue>; delaySeconds?: number }>): string[] {
    const queue = this.get(urlOrArn);
    this.report(queue, 'SendMessageBatch', entries.length);
    return entries.map((e) => queue.send(e.body, e.messageAttributes, e.delaySeconds));
  }

  receive(urlOrArn: string, max: number, visibilityTimeoutSeconds?: number): LocalMessage[] {
    const queue = this.get(urlOrArn);
    const batch = queue.receive(max, visibilityTimeoutSeconds);
    if (batch.length > 0) this.report(queue, 'ReceiveMessage', batch.length);
    return batch;
  }

  delete(urlOrArn: string, receiptHandle: string): void {
    const queue = this.get(urlOrArn);
    this.report(queue, 'DeleteMessage');
    queue.delete(receiptHandle);
  }

  changeVisibility(urlOrArn: string, receiptHandle: string, seconds: number): void {
    const queue = this.get(urlOrArn);
    this.report(queue, 'ChangeMessageVisibility');
    queue.changeVisibility(receiptHandle, seconds);
  }

  approximateNumberOfMessages(urlOrArn: string): number {
    const queue = this.get(urlOrArn);
    this.report(queue, 'GetQueueAttributes', 0);
    return queue.messages.length;
  }
}
