/**
 * AWS service quotas the local run enforces, as pure functions: no emulator
 * state, nothing but the value checked and the figure AWS documents. Each
 * check throws a `QuotaError` whose `name` is the error code AWS gives (an SDK
 * exception name such as `InvalidParameterValue`, or a Step Functions error
 * name such as `States.DataLimitExceeded`), so code written against AWS
 * branches on it as it would there.
 *
 * Figures were read from the AWS documentation named beside each one and, for
 * the 2025-2026 payload increases, from the API documentation of the SDK
 * clients this project installs (@aws-sdk/client-sqs and client-eventbridge
 * 3.11xx), which carry the service's own model text. Where AWS does not
 * document the exact error, the comment says what was chosen and why.
 */

/** An AWS quota exceeded: `name` is the AWS error code, `limit` and `actual` are in the quota's unit (bytes, events, characters…). */
export class QuotaError extends Error {
  constructor(
    code: string,
    message: string,
    readonly limit: number,
    readonly actual: number,
  ) {
    super(message);
    this.name = code;
  }
}

const encoder = new TextEncoder();

/** Bytes of a string in UTF-8, the unit every size quota below is stated in. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

/** Length in Unicode code points (what AWS's model length constraints count), not UTF-16 units. */
const codePoints = (text: string): number => [...text].length;

/** The shape of AWS's model-validation message (Smithy length/pattern constraints), e.g. for a name too long. */
const validationMessage = (value: string, member: string, constraint: string) =>
  `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must ${constraint}`;

// ── Step Functions ──────────────────────────────────────────────────────────

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
  const length = codePoints(name);
  if (length < 1 || length > STEP_FUNCTIONS_QUOTAS.maxExecutionNameLength) {
    throw new QuotaError(
      'ValidationException',
      validationMessage(name, 'name', length < 1 ? 'have length greater than or equal to 1' : `have length less than or equal to ${STEP_FUNCTIONS_QUOTAS.maxExecutionNameLength}`),
      STEP_FUNCTIONS_QUOTAS.maxExecutionNameLength,
      length,
    );
  }
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

// ── SQS ─────────────────────────────────────────────────────────────────────

export const SQS_QUOTAS = {
  /**
   * The largest message a queue accepts, and the default of its
   * MaximumMessageSize attribute: 1 MiB since AWS raised it from 256 KiB
   * (August 2025). "The maximum size is 1 MiB or 1,048,576 bytes" (SendMessage,
   * MessageBody) and "MaximumMessageSize… from 1,024 bytes (1 KiB) to
   * 1,048,576 bytes (1 MiB). Default: 1,048,576 bytes (1 MiB)" (CreateQueue),
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html ("SendMessage")
   * as carried by @aws-sdk/client-sqs; https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
   * ("Amazon SQS message quotas"). A queue created with a smaller
   * MaximumMessageSize enforces that instead: pass it to checkMessageSize.
   */
  maxMessageBytes: 1_048_576,
  /**
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
   * ("Amazon SQS policy quotas"): Bytes 8,192; Conditions 10; Principals 50;
   * Statements 20; Actions per statement 7.
   */
  maxPolicyBytes: 8_192,
  maxPolicyStatements: 20,
  maxActionsPerStatement: 7,
} as const;

/** A message attribute as SendMessage takes it (the SDK's MessageAttributeValue, structurally). */
export interface SqsMessageAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array | string;
}

/**
 * A message's size as SQS counts it: "All parts of the message attribute,
 * including Name, Type, and Value, are part of the message size restriction"
 * (MessageAttributeValue, SQS API reference), plus the body, all in UTF-8
 * bytes. Message system attributes (AWSTraceHeader) do not count.
 */
export function sqsMessageSize(body: string, attributes: Record<string, SqsMessageAttribute> = {}): number {
  let size = utf8Bytes(body);
  for (const [name, attribute] of Object.entries(attributes)) {
    size += utf8Bytes(name) + utf8Bytes(attribute.DataType ?? '');
    if (attribute.StringValue !== undefined) size += utf8Bytes(attribute.StringValue);
    if (attribute.BinaryValue !== undefined) size += typeof attribute.BinaryValue === 'string' ? utf8Bytes(attribute.BinaryValue) : attribute.BinaryValue.byteLength;
  }
  return size;
}

/**
 * SendMessage's size check: body plus attributes at most `maxBytes` (the
 * queue's MaximumMessageSize, 1 MiB by default). Over it SQS answers
 * `InvalidParameterValue`, "One or more parameters are invalid. Reason:
 * Message must be shorter than N bytes." (the code and text AWS returns; the
 * API reference lists InvalidParameterValue among SQS's common errors).
 * Exactly `maxBytes` is accepted. Returns the size in bytes.
 */
