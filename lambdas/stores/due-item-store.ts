/** The due-date index on DynamoDB: one item per subject, indexed by `kind#date#shard`. */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dueItemExpiry, dueKeyOf, shardOf, type DueItem, type DueKind } from '../domain/due-items.ts';
import type { DueItemPage, DueItemStore } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';
import { DUE_INDEX } from './table-schema.ts';

export class DynamoDueItemStore implements DueItemStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  put(item: Omit<DueItem, 'dueKey' | 'expiresAt'>): Promise<boolean> {
    const full: DueItem = { ...item, dueKey: dueKeyOf(item.kind, item.dueDate, shardOf(item.pk)), expiresAt: dueItemExpiry(item.dueDate) };
    return applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: full,
          ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :asOf',
          ExpressionAttributeValues: { ':asOf': item.asOf },
        }),
      ),
    );
  }

  async remove(pk: string, asOf: string): Promise<void> {
    await applied(this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk }, ConditionExpression: 'asOf <= :asOf', ExpressionAttributeValues: { ':asOf': asOf } })));
  }

  async page(kind: DueKind, date: string, shard: number, cursor: Record<string, unknown> | undefined, limit: number): Promise<DueItemPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'dueKey = :k',
        ExpressionAttributeValues: { ':k': dueKeyOf(kind, date, shard) },
        ExclusiveStartKey: cursor,
        Limit: limit,
      }),
    );
    return { items: (result.Items ?? []) as DueItem[], ...(result.LastEvaluatedKey ? { cursor: result.LastEvaluatedKey } : {}), read: result.ScannedCount ?? result.Count ?? 0 };
  }
}
