/** What a caller of LocalSystem.start (tests, the CLI, the benchmarks, the cost model) can choose. */
import type { SmsGateway } from './function-code.ts';
import type { Instrumentation } from './emulators/instrumentation.ts';
import type { EmailOutboxLine, OutboxLine } from './emulators/outbox.ts';
import type { PublishedLine } from './emulators/published.ts';
import type { CfnTemplate } from './template.ts';

export interface LocalSystemOptions {
  /** Use a running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Prefix for table names, so several systems can share one DynamoDB Local. */
  tablePrefix?: string;
  /** Compresses queue waits (visibility timeouts, backoff): 0.001 turns a minute into 60 ms. */
  timeScale?: number;
  /** CDK context overrides, e.g. `{ 'bhxh:smsPartsPerSecond': 100 }`. */
  context?: Record<string, unknown>;
  /** Powertools log level for the handlers (default SILENT: the local run prints its own summary). */
  logLevel?: string;
  /** Called for every SMS handed to the outbox. */
  onSms?: (line: OutboxLine) => void;
  /** Called for every e-mail handed to the outbox. */
  onEmail?: (line: EmailOutboxLine) => void;
  /** Called for every event one of the system's own functions publishes on the bus and the bus accepts (`--published`). */
  onPublished?: (line: PublishedLine) => void;
  /** SMS gateway to use instead of the outbox (fault tests wrap the outbox with failures). */
  gateway?: (outbox: SmsGateway) => SmsGateway;
  /** Fire the stack's recurring schedules (campaign runs) as the clock passes them (default true). */
  recurringSchedules?: boolean;
  /**
   * 'outbox' (default): the sender writes to the outbox. 'sns': the sender's own SNS
   * code runs, and the caller intercepts SNS (tests do, with aws-sdk-client-mock).
   */
  sms?: 'outbox' | 'sns';
  /**
   * The outbox answers each SMS with a `delivered` receipt through the stack's
   * delivery-status subscription, as SNS would (default true).
   */
  receipts?: boolean;
  /**
   * Create the tables' streams and run the functions mapped on them (default true). Only the benchmarks turn them
   * off: DynamoDB Local describes a table's stream on every write to it, a cost that grows with the records the
   * stream holds (a 100,000-row campaign's send, jstack: the SQLite thread at 100 % in getStreamDescription), which
   * DynamoDB does not have; a benchmark that does not measure the stream would measure DynamoDB Local instead.
   */
  tableStreams?: boolean;
  /** Called after every function invocation with the function's source entry and its duration (the same as `instrumentation.onInvoke`). */
  onInvoke?: (entry: string, ms: number) => void;
  /** Hooks the emulators call as they work: what the cost model counts. */
  instrumentation?: Instrumentation;
  /** Run this template (an assembly's, or a test's variant) instead of synthesizing the stack. */
  template?: CfnTemplate;
  /** Tests only: stand-in handlers by entry (e.g. a page step that only pages, to reach a quota quickly). */
  handlerOverrides?: Readonly<Record<string, (event: unknown, context: unknown) => Promise<unknown>>>;
}
