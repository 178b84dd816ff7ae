/**
 * The AWS quotas of local/quotas.ts, step-functions-quotas.ts and
 * lambda-quotas.ts at each boundary: exactly at the quota passes, one over
 * fails with the error AWS names.
 */
import { describe, expect, it } from 'vitest';
import { checkFunctionEnvironment, functionEnvironmentSize, LAMBDA_QUOTAS } from '../../local/lambda-quotas.ts';
import {
  checkMessageSize,
  checkPutEventsEntrySize,
  checkPutEventsRequest,
  checkQueuePolicy,
  checkScheduleName,
  EVENTBRIDGE_QUOTAS,
  putEventsEntrySize,
  QuotaError,
  SCHEDULER_QUOTAS,
  SQS_QUOTAS,
  sqsMessageSize,
} from '../../local/quotas.ts';
import {
  checkExecutionName,
  checkLoggableExecutionName,
  checkStatePayload,
  HistoryCounter,
  mapIterationsCountTowardParent,
  STEP_FUNCTIONS_QUOTAS,
} from '../../local/step-functions-quotas.ts';

/** The error `fn` throws (the test fails if it throws none). */
function thrown(fn: () => unknown): QuotaError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(QuotaError);
    return error as QuotaError;
  }
  throw new Error('expected a QuotaError, nothing was thrown');
}

describe('Step Functions', () => {
  it('has the documented figures', () => {
    expect(STEP_FUNCTIONS_QUOTAS).toEqual({ maxHistoryEvents: 25_000, maxPayloadBytes: 262_144, maxExecutionNameLength: 80 });
  });

  it('accepts an execution name of 1 to 80 characters; an empty or 81-character one is a ValidationException', () => {
    expect(() => checkExecutionName('a')).not.toThrow();
    expect(() => checkExecutionName('a'.repeat(80))).not.toThrow();
    expect(thrown(() => checkExecutionName('a'.repeat(81)))).toMatchObject({ name: 'ValidationException', limit: 80, actual: 81 });
    expect(thrown(() => checkExecutionName('')).name).toBe('ValidationException');
  });

  it.each([
    ' ',
    '\t',
    '<',
    '>',
    '{',
    '}',
    '[',
    ']',
    '?',
    '*',
    '"',
    '#',
    '%',
    '\\',
    '^',
    '|',
    '~',
    '`',
    '$',
    '&',
    ',',
    ';',
    ':',
    '/',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u009f',
    '\ufffe',
    '\ud800',
  ])('refuses %j in an execution name with InvalidName', (character) => {
    const error = thrown(() => checkExecutionName(`dossier${character}1`));
    expect(error.name).toBe('InvalidName');
    expect(error.message).toBe(`Invalid Name: 'dossier${character}1'`);
  });

  it('accepts names CloudWatch Logs cannot track, with a warning; clean names have none', () => {
    expect(checkLoggableExecutionName('HS-2026_000123')).toBeUndefined();
    expect(checkLoggableExecutionName('reminder-2026-12-06')).toBeUndefined();
    expect(checkLoggableExecutionName('hồ-sơ.1')).toContain('CloudWatch Logs');
    expect(thrown(() => checkLoggableExecutionName('a/b')).name).toBe('InvalidName');
  });

  it('takes a payload of 262,144 UTF-8 bytes; one byte more is States.DataLimitExceeded', () => {
    expect(checkStatePayload('x'.repeat(262_144), 'Plan the run')).toBe(262_144);
    const error = thrown(() => checkStatePayload('x'.repeat(262_145), 'Plan the run'));
    expect(error).toMatchObject({ name: 'States.DataLimitExceeded', limit: 262_144, actual: 262_145 });
    expect(error.message).toContain("'Plan the run'");
  });

  it('measures a payload in UTF-8 bytes, serializing a value as JSON', () => {
    // 'ệ' is 3 bytes: 87,381 of them and one ASCII byte are 262,144 bytes in 87,382 characters.
    expect(checkStatePayload(`${'ệ'.repeat(87_381)}x`, 'T')).toBe(262_144);
    expect(thrown(() => checkStatePayload(`${'ệ'.repeat(87_381)}xy`, 'T')).actual).toBe(262_145);
    expect(checkStatePayload({ a: 'ệ' }, 'T')).toBe('{"a":"ệ"}'.length + 2);
  });

  it('lets event 25,000 be ExecutionSucceeded, and fails the execution with States.Runtime if it is anything else', () => {
    // Prepare
    const succeeding = new HistoryCounter();
    const failing = new HistoryCounter();
    for (let i = 1; i < 25_000; i++) {
      succeeding.record('TaskStateEntered');
      failing.record('TaskStateEntered');
    }

    // Act
    succeeding.record('ExecutionSucceeded');
    const error = thrown(() => failing.record('TaskStateExited'));

    // Assert
    expect(succeeding.count).toBe(25_000);
    expect(error).toMatchObject({ name: 'States.Runtime', message: 'The execution reached the maximum number of history events (25000).', limit: 25_000 });
    expect(failing.count).toBe(25_000);
    expect(thrown(() => failing.record('ExecutionSucceeded')).name).toBe('States.Runtime');
  });

  it('counts an Inline Map’s iterations in the parent’s history, not a Distributed Map’s', () => {
    expect(mapIterationsCountTowardParent('INLINE')).toBe(true);
    expect(mapIterationsCountTowardParent()).toBe(true);
    expect(mapIterationsCountTowardParent('DISTRIBUTED')).toBe(false);
  });
});

