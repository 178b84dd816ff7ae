/** Receipts that arrived before their message was recorded as sent, kept a week in the control table. */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Receipt } from './receipts.ts';

const WEEK_SECONDS = 7 * 86_400;

export class ParkedReceipts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async park(receipt: Receipt): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `receipt#${receipt.providerMessageId}`, receipt, expiresAt: Math.floor(Date.now() / 1000) + WEEK_SECONDS } }),
    );
  }

  /**
   * Removes and returns the parked receipt of a message, if there is one. The
   * sender asks after every SMS and the answer is almost always no: a read
   * costs a fifth of a write, so the delete happens only when there is one.
   */
  async take(providerMessageId: string): Promise<Receipt | undefined> {
    const key = { pk: `receipt#${providerMessageId}` };
    const found = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (!found.Item) return undefined;
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    return found.Item.receipt as Receipt;
  }
}
