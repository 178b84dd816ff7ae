/**
 * The ledger on DynamoDB: the metadata item under the business key, and a
 * `content#<key>` item with the text and number under its own, shorter TTL.
 * DynamoDB TTL deletes each at no cost; readers treat expired content as gone
 * at once. Every status change is a conditional update that also appends to
 * the item's history.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  historyLine,
  receiptDueDayOf,
  recipientTail,
  RECEIPT_WAIT_HOURS,
  type LedgerItem,
  type MessageContent,
  type NewLedgerItem,
  type ReceiptUpdate,
  type RecordOutcome,
  type Settlement,
} from '../domain/ledger.ts';
import { vietnamDate } from '../domain/vietnam-time.ts';
import type { LedgerStore } from '../flows/ports.ts';
import { epochSeconds } from '../runtime/clock.ts';
import { APPEND_HISTORY, applied, historyValues, ifApplied, type Db } from './dynamo.ts';
import { CONTENT_PREFIX, controlKeys, PAUSED_INDEX, PROVIDER_MESSAGE_INDEX, RECEIPT_DUE_INDEX, RECIPIENT_TAIL_INDEX } from './table-schema.ts';
import { keysOf } from './ledger-queries.ts';

export interface LedgerRetention {
  /** Days the status metadata is kept (bhxh:ledgerRetentionDays). */
  metadataDays: number;
  /** Days the text and phone number are kept (bhxh:messageTextRetentionDays). */
  textDays: number;
}

export interface LedgerStoreOptions {
  tableName: string;
  /** Needed to record messages; a function that only reads and settles them has none to give. */
  retention?: LedgerRetention;
  /** The send control table, for parking a message in one transaction with its kind's pause. */
  controlTableName?: string;
}

const NOT_EXISTS = { ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'key' } };
const STATUS = { '#status': 'status' };

export class DynamoLedgerStore implements LedgerStore {
  private readonly tableName: string;

  constructor(
    private readonly db: Db,
    private readonly options: LedgerStoreOptions,
  ) {
    this.tableName = options.tableName;
  }

