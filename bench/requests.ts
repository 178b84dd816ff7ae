/**
 * Counts the DynamoDB requests every AWS SDK client in this process sends
 * (the handlers' and the local run's), by operation and table, so that a
 * benchmark can say how many reads and writes one message costs. SQS, SNS and
 * Step Functions are stand-ins locally and are counted where they are served.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface RequestCount {
  /** GetItem, Query, BatchGetItem. */
  reads: number;
  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem items, TransactWriteItems items (counted per item). */
  writes: number;
  byOperation: Record<string, number>;
  /** Read and write capacity units DynamoDB reports (ReturnConsumedCapacity), indexes and transactions included: what on-demand bills. */
  readUnits: number;
  writeUnits: number;
}

const counts: RequestCount = { reads: 0, writes: 0, byOperation: {}, readUnits: 0, writeUnits: 0 };
const READS = new Set(['GetCommand', 'GetItemCommand', 'QueryCommand', 'BatchGetCommand', 'BatchGetItemCommand']);
let installed = false;

/** Starts counting (once per process) and returns the counter. */
export function countDynamoRequests(): RequestCount {
  if (installed) return counts;
  installed = true;
  // Every SDK client (the document client too) sends through the smithy base class's send.
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (command: any, ...rest: unknown[]) => unknown };
  const send = base.send;
  base.send = function (this: unknown, command: any, ...rest: unknown[]) {
    const name: string = command?.constructor?.name ?? 'unknown';
    const input = command?.input ?? {};
    const isDynamo = 'TableName' in input || 'TransactItems' in input || 'RequestItems' in input;
    if (isDynamo && !name.startsWith('ListTables')) {
      counts.byOperation[name] = (counts.byOperation[name] ?? 0) + 1;
      if (READS.has(name)) counts.reads++;
      else if (name.startsWith('TransactWrite')) counts.writes += input.TransactItems.length;
      else if (name.startsWith('BatchWrite')) counts.writes += Object.values(input.RequestItems as Record<string, unknown[]>).reduce((n, r) => n + r.length, 0);
      else if (!name.startsWith('Create') && !name.startsWith('UpdateTimeToLive') && !name.startsWith('Scan')) counts.writes++;
    }
    if (!isDynamo || name.startsWith('ListTables') || name.startsWith('Create') || name.startsWith('UpdateTimeToLive')) return send.call(this, command, ...rest);
    input.ReturnConsumedCapacity ??= 'TOTAL';
    const isRead = READS.has(name) || name.startsWith('Scan');
    return (send.call(this, command, ...rest) as Promise<any>).then(
      (output) => {
        for (const c of [output?.ConsumedCapacity ?? []].flat() as Array<{ CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>) {
          if (isRead) counts.readUnits += c.CapacityUnits ?? c.ReadCapacityUnits ?? 0;
          else counts.writeUnits += c.CapacityUnits ?? c.WriteCapacityUnits ?? 0;
        }
        return output;
      },
      (error: any) => {
        // A failed condition still consumes write capacity (DynamoDB bills it); DynamoDB Local does not report it, so count one unit.
        if (!isRead && error?.name === 'ConditionalCheckFailedException') counts.writeUnits += 1;
        throw error;
      },
    );
  };
  return counts;
}

export function snapshot(): RequestCount {
  return { reads: counts.reads, writes: counts.writes, byOperation: { ...counts.byOperation }, readUnits: counts.readUnits, writeUnits: counts.writeUnits };
}

export function since(before: RequestCount): RequestCount {
  const byOperation: Record<string, number> = {};
  for (const [op, n] of Object.entries(counts.byOperation)) if (n - (before.byOperation[op] ?? 0) > 0) byOperation[op] = n - (before.byOperation[op] ?? 0);
  return {
    reads: counts.reads - before.reads,
    writes: counts.writes - before.writes,
    byOperation,
    readUnits: counts.readUnits - before.readUnits,
    writeUnits: counts.writeUnits - before.writeUnits,
  };
}
