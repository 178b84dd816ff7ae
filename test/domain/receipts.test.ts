/**
 * Delivery receipts: one line of the SNS delivery-status log becomes
 * `delivered`, `temporary-failure` (worth another try later) or
 * `permanent-failure` (final for that number), with the carrier's words,
 * the price and the time SNS logged it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseReceipt } from '../../lambdas/domain/receipts.ts';

/** A log line as SNS writes it to `sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]`. */
const logLine = (over: { status?: string; providerResponse?: string; priceInUSD?: unknown; timestamp?: string; messageId?: unknown } = {}) =>
  JSON.stringify({
    notification: { messageId: 'messageId' in over ? over.messageId : '34e1e5f6-cf2c-5f5b-9a4a-3b1d0c5b6d2e', timestamp: over.timestamp ?? '2018-12-03T02:00:00.000Z' },
    delivery: {
      mnc: 4,
      mcc: 452,
      destination: '+84912345678',
      priceInUSD: 'priceInUSD' in over ? over.priceInUSD : 0.0473,
      smsType: 'Transactional',
      providerResponse: over.providerResponse ?? 'Message has been accepted by phone carrier',
      dwellTimeMs: 1200,
    },
    status: over.status ?? 'SUCCESS',
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('parseReceipt: a successful delivery', () => {
  it('is delivered, with the provider id, the carrier response, the price and the time SNS logged it', () => {
    // Act
    const receipt = parseReceipt(logLine());

    // Assess
    expect(receipt).toEqual({
      providerMessageId: '34e1e5f6-cf2c-5f5b-9a4a-3b1d0c5b6d2e',
      status: 'delivered',
      providerResponse: 'Message has been accepted by phone carrier',
      priceInUSD: 0.0473,
      at: '2018-12-03T02:00:00.000Z',
    });
  });

  it('is delivered whatever the carrier wrote: the status decides', () => {
    expect(parseReceipt(logLine({ status: 'SUCCESS', providerResponse: 'Phone is currently unreachable/unavailable' }))?.status).toBe('delivered');
  });
});

describe('parseReceipt: a failure', () => {
  it.each([
    'Phone is currently unreachable/unavailable',
    'Phone carrier is currently unreachable/unavailable',
    'Unknown error attempting to reach phone',
    'Temporary failure',
    'Temporarily unavailable',
    'Throttled by carrier',
    'TTL expired',
    'Message expired',
    'Request timed out',
    'Connection timeout',
    'time out waiting for carrier',
    'No response from phone carrier',
    'Queue full',
    'Carrier network is down',
    'carrier returned an error',
    'PHONE IS CURRENTLY UNREACHABLE',
  ])('%j is temporary: another try later may reach the phone', (providerResponse) => {
    expect(parseReceipt(logLine({ status: 'FAILURE', providerResponse }))).toMatchObject({ status: 'temporary-failure', providerResponse });
  });

  it.each([
    'Phone carrier has blocked this message',
    'Phone has blocked SMS',
    'Phone is on a blocked list',
    'This phone number is opted out',
    'Invalid phone number',
    'This delivery would exceed max price',
    'Carrier rejected the destination',
  ])('%j is permanent: the number will not take this message', (providerResponse) => {
    expect(parseReceipt(logLine({ status: 'FAILURE', providerResponse }))).toMatchObject({ status: 'permanent-failure', providerResponse });
  });

  it('is permanent when the carrier said nothing, and the response is recorded empty', () => {
    // Prepare
    const line = JSON.stringify({ notification: { messageId: 'm-1', timestamp: '2018-12-03T02:00:00.000Z' }, status: 'FAILURE' });

    // Act
    const receipt = parseReceipt(line);

    // Assess
    expect(receipt).toEqual({ providerMessageId: 'm-1', status: 'permanent-failure', providerResponse: '', at: '2018-12-03T02:00:00.000Z' });
  });
});

describe('parseReceipt: the price', () => {
  it('reads a price written as text', () => {
    expect(parseReceipt(logLine({ priceInUSD: '0.00645' }))?.priceInUSD).toBe(0.00645);
  });

  it.each([
    ['absent', undefined],
    ['not a number', 'n/a'],
  ])('leaves the price out when it is %s', (_, priceInUSD) => {
    // Act
    const receipt = parseReceipt(logLine({ priceInUSD }));

    // Assess
    expect(receipt).toBeDefined();
    expect(receipt).not.toHaveProperty('priceInUSD');
  });
});

describe('parseReceipt: the time', () => {
  it('is the time SNS logged the notification, as an ISO instant', () => {
    expect(parseReceipt(logLine({ timestamp: '2026-12-01T09:30:15.250+07:00' }))?.at).toBe('2026-12-01T02:30:15.250Z');
  });

  it('is the time of reading when SNS gave none', () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-12-01T02:00:00.000Z') });
    const line = JSON.stringify({ notification: { messageId: 'm-1' }, status: 'SUCCESS' });

    // Act
    const receipt = parseReceipt(line);

    // Assess
    expect(receipt?.at).toBe('2026-12-01T02:00:00.000Z');
  });
});

describe('parseReceipt: lines that are not receipts', () => {
  it.each([
    ['text', 'START RequestId: 1234'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['an object without a notification', '{"status":"SUCCESS"}'],
    ['a notification without a message id', '{"notification":{"timestamp":"2018-12-03T02:00:00.000Z"},"status":"SUCCESS"}'],
  ])('%s is not a receipt', (_, line) => {
    expect(parseReceipt(line)).toBeUndefined();
  });

  it('a message id that is not text is not a receipt', () => {
    expect(parseReceipt(logLine({ messageId: 12345 }))).toBeUndefined();
  });
});
