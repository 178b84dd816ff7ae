/**
 * Event source mappings: the pollers that take messages off a queue and hand
 * them to a function in batches, as Lambda's SQS integration does. Up to the
 * mapping's maximum concurrency batches run at once; with
 * ReportBatchItemFailures only the reported messages stay on the queue, and a
 * handler that throws leaves the whole batch to come back after its
 * visibility timeout.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LOCAL_REGION } from '../dynamodb-local.ts';
import type { LambdaEmulator } from './lambda.ts';
import type { MappingDef } from './definitions.ts';
import type { LocalMessage, LocalQueue, QueueEmulator } from './queues.ts';

interface Mapping {
  queue: LocalQueue;
  functionLogicalId: string;
  batchSize: number;
  reportsItemFailures: boolean;
  maxConcurrency: number;
}

export class QueuePollers {
  private readonly mappings: Mapping[];

  constructor(
    mappings: MappingDef[],
    private readonly queues: QueueEmulator,
    private readonly lambda: LambdaEmulator,
  ) {
    this.mappings = mappings.map(({ queueArn, ...m }) => ({ ...m, queue: queues.get(queueArn) }));
  }

  /** True if some queue with a consumer holds messages (visible or not). */
  get busy(): boolean {
    return this.mappings.some((m) => m.queue.messages.length > 0);
  }

  /**
   * One round: every mapping whose queue holds messages polls once and runs its
   * batches. `ran` is false if no message was visible; `wait` then says how many
   * milliseconds until one on those queues is (0 if none is waiting any more).
   */
  async pollOnce(): Promise<{ ran: boolean; wait: number }> {
    const busy = this.mappings.filter((m) => m.queue.messages.length > 0);
    const ran = (await Promise.all(busy.map((m) => this.pump(m)))).some(Boolean);
    return { ran, wait: ran ? 0 : Math.min(...busy.map((m) => m.queue.nextVisibleIn() ?? 0)) };
  }

  private async pump(mapping: Mapping): Promise<boolean> {
    const batches: LocalMessage[][] = [];
    for (let i = 0; i < mapping.maxConcurrency; i++) {
      const batch = mapping.queue.receive(mapping.batchSize);
      if (batch.length === 0) break;
      this.queues.report(mapping.queue, 'ReceiveMessage', batch.length);
      batches.push(batch);
    }
    await Promise.all(batches.map((batch) => this.invokeWithBatch(mapping, batch)));
    return batches.length > 0;
  }

  private async invokeWithBatch(mapping: Mapping, batch: LocalMessage[]): Promise<void> {
    const event: SQSEvent = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: Object.fromEntries(
          Object.entries(m.messageAttributes).map(([k, v]) => [k, { dataType: v.DataType ?? 'String', stringValue: v.StringValue, stringListValues: [], binaryListValues: [] }]),
        ),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: mapping.queue.arn,
        awsRegion: LOCAL_REGION,
      })),
    };
    let failed = new Set(batch.map((m) => m.messageId));
    try {
      const response = (await this.lambda.invoke(mapping.functionLogicalId, event)) as SQSBatchResponse | undefined;
      failed = mapping.reportsItemFailures ? new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier)) : new Set();
    } catch {
      // A thrown handler fails the whole batch, as in Lambda; the messages come back after their visibility timeout.
    }
    const handled = batch.filter((m) => !failed.has(m.messageId));
    if (handled.length > 0) this.queues.report(mapping.queue, 'DeleteMessageBatch', handled.length);
    for (const message of handled) mapping.queue.delete(message.receiptHandle);
  }
}
