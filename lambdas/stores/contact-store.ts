/** The contact projection on DynamoDB: one item per subject; older updates never win. */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact } from '../domain/contacts.ts';
import type { ContactStore } from '../flows/ports.ts';
import { applied, type Db } from './dynamo.ts';

export class DynamoContactStore implements ContactStore {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  /**
   * Each update is the contact as the upstream knows it now (a field it leaves out is gone), except the e-mail
   * address: `ContactUpdated.email` absent leaves the address as it was, null removes it (SPEC catalogue).
   */
  upsert(contact: Contact): Promise<boolean> {
    const sets: string[] = [];
    const removes: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':asOf': contact.asOf };
    for (const field of CONTACT_FIELDS) {
      const value = contact[field];
      names[`#${field}`] = field;
      if (value !== undefined && value !== null) {
        sets.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      } else if (field !== 'email' || value === null) removes.push(`#${field}`);
      else delete names[`#${field}`];
    }
    return applied(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { subject: contact.subject },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_not_exists(subject) OR asOf <= :asOf',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async get(subject: string): Promise<Contact | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { subject }, ConsistentRead: true }));
    return result.Item as Contact | undefined;
  }
}

/** Every attribute of a contact but its key; `phone: null` is stored as no phone, as before. */
const CONTACT_FIELDS = ['name', 'phone', 'phoneRejected', 'email', 'gender', 'agency', 'asOf', 'eventId'] as const satisfies readonly Exclude<keyof Contact, 'subject'>[];
