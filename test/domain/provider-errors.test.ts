/**
 * Provider errors: whether a failed hand-over to the SMS provider is worth
 * another try (throttling, 5xx, network trouble, our own configuration) or is
 * final for this message (invalid number, opted out, bad parameter); how long
 * the queue waits before the next try; and what is recorded about the error,
 * without the phone number the provider echoes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffSeconds, describeProviderError, isRetryable } from '../../lambdas/domain/provider-errors.ts';

/** An error shaped as the AWS SDK throws it. */
const sdkError = (name: string, httpStatusCode?: number, message = 'failed', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...(httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } }), ...extra });

describe('backoffSeconds: exponential, through the queue', () => {
  it.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [4, 40],
    [5, 80],
    [8, 640],
  ])('waits %i → %i seconds', (receiveCount, seconds) => {
    expect(backoffSeconds(receiveCount)).toBe(seconds);
  });

  it('never waits more than 15 minutes', () => {
    expect(backoffSeconds(9)).toBe(900);
    expect(backoffSeconds(50)).toBe(900);
  });

  it('waits the first interval for a count below one', () => {
    expect(backoffSeconds(0)).toBe(5);
    expect(backoffSeconds(-3)).toBe(5);
  });

  it('never shrinks as the count grows, and stays within 5 s – 15 min (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 200 }), (n) => {
        expect(backoffSeconds(n + 1)).toBeGreaterThanOrEqual(backoffSeconds(n));
        expect(backoffSeconds(n)).toBeGreaterThanOrEqual(5);
        expect(backoffSeconds(n)).toBeLessThanOrEqual(900);
      }),
    );
  });
});

describe('isRetryable: worth another try', () => {
  it.each([
    ['throttling', sdkError('ThrottlingException', 400)],
    ['throttled (SNS)', sdkError('ThrottledException', 400)],
    ['too many requests', sdkError('TooManyRequestsException', 400)],
    ['an internal error', sdkError('InternalErrorException', 400)],
    ['service unavailable', sdkError('ServiceUnavailableException', 400)],
    ['a timeout', sdkError('TimeoutError', 400)],
    ['KMS, our configuration', sdkError('KMSAccessDeniedException', 400)],
    ['authorization, our configuration', sdkError('AuthorizationErrorException', 403)],
    ['a networking error', sdkError('NetworkingError', 400)],
    ['a refused connection', sdkError('ECONNREFUSED', 400)],
    ['a hung-up socket', sdkError('SocketHangUp', 400)],
  ])('%s', (_, error) => {
    expect(isRetryable(error)).toBe(true);
  });

  it.each([500, 502, 503, 599])('any HTTP %i from the provider', (status) => {
    expect(isRetryable(sdkError('InvalidParameterException', status))).toBe(true);
  });

  it('HTTP 429', () => {
    expect(isRetryable(sdkError('InvalidParameterException', 429))).toBe(true);
  });

  it('an error the SDK itself marks retryable', () => {
    expect(isRetryable(sdkError('InvalidParameterException', 400, 'failed', { $retryable: { throttling: false } }))).toBe(true);
  });

  it('an error with no HTTP answer at all (the network, a crash)', () => {
    expect(isRetryable(new Error('socket closed'))).toBe(true);
    expect(isRetryable(sdkError('InvalidParameterException'))).toBe(true);
    expect(isRetryable(null)).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
  });
});

describe('isRetryable: final for this message', () => {
  it.each([
    ['an invalid parameter (the number)', sdkError('InvalidParameterException', 400)],
    ['an invalid parameter value', sdkError('InvalidParameterValueException', 400)],
    ['an opted-out number', sdkError('OptedOutException', 400)],
    ['a missing resource', sdkError('NotFoundException', 404)],
    ['a 4xx just below the 5xx range', sdkError('ValidationException', 499)],
    ['a 4xx without a name', { $metadata: { httpStatusCode: 400 } }],
  ])('%s', (_, error) => {
    expect(isRetryable(error)).toBe(false);
  });

  it('an error the SDK marks not retryable', () => {
    expect(isRetryable(sdkError('InvalidParameterException', 400, 'failed', { $retryable: undefined }))).toBe(false);
  });
});

describe('describeProviderError: what the ledger records', () => {
  it('names the error, its HTTP status and its message, with the number masked', () => {
    // Prepare
    const error = sdkError('InvalidParameterException', 400, 'Invalid parameter: PhoneNumber Reason: +84912345678 is not valid to publish');

    // Act
    const text = describeProviderError(error);

    // Assess
    expect(text).toBe('InvalidParameterException (HTTP 400): Invalid parameter: PhoneNumber Reason: ***678 is not valid to publish');
  });

  it('leaves the status out when there was no HTTP answer', () => {
    expect(describeProviderError(sdkError('TimeoutError', undefined, 'Connection timed out after 1000 ms'))).toBe('TimeoutError: Connection timed out after 1000 ms');
  });

  it('calls a nameless error "Error" and shows what was thrown when it has no message', () => {
    expect(describeProviderError('socket hang up')).toBe('Error: socket hang up');
    expect(describeProviderError(null)).toBe('Error: null');
    expect(describeProviderError({ $metadata: { httpStatusCode: 503 } })).toBe('Error (HTTP 503): [object Object]');
  });

  it('keeps at most 500 characters', () => {
    // Prepare
    const error = sdkError('InternalErrorException', 500, 'x'.repeat(2000));

    // Act
    const text = describeProviderError(error);

    // Assess
    expect(text).toHaveLength(500);
    expect(text.startsWith('InternalErrorException (HTTP 500): xxx')).toBe(true);
  });

  it('masks a number even when the text is cut (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[35789]\d{8}$/), fc.string({ maxLength: 600 }), (n, filler) => {
        const text = describeProviderError(sdkError('InvalidParameterException', 400, `${filler} +84${n}`));
        expect(text).not.toContain(n);
        expect(text.length).toBeLessThanOrEqual(500);
      }),
    );
  });
});
