/**
 * The message ledger (SPEC rule 5): one item per message, keyed by the
 * business idempotency key (SPEC rule 4). Creating the item is the
 * idempotency check: a conditional put that fails means the fact was seen
 * before, whatever event id or publisher carried it.
 *
 * Life of an item: queued → sending (claimed by one sender for a short lease)
 * → sent | failed; or skipped from the start (no-phone, invalid-phone); or
 * paused while its kind is paused, and queued again on resume.
 *
 * Two retention periods: the message text and the phone number live in a
 * second item (`content#<key>`) whose TTL is short (30 days by default), the
 * status metadata in the main item (400 days). DynamoDB TTL deletes each one
 * at no cost; readers treat expired content as gone at once.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from './clock.ts';
import { vietnamDate } from './vietnam-time.ts';

/**
 * queued → sending → sent → delivered, or an end in permanent-failure (bad or
 * blocked number, opted out), temporary-failure (the carrier could not
 * deliver), technical-failure (our side; not billed), skipped or expired.
 */
export type MessageStatus = 'queued' | 'paused' | 'sending' | 'sent' | 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure' | 'skipped' | 'expired';

export const PROVIDER_MESSAGE_INDEX = 'byProviderMessageId';
/** Sparse: messages waiting while their kind is paused (pk pausedKind, sk createdAt). */
export const PAUSED_INDEX = 'byPausedKind';
/** Sparse: sent messages still waiting for a receipt (pk receiptDueDay, sk sentAt). */
export const RECEIPT_DUE_INDEX = 'byReceiptDueDay';
/** Messages by the masked number's last digits and the Vietnam day (pk recipientTail, sk createdAt). */
export const RECIPIENT_TAIL_INDEX = 'byRecipientTail';
/** A sent message with no receipt after this long is a temporary failure. */
export const RECEIPT_WAIT_HOURS = 72;

const CONTENT_PREFIX = 'content#';

/** The part of a message kept only for the short retention period. */
export interface MessageContent {
  text: string;
  /** E.164; absent when skipped for want of a usable number. */
  recipient?: string;
}

/** `678#2026-11-23`: the last three digits (as in the masked number) and the Vietnam day the message was recorded. */
export function recipientTail(e164OrSuffix: string, vietnamDay: string): string {
  return `${e164OrSuffix.slice(-3)}#${vietnamDay}`;
}

export interface LedgerItem {
  key: string;
  kind: string;
  subject: string;
  status: MessageStatus;
  reason?: string;
  recipientMasked?: string;
  recipientTail?: string;
  segments?: number;
  providerMessageId?: string;
  /** From the carrier's delivery receipt. */
  providerResponse?: string;
  priceInUSD?: number;
  deliveredAt?: string;
  /** The text holds SECRET_MASK; the secret itself travels only on the send queue. */
  hasSecret?: boolean;
  /** ISO time after which the message is no use (an OTP): recorded as expired instead of sent. */
  sendBy?: string;
  /** The event that first carried this fact, and how many later copies were absorbed. */
  eventId: string;
  /** One short line per change of status, oldest first: `<ISO time> <status>[: reason]`. */
  history?: string[];
  /** Set while paused: the index byPausedKind finds the message on resume. */
  pausedKind?: string;
  /** Set while sent without a receipt: the Vietnam day on which the 72-hour wait ends. */
  receiptDueDay?: string;
  /** Deliberate resends by an operator: the keys they were sent under, with reasons. */
  resends?: string[];
  /** A deliberate resend: the message it repeats, and the operator's reason. */
  resendOf?: string;
  resendReason?: string;
  duplicates?: number;
  attempts?: number;
  claimToken?: string;
  claimExpiresAt?: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** TTL (epoch seconds): DynamoDB deletes the item after the retention period. */
  expiresAt: number;
}

export type NewLedgerItem = Omit<LedgerItem, 'createdAt' | 'updatedAt' | 'expiresAt' | 'duplicates' | 'attempts' | 'history' | 'recipientTail'> & Partial<MessageContent>;

const line = (at: Date | string, what: string) => `${typeof at === 'string' ? at : at.toISOString()} ${what}`.slice(0, 200);

export type RecordOutcome = { created: true; item: LedgerItem } | { created: false; existing: LedgerItem };

