/**
 * The contact projection: who to text about a person, unit, facility or
 * collector, fed by `ContactUpdated`. The phone is stored normalised (E.164)
 * or, when the upstream number is unusable, as the rejection reason, so a
 * message to that subject is recorded as skipped `invalid-phone`, not lost.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PhoneRejection } from './phone.ts';

export type SubjectType = 'person' | 'unit' | 'facility' | 'collector';

export const subjectKey = (type: SubjectType, id: string): string => `${type}#${id}`;

export interface Contact {
  subject: string;
  name: string;
  phone: string | null;
  phoneRejected?: PhoneRejection;
  gender?: 'male' | 'female' | null;
  agency?: string | null;
  /** Time of the upstream event this version comes from; older events never overwrite newer ones. */
  asOf: string;
  eventId: string;
}

export class Contacts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores the contact unless a newer version is already there. Returns false for a stale update. */
  async upsert(contact: Contact): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: contact,
          ConditionExpression: 'attribute_not_exists(subject) OR asOf <= :asOf',
          ExpressionAttributeValues: { ':asOf': contact.asOf },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(subject: string): Promise<Contact | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { subject }, ConsistentRead: true }));
    return result.Item as Contact | undefined;
  }
}
