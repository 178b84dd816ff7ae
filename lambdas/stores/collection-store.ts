/** Collection confirmations on DynamoDB, one partition per collector and day. */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { collectorDayOf, type Confirmation } from '../domain/form-01xn.ts';
import type { CollectionStore } from '../flows/ports.ts';
import type { Db } from './dynamo.ts';

export class DynamoCollectionStore implements CollectionStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  async put(confirmation: Confirmation): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: confirmation }));
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
