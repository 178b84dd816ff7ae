/**
 * The send queues on SQS (the urgent one, for one-time codes, past any
 * backlog), and what travels on them: the ledger key, and a password or code
 * only sealed (`secretCiphertext`, see secret-envelope.ts), never in clear.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { QueuedMessage, SendQueue } from '../flows/ports.ts';
import { sqs } from './clients.ts';
import type { KmsSecretEnvelope } from './secret-envelope.ts';

/** A send-queue message body as it is on the wire. */
export interface SendQueueBody {
  key: string;
  kind?: string;
  segments?: number;
  urgent?: boolean;
  /** The password or code, encrypted with the secret key for this message's key. */
  secretCiphertext?: string;
  /** A secret in clear: only in messages queued before secrets were sealed, read for the transition, never written. */
  secret?: string;
}

export class SqsSendQueue implements SendQueue {
  /** `urgentUrl` only for the function that queues urgent messages (the intake); `envelope` only for the one that queues secrets (the intake). */
  constructor(
    private readonly urls: { send: string; urgent?: string },
    private readonly envelope?: KmsSecretEnvelope,
  ) {}

  async enqueue(message: QueuedMessage): Promise<void> {
    const queueUrl = message.urgent ? this.urls.urgent : this.urls.send;
    if (!queueUrl) throw new Error(`urgent message ${message.key} queued by a function that has no urgent send queue`);
    const { secret, ...rest } = message;
    let body: SendQueueBody = rest;
    if (secret !== undefined) {
      // Never in clear on a queue: without the key, the message is not queued at all.
      if (!this.envelope) throw new Error(`message ${message.key} carries a secret but this function has no key to seal it`);
      body = { ...rest, secretCiphertext: await this.envelope.seal(message.key, secret) };
    }
    await sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }));
  }
}

/** The key, kind and secret (opened with `envelope`) of a send-queue message. */
export async function readSendQueueBody(body: string, envelope: KmsSecretEnvelope): Promise<{ key: string; kind?: string; secret?: string }> {
  const { key, kind, secretCiphertext, secret } = JSON.parse(body) as SendQueueBody;
  if (secretCiphertext !== undefined) return { key, kind, secret: await envelope.open(key, secretCiphertext) };
  return { key, kind, ...(secret !== undefined ? { secret } : {}) };
}
