/**
 * Step Functions' quotas on an execution, as pure functions like the rest of
 * local/quotas.ts: its name, the size of each state's payload and the number
 * of events in its history. Separate because only the state machine emulator
 * (local/emulators/step-functions.ts, history.ts) enforces them.
 */
import { checkNameLength, QuotaError, utf8Bytes } from './quotas.ts';

export const STEP_FUNCTIONS_QUOTAS = {
  /**
   * Standard workflows: "Maximum execution history size: 25,000 events. If the
   * execution history reaches this quota, the execution will fail."
   * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html ("Step Functions service quotas"),
   * https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html ("Avoid reaching the history quota").
   */
  maxHistoryEvents: 25_000,
  /**
   * "Maximum input or output size for a task, state, or execution: 262,144 bytes
   * of data as a UTF-8 encoded string." (Step Functions service quotas, above.)
   * Not raised by the January 2026 1 MB increase, which covered Lambda
   * asynchronous invocations, SQS and EventBridge only.
   */
  maxPayloadBytes: 262_144,
  /** "Names of state machines, executions, and activity tasks must not exceed 80 characters" (Step Functions service quotas, "General quotas"). */
  maxExecutionNameLength: 80,
} as const;

/**
 * Characters an execution name must not contain, from the StartExecution API
 * reference and "Step Functions service quotas" (General quotas): whitespace,
 * brackets `< > { } [ ]`, wildcards `? *`, specials `" # % \ ^ | ~ \` $ & , ; : /`,
 * control characters U+0000-001F and U+007F-009F, U+FFFE-FFFF, and (the SDK's
 * model text adds) surrogates, which a JavaScript string can hold unpaired.
 * "Whitespace" is read as JavaScript's `\s`.
 */
const FORBIDDEN_IN_NAMES = new Set([...'<>{}[]?*"#%\\^|~`$&,;:/']);

/** The first character of `name` that Step Functions forbids in names, if any. */
function forbiddenCharacter(name: string): string | undefined {
  for (const character of name) {
    const code = character.codePointAt(0) ?? 0;
    const control = code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0xfffe || code === 0xffff;
    const surrogate = code >= 0xd800 && code <= 0xdfff;
    if (control || surrogate || FORBIDDEN_IN_NAMES.has(character) || /\s/u.test(character)) return character;
  }
  return undefined;
}

/**
 * StartExecution's name rules. A name with a forbidden character fails with
 * `InvalidName` ("Invalid Name: '…'"), as the SFN API reference lists for
 * StartExecution. An empty or over-80-character name breaks the API model's
 * length constraint (1-80), which AWS reports as a `ValidationException`
 * ("1 validation error detected…"); that is our reading of how AWS answers
 * model constraints (moto does the same), AWS does not document it for SFN.
 */
export function checkExecutionName(name: string): void {
  const length = checkNameLength(name, STEP_FUNCTIONS_QUOTAS.maxExecutionNameLength);
  if (forbiddenCharacter(name) !== undefined) throw new QuotaError('InvalidName', `Invalid Name: '${name}'`, STEP_FUNCTIONS_QUOTAS.maxExecutionNameLength, length);
}

/**
 * Step Functions accepts any name `checkExecutionName` accepts, but "to enable
 * logging with CloudWatch Logs, the name should only contain 0-9, A-Z, a-z, -
 * and _" (StartExecution API reference, name). AWS does not reject the others,
 * so neither does this: it throws what checkExecutionName throws, and returns a
 * warning (undefined when the name is clean) for a name CloudWatch Logs cannot
 * track. Callers decide whether a warning fails their test.
 */
export function checkLoggableExecutionName(name: string): string | undefined {
  checkExecutionName(name);
  if (/^[0-9A-Za-z_-]+$/.test(name)) return undefined;
  return `Execution name '${name}' has characters other than 0-9 A-Z a-z - _: Step Functions accepts it, but CloudWatch Logs logging does not work with it`;
}

/**
 * A state's input or output, a task's result or an execution's input: at most
 * 262,144 bytes of UTF-8. Over it, the state fails with `States.DataLimitExceeded`,
 * a terminal error `States.ALL` does not catch
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
 * "Handling errors in Step Functions workflows"). `json` is the serialized
 * payload, or a value to serialize as Step Functions would (JSON); `where`
 * names the state or task for the cause. Returns the size in bytes.
 */
export function checkStatePayload(json: string | unknown, where: string): number {
  const text = typeof json === 'string' ? json : (JSON.stringify(json) ?? 'null');
  const bytes = utf8Bytes(text);
  if (bytes > STEP_FUNCTIONS_QUOTAS.maxPayloadBytes) {
    throw new QuotaError(
      'States.DataLimitExceeded',
      `The state/task '${where}' returned a result with a size exceeding the maximum number of bytes service limit (${bytes} > ${STEP_FUNCTIONS_QUOTAS.maxPayloadBytes} bytes).`,
      STEP_FUNCTIONS_QUOTAS.maxPayloadBytes,
      bytes,
    );
  }
  return bytes;
}

/**
 * Whether a Map state's iterations add their events to the execution's own
 * history: Inline Map yes ("Step Functions adds the execution history of these
 * iterations to the parent workflow's execution history",
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html,
 * "Using Map state in Inline mode in Step Functions workflows"); Distributed
 * Map no, each iteration is a child execution with its own history.
 */
export function mapIterationsCountTowardParent(mode: 'INLINE' | 'DISTRIBUTED' = 'INLINE'): boolean {
  return mode === 'INLINE';
}

/**
 * Counts one execution's history events and fails it as AWS does. From "Avoid
 * reaching the history quota": "When an execution reaches 24,999 events, it
 * waits for the next event to happen. If the event number 25,000 is
 * ExecutionSucceeded, the execution finishes successfully. If [it] isn't,
 * the ExecutionFailed event is logged and the state machine execution fails".
 * The failure AWS records is error `States.Runtime`, cause "The execution
 * reached the maximum number of history events (25000)." (as AWS reports it in
 * the execution's ExecutionFailed event; the cause text is not in the guide).
 *
 * So: events 1 to 24,999 are recorded; event 25,000 may only be
 * ExecutionSucceeded; anything else in its place throws States.Runtime (that
 * failure is itself event 25,000). Record an Inline Map's iteration events on
 * the parent's counter (see mapIterationsCountTowardParent).
 */
export class HistoryCounter {
  private events = 0;

  constructor(readonly limit: number = STEP_FUNCTIONS_QUOTAS.maxHistoryEvents) {}

  /** Events recorded so far. */
  get count(): number {
    return this.events;
  }

  /** Records one event of the given history event type (TaskStateEntered, ExecutionSucceeded…). */
  record(type: string): void {
    const next = this.events + 1;
    if (next < this.limit || (next === this.limit && type === 'ExecutionSucceeded')) {
      this.events = next;
      return;
    }
    this.events = this.limit;
    throw new QuotaError('States.Runtime', `The execution reached the maximum number of history events (${this.limit}).`, this.limit, next);
  }
}