  async record(message: NewLedgerItem, at: Date): Promise<RecordOutcome> {
    const retention = this.options.retention;
    if (!retention) throw new Error('this ledger store was opened without retention periods and cannot record messages');
    const { text, recipient, emailSubject, attachments, ...metadata } = message;
    // Content first: a crash after it leaves an orphan that TTL removes; a crash before the metadata means the fact is retried.
    if (text !== undefined) {
      const content = {
        key: CONTENT_PREFIX + message.key,
        text,
        ...(recipient ? { recipient } : {}),
        ...(emailSubject !== undefined ? { emailSubject } : {}),
        ...(attachments?.length ? { attachments } : {}),
        expiresAt: epochSeconds(at) + retention.textDays * 86_400,
      };
      await applied(this.db.send(new PutCommand({ TableName: this.tableName, Item: content, ...NOT_EXISTS })));
    }
    const item: LedgerItem = {
      ...metadata,
      // The tail index finds messages by the last digits of a phone number; an address has none.
      ...(recipient && message.channel !== 'email' ? { recipientTail: recipientTail(recipient, vietnamDate(at)) } : {}),
      history: [historyLine(at, message.status === 'skipped' ? `skipped: ${message.reason ?? ''}` : message.status)],
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      expiresAt: epochSeconds(at) + retention.metadataDays * 86_400,
    };
    if (await applied(this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ...NOT_EXISTS })))) return { created: true, item };
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

  async content(key: string, at: Date): Promise<MessageContent | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { key: CONTENT_PREFIX + key }, ConsistentRead: true }));
    const item = result.Item as (MessageContent & { expiresAt: number }) | undefined;
    if (!item || item.expiresAt <= epochSeconds(at)) return undefined;
    return {
      text: item.text,
      ...(item.recipient ? { recipient: item.recipient } : {}),
      ...(item.emailSubject !== undefined ? { emailSubject: item.emailSubject } : {}),
      ...(item.attachments ? { attachments: item.attachments } : {}),
    };
  }

  async claim(key: string, token: string, at: Date, leaseSeconds: number): Promise<LedgerItem | undefined> {
    const result = await ifApplied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #status = :sending, claimToken = :token, claimExpiresAt = :until, updatedAt = :now ADD attempts :one',
          ConditionExpression: '#status = :queued OR (#status = :sending AND claimExpiresAt < :nowEpoch)',
          ExpressionAttributeNames: STATUS,
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
      ),
    );
    return result?.Attributes as LedgerItem | undefined;
  }

  settle(key: string, token: string, at: Date, outcome: Settlement): Promise<boolean> {
    const set = ['#status = :status', 'updatedAt = :now', APPEND_HISTORY];
    const values: Record<string, unknown> = { ':status': outcome.status, ':now': at.toISOString(), ':token': token };
    if (outcome.status === 'sent') {
      set.push('providerMessageId = :pid', 'sentAt = :now', 'receiptDueDay = :due');
      Object.assign(values, { ':pid': outcome.providerMessageId, ':due': receiptDueDayOf(at) }, historyValues(historyLine(at, 'sent')));
    } else {
      set.push('reason = :reason');
      Object.assign(values, { ':reason': outcome.reason }, historyValues(historyLine(at, `${outcome.status}: ${outcome.reason}`)));
      // Perhaps sent: listed (sparse index) for an operator to release or confirm, never resent by itself.
      if (outcome.status === 'unknown') {
        set.push('unknownDay = :day');
        values[':day'] = vietnamDate(at);
      }
    }
    // A retry's reason (quota, throttling) says nothing once the message is sent.
    return this.update(key, `SET ${set.join(', ')} REMOVE claimToken, claimExpiresAt${outcome.status === 'sent' ? ', reason' : ''}`, 'claimToken = :token', values);
  }

  release(key: string, token: string, at: Date, reason: string): Promise<boolean> {
    return this.update(key, 'SET #status = :queued, updatedAt = :now, reason = :reason REMOVE claimToken, claimExpiresAt', 'claimToken = :token', {
      ':queued': 'queued',
      ':now': at.toISOString(),
      ':reason': reason,
      ':token': token,
    });
  }

  holdWhilePaused(key: string, token: string, at: Date, kind: string, reason: string): Promise<boolean> {
    const controlTableName = this.options.controlTableName;
    if (!controlTableName) throw new Error('this ledger store was opened without the control table and cannot park messages');
    return applied(
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            // The kind must still be paused when the message is parked: nothing is parked after a resume.
            { ConditionCheck: { TableName: controlTableName, Key: controlKeys.kind(kind), ConditionExpression: 'paused = :yes', ExpressionAttributeValues: { ':yes': true } } },
            {
              Update: {
                TableName: this.tableName,
                Key: { key },
                UpdateExpression: `SET #status = :paused, pausedKind = :kind, updatedAt = :now, reason = :reason, ${APPEND_HISTORY} REMOVE claimToken, claimExpiresAt`,
                ConditionExpression: 'claimToken = :token',
                ExpressionAttributeNames: STATUS,
                ExpressionAttributeValues: {
                  ':paused': 'paused',
                  ':kind': kind,
                  ':now': at.toISOString(),
                  ':reason': reason,
                  ':token': token,
                  ...historyValues(historyLine(at, `paused: ${reason}`)),
                },
              },
            },
          ],
        }),
      ),
    );
  }

  pausedKeys(kind: string): AsyncGenerator<string> {
    return keysOf(this.db, this.tableName, PAUSED_INDEX, 'pausedKind = :kind', { ':kind': kind });
  }

  unpause(key: string, at: Date): Promise<boolean> {
    return this.update(key, `SET #status = :queued, updatedAt = :now, ${APPEND_HISTORY} REMOVE pausedKind, reason`, '#status = :paused', {
      ':queued': 'queued',
      ':paused': 'paused',
      ':now': at.toISOString(),
      ...historyValues(historyLine(at, 'queued: kind resumed')),
    });
  }

  awaitingReceipt(day: string, at: Date): AsyncGenerator<string> {
    const sentBefore = new Date(at.getTime() - RECEIPT_WAIT_HOURS * 3600_000).toISOString();
    return keysOf(this.db, this.tableName, RECEIPT_DUE_INDEX, 'receiptDueDay = :day AND sentAt <= :before', { ':day': day, ':before': sentBefore });
  }

  noReceipt(key: string, at: Date): Promise<boolean> {
    const reason = `no delivery receipt within ${RECEIPT_WAIT_HOURS} hours`;
    return this.update(key, `SET #status = :temporary, reason = :reason, updatedAt = :now, ${APPEND_HISTORY} REMOVE receiptDueDay`, '#status = :sent', {
      ':temporary': 'temporary-failure',
      ':sent': 'sent',
      ':reason': reason,
      ':now': at.toISOString(),
      ...historyValues(historyLine(at, `temporary-failure: ${reason}`)),
    });
  }

  async keysByRecipientTail(tail: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of keysOf(this.db, this.tableName, RECIPIENT_TAIL_INDEX, 'recipientTail = :tail', { ':tail': tail })) keys.push(key);
    return keys;
  }

  async noteResend(key: string, resendKey: string, reason: string, at: Date): Promise<void> {
    await this.update(
      key,
      `SET resends = list_append(if_not_exists(resends, :none), :resend), updatedAt = :now, ${APPEND_HISTORY}`,
      'attribute_exists(#key)',
      { ':resend': [resendKey], ':now': at.toISOString(), ...historyValues(historyLine(at, `resent as ${resendKey}: ${reason}`)) },
      { '#key': 'key' },
    );
  }

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

  /** A message never moves backwards: delivered and permanent-failure are final, temporary-failure may still become delivered. */
  applyReceipt(key: string, receipt: ReceiptUpdate): Promise<boolean> {
    const from = receipt.status === 'temporary-failure' ? [':sent'] : [':sent', ':temporary', ...(receipt.afterDelivery ? [':delivered'] : [])];
    const price = receipt.priceInUSD !== undefined;
    return this.update(
      key,
      `SET #status = :status, providerResponse = :response, updatedAt = :at, ${APPEND_HISTORY}${price ? ', priceInUSD = :price' : ''}${receipt.status === 'delivered' ? ', deliveredAt = :at' : ''} REMOVE receiptDueDay`,
      `#status IN (${from.join(', ')})`,
      {
        ':status': receipt.status,
        ':response': receipt.providerResponse.slice(0, 300),
        ':at': receipt.at,
        ':sent': 'sent',
        ...historyValues(historyLine(receipt.at, `${receipt.status} (receipt): ${receipt.providerResponse}`)),
        ...(from.includes(':temporary') ? { ':temporary': 'temporary-failure' } : {}),
        ...(from.includes(':delivered') ? { ':delivered': 'delivered' } : {}),
        ...(price ? { ':price': receipt.priceInUSD } : {}),
      },
    );
  }

  private update(key: string, update: string, condition: string, values: Record<string, unknown>, names: Record<string, string> = STATUS): Promise<boolean> {
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }
}
