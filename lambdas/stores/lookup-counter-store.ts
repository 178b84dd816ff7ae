/**
 * 8079 look-ups per phone number and hour, in the control table. The counter
 * is keyed by a hash of the number: the control table holds no phone numbers.
 */
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LookupCounter } from '../flows/ports.ts';
import type { Db } from './dynamo.ts';
import { controlKeys } from './table-schema.ts';

export class DynamoLookupCounter implements LookupCounter {
  constructor(
    private readonly db: Db,
    private readonly tableName: string,
  ) {}

  async count(phone: string, at: Date): Promise<number> {
    const hour = Math.floor(at.getTime() / 3_600_000);
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: controlKeys.lookupRate(createHash('sha256').update(phone).digest('hex').slice(0, 20), hour),
        UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expires': (hour + 2) * 3600 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.count ?? 1);
  }
}
