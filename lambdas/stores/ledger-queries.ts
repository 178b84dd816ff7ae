/** Paging through a keys-only index of the ledger. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './dynamo.ts';

/** Every key a keys-only index holds under a key condition, page by page. */
export async function* keysOf(db: Db, tableName: string, indexName: string, condition: string, values: Record<string, unknown>): AsyncGenerator<string> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) yield item.key as string;
    start = page.LastEvaluatedKey;
  } while (start);
}
