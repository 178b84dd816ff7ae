/**
 * The message ledger (SPEC rule 5): one item per message, keyed by the
 * business idempotency key (SPEC rule 4). Creating the item is the
 * idempotency check: a conditional put that fails means the fact was seen
 * before, whatever event id or publisher carried it.
 *
 * Life of an item: queued → sending (claimed by one sender for a short lease)
 * → sent | failed; or skipped from the start (no-phone, invalid-phone).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from './clock.ts';

/**
 * queued → sending → sent → delivered, or an end in permanent-failure (bad or
 * blocked number, opted out), temporary-failure (the carrier could not
 * deliver), technical-failure (our side; not billed), skipped or expired.
 */
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'permanent-failure' | 'temporary-failure' | 'technical-failure' | 'skipped' | 'expired';

export const PROVIDER_MESSAGE_INDEX = 'byProviderMessageId';

export interface LedgerItem {
  key: string;
  kind: string;
  subject: string;
  status: MessageStatus;
  reason?: string;
  /** E.164; absent when skipped for want of a usable number. */
  recipient?: string;
  recipientMasked?: string;
  text?: string;
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

export type NewLedgerItem = Omit<LedgerItem, 'createdAt' | 'updatedAt' | 'expiresAt' | 'duplicates' | 'attempts'>;

export type RecordOutcome = { created: true; item: LedgerItem } | { created: false; existing: LedgerItem };

export class Ledger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  /** Records a new message, or returns the item already recorded under the same key (and counts the duplicate). */
  async record(message: NewLedgerItem, at: Date): Promise<RecordOutcome> {
    const item: LedgerItem = {
      ...message,
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
    const set = ['#status = :status', 'updatedAt = :now'];
    const values: Record<string, unknown> = { ':status': outcome.status, ':now': at.toISOString(), ':token': token };
    if (outcome.status === 'sent') {
      set.push('providerMessageId = :pid', 'sentAt = :now');
      values[':pid'] = outcome.providerMessageId;
    } else {
      set.push('reason = :reason');
      values[':reason'] = outcome.reason;
    }
    return this.conditionalUpdate(key, `SET ${set.join(', ')} REMOVE claimToken, claimExpiresAt`, values);
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
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: `SET #status = :status, providerResponse = :response, updatedAt = :at${receipt.priceInUSD !== undefined ? ', priceInUSD = :price' : ''}${receipt.status === 'delivered' ? ', deliveredAt = :at' : ''}`,
          ConditionExpression: `#status IN (${from.join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': receipt.status,
            ':response': receipt.providerResponse.slice(0, 300),
            ':at': receipt.at,
            ':sent': 'sent',
            ...(from.includes(':temporary') ? { ':temporary': 'temporary-failure' } : {}),
            ...(receipt.priceInUSD !== undefined ? { ':price': receipt.priceInUSD } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async conditionalUpdate(key: string, update: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: update,
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
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
