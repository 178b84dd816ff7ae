/**
 * Event source mappings on DynamoDB streams, as Lambda runs them: DynamoDB
 * Local keeps the table's real stream (provisioning.ts creates the table with
 * the template's StreamSpecification), and each mapping reads its shards in
 * order, drops the records its FilterCriteria do not match (the same pattern
 * language as EventBridge's, applied to the record as the function would
 * receive it), and hands the rest to the function in batches of its batch
 * size, one batch at a time per shard.
 *
 * A batch that fails is retried as the mapping says: from the record the
 * function reports (ReportBatchItemFailures), or split in two when the
 * function throws (BisectBatchOnFunctionError); after its last retry, the
 * batch's stream position (no item data) goes to the on-failure destination if
 * the function's role may send there, as Lambda sends it. The local run
 * retries at once, where Lambda backs off; a mapping that retries for ever
 * (AWS's default, until the record expires) is stopped after LOCAL_RETRY_CAP.
 *
 * The mapping's role is checked at start (iam/enforcement.ts), as
 * CreateEventSourceMapping checks it; the reads themselves are the service's.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  TrimmedDataAccessException,
  type GetRecordsCommandOutput,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../dynamodb-local.ts';
import { matchesPattern } from '../event-pattern.ts';
import type { LambdaEmulator } from './lambda.ts';
import type { StreamMappingDef } from './definitions.ts';

/** Retries of a failing batch when the mapping sets none (AWS: until the record expires, 24 hours). */
const LOCAL_RETRY_CAP = 100;

/** A record as the function receives it (aws-lambda's DynamoDBRecord): the SDK's record, its time in epoch seconds. */
type LambdaStreamRecord = Record<string, unknown> & { dynamodb: { SequenceNumber?: string } };

interface Shard {
  iterator?: string;
  lastSequenceNumber?: string;
  /** The shard is closed and read to its end. */
  done: boolean;
}

interface MappingState {
  def: StreamMappingDef;
  /** DynamoDB Local's own ARN of the table's stream (the template's is what policies name). */
  localStreamArn?: string;
  shards: Map<string, Shard>;
  /** A closed shard was read to its end: its children may be there (DescribeStream again). */
  describe: boolean;
}

export interface StreamPollerOptions {
  /** Whether Lambda may send a failure record to the destination with the function's role. */
  mayDeliverFailure(functionLogicalId: string, destinationArn: string): Promise<boolean>;
  deliverFailure(destinationArn: string, record: string): void;
  /** A batch that failed every retry: what became of it, for the run's report. */
  onFailure(line: string): void;
  now(): Date;
  functionArn(logicalId: string): string;
}

export class StreamPollers {
  private readonly client: DynamoDBStreamsClient;
  private readonly states: MappingState[];

  constructor(
    mappings: readonly StreamMappingDef[],
    dynamoEndpoint: string,
    private readonly lambda: LambdaEmulator,
    private readonly options: StreamPollerOptions,
  ) {
    this.client = new DynamoDBStreamsClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    this.states = mappings.map((def) => ({ def, shards: new Map(), describe: true }));
  }

  /** Finds each mapping's stream and positions it (LATEST: from now on; TRIM_HORIZON: from the stream's oldest record). */
  async start(): Promise<void> {
    for (const state of this.states) await this.refreshShards(state);
  }

  /** One round: every mapping reads what its shards hold and runs its batches. True if any record was read. */
  async pollOnce(): Promise<boolean> {
    let read = false;
    for (const state of this.states) {
      if (state.describe) await this.refreshShards(state);
      for (const [shardId, shard] of state.shards) {
        if (shard.done) continue;
        const records = await this.read(state, shard);
        if (records.length === 0) continue;
        read = true;
        await this.deliver(state.def, shardId, records);
      }
    }
    return read;
  }

  stop(): void {
    this.client.destroy();
  }

  private async refreshShards(state: MappingState): Promise<void> {
    state.localStreamArn ??= (await this.client.send(new ListStreamsCommand({ TableName: state.def.tableName }))).Streams?.[0]?.StreamArn;
    if (!state.localStreamArn) throw new Error(`Table ${state.def.tableName} has no stream, but ${state.def.functionLogicalId} is mapped to it`);
    let start: string | undefined;
    do {
      const page = await this.client.send(new DescribeStreamCommand({ StreamArn: state.localStreamArn, ExclusiveStartShardId: start }));
      for (const shard of page.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || state.shards.has(shard.ShardId)) continue;
        // A shard found after the first (a child of a closed one) is read from its start.
        const type = state.shards.size === 0 ? state.def.startingPosition : 'TRIM_HORIZON';
        state.shards.set(shard.ShardId, { iterator: await this.iterator(state, shard.ShardId, type), done: false });
      }
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    state.describe = false;
  }

