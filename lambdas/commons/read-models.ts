/**
 * Read models for the 8079 look-ups, kept by events: a person's contribution
 * history (ContributionHistoryUpdated) and health cards (HealthCardIssued).
 * One table, one item per history or card; older events never overwrite newer.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Period {
  from: string;
  to: string | null;
  unitCode: string;
  unitName: string;
  scheme: 'compulsory' | 'voluntary';
}

export interface HistoryItem {
  pk: string;
  personId: string;
  periods: Period[];
  asOf: string;
}

export interface CardItem {
  pk: string;
  cardNo: string;
  personId: string;
  validTo: string;
  scheme: 'household' | 'other';
  asOf: string;
}

export class ReadModels {
  constructor(
    private readonly db: DynamoDBDocumentClient,
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

  private async putNewer(item: { pk: string; asOf: string } & Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :asOf', ExpressionAttributeValues: { ':asOf': item.asOf } }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
