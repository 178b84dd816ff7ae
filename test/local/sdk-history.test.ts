/**
 * The local run answers the SDK through aws-sdk-client-mock, whose sinon stubs
 * record every call (arguments, result, an Error for the stack). A long run, a
 * 100,000-row campaign's bench, kept them all until its 4 GB heap ran out: the
 * local run empties that history as it goes, since nothing reads it.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { startLocalSystem } from '../support/local-system.ts';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
});
afterAll(async () => system?.stop());

describe('the SDK calls of a long local run', () => {
  it('are not all kept: the stubs hold fewer than a thousand, after 2,500', async () => {
    // Prepare: the DynamoDB stub's own record of its calls (sinon's callCount)
    const stub = DynamoDBDocumentClient.prototype.send as unknown as { callCount: number };
    const table = system.tableName('Contacts');

    // Act
    for (let i = 0; i < 2_500; i++) await system.db.send(new GetCommand({ TableName: table, Key: { subject: `person#${i}` } }));
    await Promise.resolve();

    // Assess
    expect(stub.callCount).toBeGreaterThan(0);
    expect(stub.callCount).toBeLessThan(1_000);
  });
});
