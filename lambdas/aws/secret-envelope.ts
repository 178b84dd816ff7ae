/**
 * A password or one-time code sealed with KMS for its trip on the send queue.
 *
 * Why not keep it off the queue instead: a message can leave the sender's
 * hands at any time (a timeout, a crash, a DynamoDB outage, ten throttled
 * tries) and SQS then keeps its body for days in the send dead-letter queue,
 * where operators list and redrive it. No code path can promise that a body
 * never gets there; a body whose secret only the sender can open is safe
 * wherever it goes. The secret key's policy (lib/kms.ts) lets the intake only
 * encrypt and the sender only decrypt, so the dead-letter queue, an operator's
 * terminal or a copied message hold ciphertext nobody else can read, and a
 * redriven message is still sendable.
 *
 * The encryption context binds each ciphertext to its message (a hash of the
 * ledger key: CloudTrail logs the context, and keys name people): KMS refuses
 * to open it for any other message.
 */
import { createHash } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';

/** Names what a ciphertext is for (CloudTrail shows it with each call). */
const SECRET_ENVELOPE_PURPOSE = 'bhxh-notify/send-queue-secret';

let client: KMSClient | undefined;
const kms = () => (client ??= new KMSClient({}));

function contextOf(messageKey: string): Record<string, string> {
  return { purpose: SECRET_ENVELOPE_PURPOSE, message: createHash('sha256').update(messageKey).digest('base64url') };
}

export class KmsSecretEnvelope {
  constructor(private readonly keyArn: string) {}

  /** The secret of the message `messageKey`, encrypted: base64 text for a JSON body. */
  async seal(messageKey: string, secret: string): Promise<string> {
    const { CiphertextBlob } = await kms().send(new EncryptCommand({ KeyId: this.keyArn, Plaintext: Buffer.from(secret, 'utf8'), EncryptionContext: contextOf(messageKey) }));
    if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return Buffer.from(CiphertextBlob).toString('base64');
  }

  /** The secret back; KMS refuses a ciphertext sealed for another message or with another key. */
  async open(messageKey: string, ciphertext: string): Promise<string> {
    const { Plaintext } = await kms().send(new DecryptCommand({ KeyId: this.keyArn, CiphertextBlob: Buffer.from(ciphertext, 'base64'), EncryptionContext: contextOf(messageKey) }));
    if (!Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  }
}
