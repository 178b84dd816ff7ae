/** The contact projection on DynamoDB: one item per subject; older updates never win. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact } from '../domain/contacts.ts';
import type { ContactStore } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';

export class DynamoContactStore implements ContactStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  upsert(contact: Contact): Promise<boolean> {
    return applied(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: contact,
          ConditionExpression: 'attribute_not_exists(subject) OR asOf <= :asOf',
          ExpressionAttributeValues: { ':asOf': contact.asOf },
        }),
      ),
    );
  }

  async get(subject: string): Promise<Contact | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { subject }, ConsistentRead: true }));
    return result.Item as Contact | undefined;
  }
}
