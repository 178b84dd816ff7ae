/**
 * SPEC rule 11: ordering between updates uses a time the producer cannot push
 * into the future. An event dated more than 5 minutes after its arrival is
 * quarantined (`future-time`); the rest are ordered by the earlier of their
 * time and their arrival.
 */
import { describe, expect, it } from 'vitest';
import { DetailType } from '../../lambdas/domain/catalogue.ts';
import { orderingTime, parseCatalogueEvent } from '../../lambdas/domain/event-parser.ts';
import { MAX_FUTURE_MINUTES } from '../../lambdas/domain/schema-fields.ts';
import { envelope, sampleDetails } from '../support/events.ts';

const ARRIVAL = new Date('2018-12-03T02:00:00Z');
const contactAt = (time: string) => parseCatalogueEvent(envelope(DetailType.ContactUpdated, sampleDetails.ContactUpdated, { time }), { receivedAt: ARRIVAL });

describe('an event dated after its arrival', () => {
  it(`is taken up to ${MAX_FUTURE_MINUTES} minutes ahead (clock skew)`, () => {
    expect(contactAt('2018-12-03T02:05:00Z')).toMatchObject({ ok: true });
    expect(contactAt('2018-12-03T09:04:59+07:00')).toMatchObject({ ok: true });
  });

  it('is quarantined as future-time beyond that, naming time', () => {
    expect(contactAt('2018-12-03T02:05:01Z')).toEqual({
      ok: false,
      reason: 'future-time',
      errors: ["time: 2018-12-03T02:05:01Z is more than 5 minutes after the event's arrival (2018-12-03T02:00:00.000Z); an event cannot be dated in the future"],
    });
    expect(contactAt('2099-01-01T00:00:00Z')).toMatchObject({ ok: false, reason: 'future-time' });
  });

  it('is not checked without an arrival (the parser alone, as the JSON Schema tests use it)', () => {
    expect(parseCatalogueEvent(envelope(DetailType.ContactUpdated, sampleDetails.ContactUpdated, { time: '2099-01-01T00:00:00Z' }))).toMatchObject({ ok: true });
  });

  it('is not an event when its time is no timestamp', () => {
    expect(contactAt('tomorrow')).toEqual({ ok: false, reason: 'not-an-event', errors: ['time: must be a timestamp, e.g. 2018-12-03T02:00:00Z'] });
  });
});

describe('orderingTime', () => {
  it('is the event time when the event arrives after it (the usual case, late deliveries included)', () => {
    expect(orderingTime('2018-12-03T08:00:00+07:00', ARRIVAL)).toBe('2018-12-03T01:00:00.000Z');
  });

  it('is the arrival when the event is dated after it', () => {
    expect(orderingTime('2018-12-03T02:04:00Z', ARRIVAL)).toBe('2018-12-03T02:00:00.000Z');
    expect(orderingTime('2099-01-01T00:00:00Z', ARRIVAL)).toBe('2018-12-03T02:00:00.000Z');
  });
});

describe('a shorter one-time code lifetime (bhxh:otpMaxLifetimeMinutes)', () => {
  const otp = (expiresAt: string) => ({
    version: '0',
    id: 'otp-1',
    'detail-type': 'OtpIssued',
    source: 'vn.gov.bhxh.dvc',
    time: '2026-12-01T09:00:00+07:00',
    detail: { personId: '0113096123', purpose: 'device-login', code: '482913', expiresAt },
  });
  const receivedAt = new Date('2026-12-01T09:00:00+07:00');

  it('refuses a 10-minute code when the stack allows 5, and names the configured lifetime', () => {
    // Act
    const parsed = parseCatalogueEvent(otp('2026-12-01T09:10:00+07:00'), { receivedAt, otpMaxLifetimeMinutes: 5 });

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors).toEqual([expect.stringMatching(/^detail\.expiresAt: is more than 5 minutes after the code was issued/)]);
  });

  it('never allows more than 15 minutes, whatever is configured', () => {
    expect(parseCatalogueEvent(otp('2026-12-01T09:20:00+07:00'), { receivedAt, otpMaxLifetimeMinutes: 60 }).ok).toBe(false);
    expect(parseCatalogueEvent(otp('2026-12-01T09:15:00+07:00'), { receivedAt, otpMaxLifetimeMinutes: 60 }).ok).toBe(true);
  });
});
