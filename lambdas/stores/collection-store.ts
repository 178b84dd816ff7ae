/**
 * Collection confirmations on DynamoDB, one partition per collector and day. Each expires (TTL `expiresAt`,
 * epoch seconds) `retentionDays` after its payment: long enough for the next morning's form 01-XN, not forever.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { collectorDayOf, type Confirmation } from '../domain/form-01xn.ts';
import type { CollectionStore } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';

export class DynamoCollectionStore implements CollectionStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
    /** bhxh:collectionRetentionDays (COLLECTION_RETENTION_DAYS); a store without it only reads. */
    private readonly retentionDays?: number,
  ) {}

  async put(confirmation: Confirmation): Promise<void> {
    if (this.retentionDays === undefined) throw new Error('this collection store only reads: it was built without a retention');
    const paidAt = Date.parse(confirmation.paidAt);
    if (Number.isNaN(paidAt)) throw new Error(`confirmation ${confirmation.confirmationCode}: paidAt ${JSON.stringify(confirmation.paidAt)} is not a time`);
    const expiresAt = Math.floor(paidAt / 1000) + this.retentionDays * 86_400;
    // A copy of a confirmation already reported in a form keeps that form: it is not reported again.
    await applied(this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...confirmation, expiresAt }, ConditionExpression: 'attribute_not_exists(reportedIn)' })));
  }

  async markReported(collectorCode: string, date: string, confirmationCodes: string[], form: string): Promise<void> {
    for (const confirmationCode of confirmationCodes) {
      await applied(
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { collectorDay: collectorDayOf(collectorCode, date), confirmationCode },
            UpdateExpression: 'SET reportedIn = :form',
            ConditionExpression: 'attribute_exists(collectorDay) AND attribute_not_exists(reportedIn)',
            ExpressionAttributeValues: { ':form': form },
          }),
        ),
      );
    }
  }

  async day(collectorCode: string, date: string): Promise<Confirmation[]> {
    const items: Confirmation[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'collectorDay = :k',
          ExpressionAttributeValues: { ':k': collectorDayOf(collectorCode, date) },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as Confirmation[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
