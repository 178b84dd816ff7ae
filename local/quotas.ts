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
 *
 * This file holds QuotaError, the measures every check shares, and the quotas
 * of the messaging services (SQS, EventBridge, EventBridge Scheduler). Step
 * Functions' execution quotas are in local/step-functions-quotas.ts and
 * Lambda's in local/lambda-quotas.ts, apart because other code enforces them
 * (the state machine emulator; the template checks).
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

/**
 * A name's length within an API model's constraint (1 to `max` characters): otherwise the `ValidationException`
 * AWS answers a broken model constraint with. Returns the length.
 */
export function checkNameLength(name: string, max: number): number {
  const length = codePoints(name);
  if (length < 1 || length > max) {
    const constraint = length < 1 ? 'have length greater than or equal to 1' : `have length less than or equal to ${max}`;
    throw new QuotaError('ValidationException', validationMessage(name, 'name', constraint), max, length);
  }
  return length;
}

/** A schedule name Scheduler accepts: 1-64 of `0-9 a-z A-Z - _ .`; otherwise `ValidationException`, as CreateSchedule documents. */
export function checkScheduleName(name: string): void {
  const length = checkNameLength(name, SCHEDULER_QUOTAS.maxScheduleNameLength);
  if (!/^[0-9a-zA-Z\-_.]+$/.test(name)) {
    throw new QuotaError(
      'ValidationException',
      validationMessage(name, 'name', 'satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$'),
      SCHEDULER_QUOTAS.maxScheduleNameLength,
      length,
    );
  }
}
