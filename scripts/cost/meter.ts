/**
 * The meter: counts what the local run uses while a window is open, through
 * the emulators' instrumentation hooks (LocalSystemOptions.instrumentation),
 * and DynamoDB's capacity units as DynamoDB Local reports them (bench/requests.ts).
 */
import type { Instrumentation, LocalSystem, QueueAction } from '../../local/runtime.ts';
import { countDynamoRequests, since, snapshot, type RequestCount } from '../../bench/requests.ts';

export interface Usage {
  sms: number;
  parts: number;
  lambdaInvocations: number;
  lambdaMs: number;
  transitions: number;
  sfnHistoryEvents: number;
  readUnits: number;
  writeUnits: number;
  sqsRequests: number;
  events: number;
  schedulerInvocations: number;
  logBytes: number;
  executions: number;
}

/**
 * The SQS requests that are billed per message: every SendMessage, and per
 * batch an event source mapping handles, its poll and its batch delete.
 */
const BILLED_QUEUE_ACTIONS = new Set<QueueAction>(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessageBatch']);

type Counts = Omit<Usage, 'sms' | 'parts' | 'readUnits' | 'writeUnits'>;

const zero = (): Counts => ({
  lambdaInvocations: 0,
  lambdaMs: 0,
  transitions: 0,
  sfnHistoryEvents: 0,
  sqsRequests: 0,
  events: 0,
  schedulerInvocations: 0,
  logBytes: 0,
  executions: 0,
});

export class Meter {
  private counts: Counts | undefined;
  /** Executions started in the open window: only their history is the window's. */
  private readonly started = new Set<string>();
  private dynamoBefore: RequestCount | undefined;
  private outboxBefore = 0;

  /** The hooks to start the local system with; logs are counted, never printed. */
  readonly instrumentation: Instrumentation = {
    onInvoke: (_entry, ms) => {
      if (!this.counts) return;
      this.counts.lambdaInvocations += 1;
      this.counts.lambdaMs += Math.max(1, ms);
    },
    onQueueRequest: (_queue, action) => {
      if (this.counts && BILLED_QUEUE_ACTIONS.has(action)) this.counts.sqsRequests += 1;
    },
    onBusEvent: () => {
      if (this.counts) this.counts.events += 1;
    },
    onExecutionStarted: (stateMachine, execution) => {
      if (!this.counts) return;
      this.started.add(`${stateMachine}:${execution}`);
      this.counts.executions += 1;
    },
    onExecutionEvent: (stateMachine, execution, event) => {
      if (!this.counts || !this.started.has(`${stateMachine}:${execution}`)) return;
      this.counts.sfnHistoryEvents += 1;
      if (event.type === 'StateEntered') this.counts.transitions += 1;
    },
    onSchedulerInvocation: () => {
      if (this.counts) this.counts.schedulerInvocations += 1;
    },
    onLog: (_entry, line) => {
      if (this.counts) this.counts.logBytes += Buffer.byteLength(line);
    },
  };

  constructor() {
    countDynamoRequests();
  }

  /** Opens a window: what the system uses from now on is counted. */
  start(system: LocalSystem): void {
    this.counts = zero();
    this.started.clear();
    this.dynamoBefore = snapshot();
    this.outboxBefore = system.outbox.length;
  }

  /** Closes the window and returns what was used in it. */
  stop(system: LocalSystem): Usage {
    if (!this.counts || !this.dynamoBefore) throw new Error('The meter was not started');
    const counts = this.counts;
    const dynamo = since(this.dynamoBefore);
    this.counts = undefined;
    const sent = system.outbox.slice(this.outboxBefore);
    return { ...counts, sms: sent.length, parts: sent.reduce((n, l) => n + l.segments, 0), readUnits: dynamo.readUnits, writeUnits: dynamo.writeUnits };
  }
}