describe('SQS', () => {
  it('takes a message of 1 MiB (1,048,576 bytes, the default MaximumMessageSize); one byte more is InvalidParameterValue', () => {
    expect(SQS_QUOTAS.maxMessageBytes).toBe(1_048_576);
    expect(checkMessageSize('x'.repeat(1_048_576))).toBe(1_048_576);
    const error = thrown(() => checkMessageSize('x'.repeat(1_048_577)));
    expect(error).toMatchObject({ name: 'InvalidParameterValue', limit: 1_048_576, actual: 1_048_577 });
    expect(error.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.');
  });

  it('counts each attribute’s name, type and value with the body', () => {
    // Prepare: 'k' + 'String' + 'v' = 8 bytes.
    const attributes = { k: { DataType: 'String', StringValue: 'v' } };

    // Assert
    expect(sqsMessageSize('body', attributes)).toBe(12);
    expect(sqsMessageSize('', { bin: { DataType: 'Binary', BinaryValue: new Uint8Array(5) } })).toBe(3 + 6 + 5);
    expect(checkMessageSize('x'.repeat(1_048_568), attributes)).toBe(1_048_576);
    expect(thrown(() => checkMessageSize('x'.repeat(1_048_569), attributes)).name).toBe('InvalidParameterValue');
  });

  it('enforces a queue’s smaller MaximumMessageSize when given one', () => {
    expect(checkMessageSize('x'.repeat(262_144), {}, 262_144)).toBe(262_144);
    expect(thrown(() => checkMessageSize('x'.repeat(262_145), {}, 262_144)).message).toContain('shorter than 262144 bytes');
  });

  const statement = (i: number) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*' });

  it('takes a queue policy of 20 statements; 21 is InvalidAttributeValue', () => {
    expect(() => checkQueuePolicy({ Version: '2012-10-17', Statement: Array.from({ length: 20 }, (_, i) => statement(i)) })).not.toThrow();
    const error = thrown(() => checkQueuePolicy({ Version: '2012-10-17', Statement: Array.from({ length: 21 }, (_, i) => statement(i)) }));
    expect(error).toMatchObject({ name: 'InvalidAttributeValue', limit: 20, actual: 21 });
  });

  it('takes a queue policy of 8,192 bytes of JSON; 8,193 is InvalidAttributeValue', () => {
    // Prepare: a policy whose compact JSON is exactly n bytes.
    const policyOf = (n: number) => {
      const empty = JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement(0), Sid: '' }] });
      return { Version: '2012-10-17', Statement: [{ ...statement(0), Sid: 'x'.repeat(n - empty.length) }] };
    };

    // Assert
    expect(checkQueuePolicy(policyOf(8_192))).toBe(8_192);
    expect(checkQueuePolicy(JSON.stringify(policyOf(8_192)))).toBe(8_192);
    expect(thrown(() => checkQueuePolicy(policyOf(8_193)))).toMatchObject({ name: 'InvalidAttributeValue', limit: 8_192, actual: 8_193 });
  });

  it('takes 7 actions in a statement; 8 is InvalidAttributeValue', () => {
    const withActions = (n: number) => ({ Statement: [{ ...statement(0), Action: Array.from({ length: n }, (_, i) => `sqs:Action${i}`) }] });
    expect(() => checkQueuePolicy(withActions(7))).not.toThrow();
    expect(thrown(() => checkQueuePolicy(withActions(8)))).toMatchObject({ name: 'InvalidAttributeValue', limit: 7, actual: 8 });
  });
});

