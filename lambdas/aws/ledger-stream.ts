/**
 * The ledger's DynamoDB stream records as the flow reads them: each record's
 * sequence number and its two images, with their scalar attributes only
 * (strings, numbers, booleans). Lists and maps (the history, the resends) are
 * left out: nothing published is read from them.
 */
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { LedgerChange, LedgerImage } from '../domain/status-events.ts';

function scalar(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  return undefined;
}

function imageOf(image: Record<string, AttributeValue> | undefined): LedgerImage | undefined {
  if (!image) return undefined;
  return Object.fromEntries(
    Object.entries(image)
      .map(([name, value]) => [name, scalar(value)] as const)
      .filter(([, value]) => value !== undefined),
  );
}

/** The record's identifier for a partial batch failure: its sequence number (what Lambda retries a stream from). */
export const recordId = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

export function ledgerChangesOf(event: DynamoDBStreamEvent): LedgerChange[] {
  return event.Records.map((record) => {
    const newImage = imageOf(record.dynamodb?.NewImage);
    const oldImage = imageOf(record.dynamodb?.OldImage);
    return { id: recordId(record), ...(newImage ? { newImage } : {}), ...(oldImage ? { oldImage } : {}) };
  });
}