export class Ledger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
    /** Days the text and phone number are kept (SPEC: purged well before the status metadata). */
    private readonly contentRetentionDays = 30,
  ) {}

  /** Records a new message, or returns the item already recorded under the same key (and counts the duplicate). */
  async record(message: NewLedgerItem, at: Date): Promise<RecordOutcome> {
    const { text, recipient, ...metadata } = message;
    // Content first: a crash after it leaves an orphan that TTL removes; a crash before the metadata means the fact is retried.
    if (text !== undefined) try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { key: CONTENT_PREFIX + message.key, text, ...(recipient ? { recipient } : {}), expiresAt: epochSeconds(at) + this.contentRetentionDays * 86_400 },
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': 'key' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const item: LedgerItem = {
      ...metadata,
      ...(recipient ? { recipientTail: recipientTail(recipient, vietnamDate(at)) } : {}),
      history: [line(at, message.status === 'skipped' ? `skipped: ${message.reason ?? ''}` : message.status)],
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      expiresAt: epochSeconds(at) + this.retentionDays * 86_400,
    };
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'key' } }),
      );
      return { created: true, item };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { key: message.key },
        UpdateExpression: 'ADD duplicates :one',
        ConditionExpression: 'attribute_exists(#key)',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { created: false, existing: existing.Attributes as LedgerItem };
  }

  async get(key: string): Promise<LedgerItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { key }, ConsistentRead: true }));
    return result.Item as LedgerItem | undefined;
  }

  /** The text and number of a message, or undefined once the retention period has passed (even before TTL deletes it). */
  async content(key: string, at: Date): Promise<MessageContent | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { key: CONTENT_PREFIX + key }, ConsistentRead: true }));
    const item = result.Item as (MessageContent & { expiresAt: number }) | undefined;
    if (!item || item.expiresAt <= epochSeconds(at)) return undefined;
    return { text: item.text, ...(item.recipient ? { recipient: item.recipient } : {}) };
  }

  /**
   * Takes the message for sending. Only one sender can hold it; a lease that
   * ran out (its sender crashed) can be taken over. Returns undefined when the
   * message is not (or no longer) waiting to be sent.
   */
  async claim(key: string, token: string, at: Date, leaseSeconds: number): Promise<LedgerItem | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #status = :sending, claimToken = :token, claimExpiresAt = :until, updatedAt = :now ADD attempts :one',
          ConditionExpression: '#status = :queued OR (#status = :sending AND claimExpiresAt < :nowEpoch)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':token': token,
            ':until': epochSeconds(at) + leaseSeconds,
            ':nowEpoch': epochSeconds(at),
            ':now': at.toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as LedgerItem;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Ends a claim: sent (with the provider's id) or failed (with the reason). Only the claim holder can do it. */
  async settle(
    key: string,
    token: string,
    at: Date,
    outcome: { status: 'sent'; providerMessageId: string } | { status: 'permanent-failure' | 'technical-failure' | 'expired'; reason: string },
  ): Promise<boolean> {
    const set = ['#status = :status', 'updatedAt = :now', 'history = list_append(if_not_exists(history, :none), :history)'];
    const values: Record<string, unknown> = { ':status': outcome.status, ':now': at.toISOString(), ':token': token, ':none': [] };
    if (outcome.status === 'sent') {
      set.push('providerMessageId = :pid', 'sentAt = :now', 'receiptDueDay = :due');
      values[':pid'] = outcome.providerMessageId;
      values[':due'] = vietnamDate(new Date(at.getTime() + RECEIPT_WAIT_HOURS * 3600_000));
      values[':history'] = [line(at, 'sent')];
    } else {
      set.push('reason = :reason');
      values[':reason'] = outcome.reason;
      values[':history'] = [line(at, `${outcome.status}: ${outcome.reason}`)];
    }
    // A retry's reason (quota, throttling) says nothing once the message is sent.
    return this.conditionalUpdate(key, `SET ${set.join(', ')} REMOVE claimToken, claimExpiresAt${outcome.status === 'sent' ? ', reason' : ''}`, values);
  }

  /** Gives a claimed message back to the queue after a retryable failure. */
  async release(key: string, token: string, at: Date, reason: string): Promise<boolean> {
    return this.conditionalUpdate(key, 'SET #status = :queued, updatedAt = :now, reason = :reason REMOVE claimToken, claimExpiresAt', {
      ':queued': 'queued',
      ':now': at.toISOString(),
      ':reason': reason,
      ':token': token,
    });
  }

  /**
   * Parks a claimed message while its kind is paused: not sent, not dropped.
   * `whilePaused` is a condition on the kind's control item, checked in the
   * same transaction, so a message is never parked after its kind resumed.
   */
  async hold(key: string, token: string, at: Date, kind: string, reason: string, whilePaused: { tableName: string; key: Record<string, string> }): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: whilePaused.tableName,
                Key: whilePaused.key,
                ConditionExpression: 'paused = :yes',
                ExpressionAttributeValues: { ':yes': true },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { key },
                UpdateExpression:
                  'SET #status = :paused, pausedKind = :kind, updatedAt = :now, reason = :reason, history = list_append(if_not_exists(history, :none), :history) REMOVE claimToken, claimExpiresAt',
                ConditionExpression: 'claimToken = :token',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':paused': 'paused',
                  ':kind': kind,
                  ':now': at.toISOString(),
                  ':reason': reason,
                  ':token': token,
                  ':none': [],
                  ':history': [line(at, `paused: ${reason}`)],
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  /** Keys of the messages waiting while `kind` is paused, oldest first (index byPausedKind, eventually consistent). */
  pausedKeys(kind: string): AsyncGenerator<string> {
    return this.keysOf(PAUSED_INDEX, 'pausedKind = :kind', { ':kind': kind });
  }

  /** A paused message becomes queued again; false if it was not paused (already requeued by another resume). */
  async unpause(key: string, at: Date): Promise<boolean> {
    return this.update(key, 'SET #status = :queued, updatedAt = :now, history = list_append(if_not_exists(history, :none), :history) REMOVE pausedKind, reason', '#status = :paused', {
      ':queued': 'queued',
      ':paused': 'paused',
      ':now': at.toISOString(),
      ':none': [],
      ':history': [line(at, 'queued: kind resumed')],
    });
  }

  /** Keys of messages sent without a receipt whose 72-hour wait ends on `day` and ended before `at`. */
  awaitingReceipt(day: string, at: Date): AsyncGenerator<string> {
    const sentBefore = new Date(at.getTime() - RECEIPT_WAIT_HOURS * 3600_000).toISOString();
    return this.keysOf(RECEIPT_DUE_INDEX, 'receiptDueDay = :day AND sentAt <= :before', { ':day': day, ':before': sentBefore });
  }

  /** Sent 72 hours ago and no receipt since: a temporary failure (a late `delivered` receipt still wins). */
  async noReceipt(key: string, at: Date): Promise<boolean> {
    const reason = `no delivery receipt within ${RECEIPT_WAIT_HOURS} hours`;
    return this.update(
      key,
      'SET #status = :temporary, reason = :reason, updatedAt = :now, history = list_append(if_not_exists(history, :none), :history) REMOVE receiptDueDay',
      '#status = :sent',
      { ':temporary': 'temporary-failure', ':sent': 'sent', ':reason': reason, ':now': at.toISOString(), ':none': [], ':history': [line(at, `temporary-failure: ${reason}`)] },
    );
  }

  /** Messages recorded on a Vietnam day to numbers ending in these three digits (index byRecipientTail). */
  async keysByRecipientTail(tail: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of this.keysOf(RECIPIENT_TAIL_INDEX, 'recipientTail = :tail', { ':tail': tail })) keys.push(key);
    return keys;
  }

  /** Every key a keys-only index holds under a key condition, page by page. */
  private async *keysOf(indexName: string, condition: string, values: Record<string, unknown>): AsyncGenerator<string> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, IndexName: indexName, KeyConditionExpression: condition, ExpressionAttributeValues: values, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of page.Items ?? []) yield item.key as string;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** Notes on the original that an operator resent it, under which key and why. */
  async noteResend(key: string, resendKey: string, reason: string, at: Date): Promise<void> {
    await this.update(key, 'SET resends = list_append(if_not_exists(resends, :none), :resend), updatedAt = :now, history = list_append(if_not_exists(history, :none), :history)', 'attribute_exists(#key)', {
      ':none': [],
      ':resend': [resendKey],
      ':now': at.toISOString(),
      ':history': [line(at, `resent as ${resendKey}: ${reason}`)],
    }, { '#key': 'key' });
  }

  /** The ledger key of a message sent under this provider id (index byProviderMessageId). */
  async keyOfProviderMessage(providerMessageId: string): Promise<string | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: PROVIDER_MESSAGE_INDEX,
        KeyConditionExpression: 'providerMessageId = :id',
        ExpressionAttributeValues: { ':id': providerMessageId },
        Limit: 1,
      }),
    );
    return result.Items?.[0]?.key as string | undefined;
  }

  /**
   * Applies a delivery receipt. A message never moves backwards: delivered and
   * permanent-failure are final, temporary-failure may still become delivered.
   * Returns false when the receipt changes nothing (a repeat, or too late).
   */
  async applyReceipt(key: string, receipt: { status: 'delivered' | 'permanent-failure' | 'temporary-failure'; providerResponse: string; priceInUSD?: number; at: string }): Promise<boolean> {
    const from = receipt.status === 'temporary-failure' ? [':sent'] : [':sent', ':temporary'];
    return this.update(
      key,
      `SET #status = :status, providerResponse = :response, updatedAt = :at, history = list_append(if_not_exists(history, :none), :history)${receipt.priceInUSD !== undefined ? ', priceInUSD = :price' : ''}${receipt.status === 'delivered' ? ', deliveredAt = :at' : ''} REMOVE receiptDueDay`,
      `#status IN (${from.join(', ')})`,
      {
        ':status': receipt.status,
        ':response': receipt.providerResponse.slice(0, 300),
        ':at': receipt.at,
        ':sent': 'sent',
        ':none': [],
        ':history': [line(receipt.at, `${receipt.status} (receipt): ${receipt.providerResponse}`)],
        ...(from.includes(':temporary') ? { ':temporary': 'temporary-failure' } : {}),
        ...(receipt.priceInUSD !== undefined ? { ':price': receipt.priceInUSD } : {}),
      },
    );
  }

  private conditionalUpdate(key: string, update: string, values: Record<string, unknown>): Promise<boolean> {
    return this.update(key, update, 'claimToken = :token', values);
  }

  private async update(key: string, update: string, condition: string, values: Record<string, unknown>, names: Record<string, string> = { '#status': 'status' }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