describe('EventBridge', () => {
  it('sizes an entry as AWS documents: Time 14 bytes, Source, DetailType, Detail and each resource in UTF-8', () => {
    const entry = { Time: new Date(), Source: 'vn.gov.bhxh', DetailType: 'X', Detail: '{}', Resources: ['r1', 'ệ'], EventBusName: 'not counted' };
    expect(putEventsEntrySize(entry)).toBe(14 + 11 + 1 + 2 + 2 + 3);
    expect(putEventsEntrySize({ Source: 's', DetailType: 'd' })).toBe(2);
  });

  it('takes entries of 1 MB (1,048,576 bytes) in a request; one byte more fails the request with ValidationException', () => {
    // Prepare: Source 's' and DetailType 'd' are 2 bytes.
    const entryOf = (bytes: number) => ({ Source: 's', DetailType: 'd', Detail: 'x'.repeat(bytes - 2) });

    // Assert
    expect(EVENTBRIDGE_QUOTAS.maxRequestEntriesBytes).toBe(1_048_576);
    expect(checkPutEventsEntrySize(entryOf(1_048_576))).toBe(1_048_576);
    const error = thrown(() => checkPutEventsEntrySize(entryOf(1_048_577)));
    expect(error).toMatchObject({ name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.', actual: 1_048_577 });
    expect(thrown(() => checkPutEventsRequest([entryOf(524_289), entryOf(524_288)])).actual).toBe(1_048_577);
  });

  it('takes 10 entries in a request; 11 is a ValidationException', () => {
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };
    expect(checkPutEventsRequest(Array.from({ length: 10 }, () => entry))).toBe(40);
    expect(thrown(() => checkPutEventsRequest(Array.from({ length: 11 }, () => entry)))).toMatchObject({ name: 'ValidationException', limit: 10, actual: 11 });
  });
});

describe('EventBridge Scheduler', () => {
  it('takes a schedule name of 64 characters of [0-9a-zA-Z-_.]; 65, none or another character is a ValidationException', () => {
    expect(SCHEDULER_QUOTAS.maxScheduleNameLength).toBe(64);
    expect(() => checkScheduleName('a'.repeat(64))).not.toThrow();
    expect(() => checkScheduleName('dossier-HS.2026_001')).not.toThrow();
    expect(thrown(() => checkScheduleName('a'.repeat(65)))).toMatchObject({ name: 'ValidationException', limit: 64, actual: 65 });
    expect(thrown(() => checkScheduleName('')).name).toBe('ValidationException');
    expect(thrown(() => checkScheduleName('dossier:1')).message).toContain('regular expression pattern');
    expect(thrown(() => checkScheduleName('hồ-sơ')).name).toBe('ValidationException');
  });
});

describe('Lambda', () => {
  it('measures the environment as Lambda does: the variables as compact JSON, in UTF-8 bytes', () => {
    expect(functionEnvironmentSize({})).toBe(2);
    expect(functionEnvironmentSize({ A: 'b', C: 'ệ' })).toBe('{"A":"b","C":"ệ"}'.length + 2);
  });

  it('takes 4 KB (4,096 bytes) of environment; one byte more is InvalidParameterValueException', () => {
    // Prepare: {"A":""} is 8 bytes.
    const environmentOf = (bytes: number) => ({ A: 'x'.repeat(bytes - 8) });

    // Assert
    expect(LAMBDA_QUOTAS.maxEnvironmentBytes).toBe(4_096);
    expect(checkFunctionEnvironment(environmentOf(4_096))).toBe(4_096);
    const error = thrown(() => checkFunctionEnvironment(environmentOf(4_097)));
    expect(error).toMatchObject({ name: 'InvalidParameterValueException', limit: 4_096, actual: 4_097 });
    expect(error.message).toMatch(
      /^Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit\. String measured: \{"A":"x+"\}$/,
    );
  });
});
