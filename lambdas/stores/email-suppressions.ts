/**
 * Suppressed e-mail addresses (SPEC rule 12), in the contacts table, where
 * every function that records messages already reads: one item per address,
 * keyed by a hash of the lower-cased address (`suppressed-email#<sha256>`), so
 * the list adds no address to the table. SES's own account-level suppression
 * list (the configuration set's SuppressionOptions) stands behind it.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailSuppressions } from '../flows/ports.ts';
import type { Db } from './dynamo.ts';

export const suppressionKey = (address: string): string => `suppressed-email#${createHash('sha256').update(address.trim().toLowerCase()).digest('hex')}`;

export class DynamoEmailSuppressions implements EmailSuppressions {
  constructor(
    private readonly db: Db,
    private readonly contactsTable: string,
  ) {}

  async isSuppressed(address: string): Promise<boolean> {
    const result = await this.db.send(new GetCommand({ TableName: this.contactsTable, Key: { subject: suppressionKey(address) }, ConsistentRead: true }));
    return result.Item !== undefined;
  }

  async suppress(address: string, reason: string, at: Date): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.contactsTable, Item: { subject: suppressionKey(address), reason, suppressedAt: at.toISOString() } }));
  }
}