export function checkMessageSize(body: string, attributes: Record<string, SqsMessageAttribute> = {}, maxBytes: number = SQS_QUOTAS.maxMessageBytes): number {
  const size = sqsMessageSize(body, attributes);
  if (size > maxBytes) {
    throw new QuotaError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${maxBytes} bytes.`, maxBytes, size);
  }
  return size;
}

/**
 * A queue policy against the SQS policy quotas: at most 20 statements, 7
 * actions per statement and 8,192 bytes of JSON (the compact serialization,
 * which is what CloudFormation and the SDK send). `policyDocument` is the
 * document or its JSON text. SetQueueAttributes answers a policy it refuses
 * with `InvalidAttributeValue` ("A queue attribute value is invalid", its API
 * reference), the code chosen here; AddPermission past the statement count
 * answers `OverLimit` instead. Returns the size in bytes.
 */
export function checkQueuePolicy(policyDocument: unknown): number {
  const text = typeof policyDocument === 'string' ? policyDocument : JSON.stringify(policyDocument);
  const bytes = utf8Bytes(text);
  if (bytes > SQS_QUOTAS.maxPolicyBytes) {
    throw new QuotaError(
      'InvalidAttributeValue',
      `Invalid value for the parameter Policy: ${bytes} bytes, over the SQS policy quota of ${SQS_QUOTAS.maxPolicyBytes} bytes.`,
      SQS_QUOTAS.maxPolicyBytes,
      bytes,
    );
  }
  const document = (typeof policyDocument === 'string' ? JSON.parse(policyDocument) : policyDocument) as { Statement?: unknown } | null;
  const statements = document?.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (statements.length > SQS_QUOTAS.maxPolicyStatements) {
    throw new QuotaError(
      'InvalidAttributeValue',
      `Invalid value for the parameter Policy: ${statements.length} statements, over the SQS policy quota of ${SQS_QUOTAS.maxPolicyStatements}.`,
      SQS_QUOTAS.maxPolicyStatements,
      statements.length,
    );
  }
  statements.forEach((statement, index) => {
    const action = (statement as { Action?: unknown } | null)?.Action;
    const actions = action === undefined ? 0 : Array.isArray(action) ? action.length : 1;
    if (actions > SQS_QUOTAS.maxActionsPerStatement) {
      throw new QuotaError(
        'InvalidAttributeValue',
        `Invalid value for the parameter Policy: statement ${index} has ${actions} actions, over the SQS policy quota of ${SQS_QUOTAS.maxActionsPerStatement} per statement.`,
        SQS_QUOTAS.maxActionsPerStatement,
        actions,
      );
    }
  });
  return bytes;
}

// ── EventBridge ─────────────────────────────────────────────────────────────

export const EVENTBRIDGE_QUOTAS = {
  /**
   * PutEvents: "the total entry size must be less than 1MB" (PutEvents API
   * reference as carried by @aws-sdk/client-eventbridge; raised from 256 KB on
   * 29 January 2026, https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb,
   * "More room to build: serverless services now support payloads up to 1 MB").
   * Taken as 1,048,576 bytes, the MiB SQS states in bytes; EventBridge does not
   * give the figure in bytes. "Less than" is read as "at most": a request of
   * exactly the limit passes here.
   */
  maxRequestEntriesBytes: 1_048_576,
  /** PutEvents Entries: "Array Members: Minimum number of 1 item. Maximum number of 10 items." (PutEvents API reference). */
  maxEntriesPerRequest: 10,
  /** "If specified, the Time parameter is 14 bytes." (Calculating PutEvents event entry size.) */
  timeBytes: 14,
} as const;

/** A PutEvents entry, structurally (the SDK's PutEventsRequestEntry). */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  Time?: Date | string | number;
}

/**
 * An entry's size as EventBridge calculates it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html,
 * "Calculating Amazon EventBridge PutEvents event entry size"): Time, if
 * specified, 14 bytes; Source and DetailType, Detail, and each of Resources,
 * their UTF-8 bytes. EventBusName and TraceHeader do not count.
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : EVENTBRIDGE_QUOTAS.timeBytes;
  size += utf8Bytes(entry.Source ?? '') + utf8Bytes(entry.DetailType ?? '') + utf8Bytes(entry.Detail ?? '');
  for (const resource of entry.Resources ?? []) size += utf8Bytes(resource);
  return size;
}

/**
 * A PutEvents request: at most 10 entries, and the entries' sizes together
 * within the limit. AWS fails the whole request, not one entry, with
 * `ValidationException` "Total size of the entries in the request is over the
 * limit." (the message AWS returns; there is no per-entry size ErrorCode among
 * PutEventsResultEntry's documented codes). Returns the total size.
 */
export function checkPutEventsRequest(entries: PutEventsEntry[]): number {
  if (entries.length < 1 || entries.length > EVENTBRIDGE_QUOTAS.maxEntriesPerRequest) {
    throw new QuotaError(
      'ValidationException',
      validationMessage(
        `[${entries.length} entries]`,
        'entries',
        entries.length < 1 ? 'have length greater than or equal to 1' : `have length less than or equal to ${EVENTBRIDGE_QUOTAS.maxEntriesPerRequest}`,
      ),
      EVENTBRIDGE_QUOTAS.maxEntriesPerRequest,
      entries.length,
    );
  }
  const size = entries.reduce((total, entry) => total + putEventsEntrySize(entry), 0);
  if (size > EVENTBRIDGE_QUOTAS.maxRequestEntriesBytes) {
    throw new QuotaError('ValidationException', 'Total size of the entries in the request is over the limit.', EVENTBRIDGE_QUOTAS.maxRequestEntriesBytes, size);
  }
  return size;
}

/** One entry on its own (a one-entry PutEvents request): its size within the limit. Returns the size. */
export function checkPutEventsEntrySize(entry: PutEventsEntry): number {
  return checkPutEventsRequest([entry]);
}

// ── EventBridge Scheduler ───────────────────────────────────────────────────

export const SCHEDULER_QUOTAS = {
  /**
   * CreateSchedule Name: "Length Constraints: Minimum length of 1. Maximum
   * length of 64. Pattern: ^[0-9a-zA-Z-_.]+$"
   * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html, "CreateSchedule").
   */
  maxScheduleNameLength: 64,
} as const;

/** A schedule name Scheduler accepts: 1-64 of `0-9 a-z A-Z - _ .`; otherwise `ValidationException`, as CreateSchedule documents. */
export function checkScheduleName(name: string): void {
  const length = codePoints(name);
  if (length < 1 || length > SCHEDULER_QUOTAS.maxScheduleNameLength) {
    throw new QuotaError(
      'ValidationException',
      validationMessage(name, 'name', length < 1 ? 'have length greater than or equal to 1' : `have length less than or equal to ${SCHEDULER_QUOTAS.maxScheduleNameLength}`),
      SCHEDULER_QUOTAS.maxScheduleNameLength,
      length,
    );
  }
  if (!/^[0-9a-zA-Z\-_.]+$/.test(name)) {
    throw new QuotaError(
      'ValidationException',
      validationMessage(name, 'name', 'satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$'),
      SCHEDULER_QUOTAS.maxScheduleNameLength,
      length,
    );
  }
}

// ── Lambda ──────────────────────────────────────────────────────────────────

export const LAMBDA_QUOTAS = {
  /**
   * "Function environment variables: 4 KB, for all environment variables
   * associated with the function, in aggregate"
   * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html, "Lambda quotas"). A hard quota.
   */
  maxEnvironmentBytes: 4_096,
} as const;

/**
 * The environment's size as Lambda measures it: Lambda's error quotes the
 * "String measured", the variables as compact JSON (`{"KEY":"value",…}`), so
 * names, values, quotes, colons, commas and braces all count, in UTF-8 bytes.
 * (LocalStack measures the same string.) This is a few bytes more per variable
 * than names plus values alone, so it errs on the side AWS errs on.
 */
export function functionEnvironmentSize(variables: Record<string, string>): number {
  return utf8Bytes(JSON.stringify(variables));
}

/**
 * A function's environment within 4 KB; otherwise the deploy fails with
 * `InvalidParameterValueException`, "Lambda was unable to configure your
 * environment variables because the environment variables you have provided
 * exceeded the 4KB limit. String measured: …" (Lambda's message at
 * CreateFunction/UpdateFunctionConfiguration, and so at CloudFormation deploy).
 * Returns the size in bytes.
 */
export function checkFunctionEnvironment(variables: Record<string, string>): number {
  const size = functionEnvironmentSize(variables);
  if (size > LAMBDA_QUOTAS.maxEnvironmentBytes) {
    throw new QuotaError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(variables)}`,
      LAMBDA_QUOTAS.maxEnvironmentBytes,
      size,
    );
  }
  return size;
}
