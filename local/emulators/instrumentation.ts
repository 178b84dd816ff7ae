/**
 * What the emulators report as they work, for whoever counts (the cost model,
 * benchmarks). Every callback is optional and is called synchronously at the
 * point where AWS would bill or log the thing; none changes what the emulator
 * does, except `onLog`, which takes the handlers' log lines instead of stdout.
 */

/** The SQS requests the local run makes or serves. */
export type QueueAction =
  /** One message sent: by a handler (SDK), a rule target, or a schedule target. */
  | 'SendMessage'
  /** One SendMessageBatch request of `messages` entries. */
  | 'SendMessageBatch'
  /** A receive that returned `messages` messages: an event source mapping's poll, or the ops CLI's. Empty polls are not reported. */
  | 'ReceiveMessage'
  /** An event source mapping deleting the `messages` messages its function handled. */
  | 'DeleteMessageBatch'
  | 'DeleteMessage'
  | 'ChangeMessageVisibility'
  | 'GetQueueAttributes';

export interface Instrumentation {
  /** After every function invocation: the function's source entry and how long its handler ran, in ms (the import of a cold container excluded). */
  onInvoke?(entry: string, ms: number): void;
  /** Every SQS request, with the queue's logical id and the number of messages it carried. */
  onQueueRequest?(queue: string, action: QueueAction, messages: number): void;
  /** Every event the bus accepted (the EventBridge event as the rules see it), before it is routed. */
  onBusEvent?(event: Record<string, unknown>): void;
  /** A Step Functions execution started; `execution` is its name. */
  onExecutionStarted?(stateMachine: string, execution: string): void;
  /** Every event of an execution's history (`StateEntered` events are the billed transitions). */
  onExecutionEvent?(stateMachine: string, execution: string, event: { type: string }): void;
  /** An EventBridge Scheduler schedule fired: a one-time schedule, or a tick of one of the stack's recurring ones. */
  onSchedulerInvocation?(schedule: string, kind: 'one-time' | 'recurring'): void;
  /**
   * Every line the handlers' logger writes (with its newline), and the entry of the
   * function that wrote it. When given, the lines go here and not to stdout/stderr.
   */
  onLog?(entry: string, line: string): void;
}