  private async iterator(state: MappingState, shardId: string, type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER', after?: string): Promise<string | undefined> {
    const result = await this.client.send(
      new GetShardIteratorCommand({ StreamArn: state.localStreamArn, ShardId: shardId, ShardIteratorType: type, ...(after ? { SequenceNumber: after } : {}) }),
    );
    return result.ShardIterator;
  }

  private async read(state: MappingState, shard: Shard): Promise<StreamRecord[]> {
    if (!shard.iterator) {
      shard.done = true;
      state.describe = true;
      return [];
    }
    let result: GetRecordsCommandOutput;
    try {
      result = await this.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator }));
    } catch (error) {
      // An iterator lives 15 minutes (a run idle longer), and DynamoDB Local's iterator taken on a shard still empty
      // reads as trimmed once records arrive: a new one is taken where the shard was left, and read at once.
      if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
      const shardId = [...state.shards].find(([, s]) => s === shard)?.[0] ?? '';
      shard.iterator = await this.iterator(state, shardId, shard.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON', shard.lastSequenceNumber);
      if (!shard.iterator) return [];
      result = await this.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator }));
    }
    shard.iterator = result.NextShardIterator;
    const records = result.Records ?? [];
    shard.lastSequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequenceNumber;
    return records;
  }

  /** The records as the function receives them, those the filters match, in batches of the batch size, in order. */
  private async deliver(def: StreamMappingDef, shardId: string, records: StreamRecord[]): Promise<void> {
    const shaped = records.map((r) => this.shape(def, r)).filter((r) => def.filters.length === 0 || def.filters.some((f) => matchesPattern(f, r)));
    for (let i = 0; i < shaped.length; i += def.batchSize) {
      const retries = def.maximumRetryAttempts < 0 ? LOCAL_RETRY_CAP : def.maximumRetryAttempts;
      await this.runBatch(def, shardId, shaped.slice(i, i + def.batchSize), retries);
    }
  }

  private shape(def: StreamMappingDef, record: StreamRecord): LambdaStreamRecord {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      eventSourceARN: def.streamArn,
      dynamodb: {
        ...record.dynamodb,
        ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      },
    };
  }

  /** One batch to its end: done, retried (from the reported record, or bisected), or its position kept on the on-failure destination. */
  private async runBatch(def: StreamMappingDef, shardId: string, batch: LambdaStreamRecord[], retriesLeft: number): Promise<void> {
    let failedFrom: number;
    let threw = false;
    try {
      const response = (await this.lambda.invoke(def.functionLogicalId, { Records: batch })) as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | undefined;
      const reported = def.reportsItemFailures ? (response?.batchItemFailures ?? []) : [];
      if (reported.length === 0) return;
      // Lambda retries from the lowest sequence number reported; one it cannot find fails the whole batch.
      const indexes = reported.map((f) => batch.findIndex((r) => r.dynamodb.SequenceNumber === f.itemIdentifier));
      failedFrom = indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
    } catch {
      failedFrom = 0;
      threw = true;
    }
    const rest = batch.slice(failedFrom);
    if (retriesLeft <= 0) return this.keepFailure(def, shardId, rest);
    if (threw && def.bisectOnError && rest.length > 1) {
      const half = Math.ceil(rest.length / 2);
      await this.runBatch(def, shardId, rest.slice(0, half), retriesLeft - 1);
      await this.runBatch(def, shardId, rest.slice(half), retriesLeft - 1);
      return;
    }
    await this.runBatch(def, shardId, rest, retriesLeft - 1);
  }

  /** What Lambda sends a stream mapping's on-failure destination: the batch's place in the stream, never its records. */
  private async keepFailure(def: StreamMappingDef, shardId: string, batch: LambdaStreamRecord[]): Promise<void> {
    const line = `${def.functionLogicalId}: a batch of ${batch.length} stream record(s) failed every retry`;
    const destination = def.onFailure;
    if (!destination || !(await this.options.mayDeliverFailure(def.functionLogicalId, destination))) {
      this.options.onFailure(`${line}: dropped`);
      return;
    }
    const arrival = (r: LambdaStreamRecord | undefined) =>
      new Date(Number((r?.dynamodb as { ApproximateCreationDateTime?: number } | undefined)?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    const record = {
      version: '1.0',
      timestamp: this.options.now().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `${this.options.functionArn(def.functionLogicalId)}:$LATEST`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: def.maximumRetryAttempts + 1,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: batch[0]?.dynamodb.SequenceNumber,
        endSequenceNumber: batch.at(-1)?.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(batch[0]),
        approximateArrivalOfLastRecord: arrival(batch.at(-1)),
        batchSize: batch.length,
        streamArn: def.streamArn,
      },
    };
    this.options.deliverFailure(destination, JSON.stringify(record));
    this.options.onFailure(`${line}: kept on ${destination}`);
  }
}
