/** The 8079 read models on DynamoDB: one item per history or card; older events never overwrite newer. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CardItem, HistoryItem, Period } from '../domain/read-models.ts';
import type { ReadModelStore } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';

export class DynamoReadModelStore implements ReadModelStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  putHistory(personId: string, periods: Period[], asOf: string): Promise<boolean> {
    return this.putNewer({ pk: `history#${personId}`, personId, periods, asOf });
  }

  putCard(card: Omit<CardItem, 'pk'>): Promise<boolean> {
    return this.putNewer({ pk: `card#${card.cardNo}`, ...card });
  }

  async history(personId: string): Promise<HistoryItem | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: `history#${personId}` } }))).Item as HistoryItem | undefined;
  }

  async card(cardNo: string): Promise<CardItem | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: `card#${cardNo}` } }))).Item as CardItem | undefined;
  }

  private putNewer(item: { pk: string; asOf: string } & Record<string, unknown>): Promise<boolean> {
    return applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :asOf',
          ExpressionAttributeValues: { ':asOf': item.asOf },
        }),
      ),
    );
  }
}
