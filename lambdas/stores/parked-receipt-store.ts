/** Receipts that arrived before their message was recorded as sent, kept a week in the control table. */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Receipt } from '../domain/receipts.ts';
import type { ParkedReceiptStore } from '../flows/ports.ts';
import { epochSeconds } from '../runtime/clock.ts';
import type { Db } from './dynamo.ts';
import { controlKeys } from './table-schema.ts';

const WEEK_SECONDS = 7 * 86_400;

export class DynamoParkedReceiptStore implements ParkedReceiptStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  async park(receipt: Receipt): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...controlKeys.parkedReceipt(receipt.providerMessageId), receipt, expiresAt: epochSeconds(new Date()) + WEEK_SECONDS } }),
    );
  }

  /**
   * Removes and returns the parked receipt of a message, if there is one. The
   * sender asks after every SMS and the answer is almost always no: a read
   * costs a fifth of a write, so the delete happens only when there is one.
   */
  async take(providerMessageId: string): Promise<Receipt | undefined> {
    const key = controlKeys.parkedReceipt(providerMessageId);
    const found = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (!found.Item) return undefined;
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    return found.Item.receipt as Receipt;
  }
}
