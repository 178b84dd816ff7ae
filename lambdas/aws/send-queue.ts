/** The send queues on SQS: the urgent one (one-time codes) past any backlog. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { QueuedMessage, SendQueue } from '../flows/ports.ts';
import { sqs } from './clients.ts';

export class SqsSendQueue implements SendQueue {
  /** `urgentUrl` only for the function that queues urgent messages (the intake). */
  constructor(private readonly urls: { send: string; urgent?: string }) {}

  async enqueue(message: QueuedMessage): Promise<void> {
    const queueUrl = message.urgent ? this.urls.urgent : this.urls.send;
    if (!queueUrl) throw new Error(`urgent message ${message.key} queued by a function that has no urgent send queue`);
    await sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  }
}
