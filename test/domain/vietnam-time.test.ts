/**
 * Quiet hours (SPEC rule 6): non-urgent messages go between 07:00 and 21:00
 * Asia/Ho_Chi_Minh; one due outside that window waits for the next window.
 * `quietUntil` is the rule; these tests pin both ends of the window and the
 * calendar day the next window opens on.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quietUntil, vietnamLocalDateTime } from '../../lambdas/domain/vietnam-time.ts';

const WINDOW = { start: '07:00', end: '21:00' };
const vn = (localTime: string) => new Date(`${localTime}+07:00`);
/** When a message due at `localTime` (Vietnam) may go, as Vietnam wall-clock time; undefined if it may go at once. */
const releasedAt = (localTime: string) => {
  const until = quietUntil(vn(localTime), WINDOW);
  return until && vietnamLocalDateTime(until);
};

describe('quiet hours: the end of the window', () => {
  it('is quiet from 21:00:00 exactly: the message waits for 07:00 the next day', () => {
    // Act
    const released = releasedAt('2019-08-01T21:00:00');

    // Assess
    expect(released).toBe('2019-08-02T07:00:00');
  });

  it('is not quiet at 20:59:59: the message goes at once', () => {
    expect(releasedAt('2019-08-01T20:59:59')).toBeUndefined();
  });
});

describe('quiet hours: the start of the window', () => {
  it('is quiet until 06:59:59 and open from 07:00:00 exactly', () => {
    expect(releasedAt('2019-08-02T06:59:59')).toBe('2019-08-02T07:00:00');
    expect(releasedAt('2019-08-02T07:00:00')).toBeUndefined();
  });
});

describe('quiet hours: the day the next window opens', () => {
  it.each([
    ['22:30 in the evening: 07:00 the next Vietnam day', '2019-08-01T22:30:00', '2019-08-02T07:00:00'],
    ['06:30 in the morning: 07:00 the same day', '2019-08-02T06:30:00', '2019-08-02T07:00:00'],
    // 00:30 in Vietnam is still the previous day in UTC (17:30Z): the day must be Vietnam's
    ['00:30 after midnight: 07:00 the same Vietnam day', '2019-08-02T00:30:00', '2019-08-02T07:00:00'],
    ['31 December 22:00: 1 January 07:00 of the next year', '2019-12-31T22:00:00', '2020-01-01T07:00:00'],
    ['31 December 23:59:59: 1 January 07:00 of the next year', '2019-12-31T23:59:59', '2020-01-01T07:00:00'],
    ['31 January 21:00: 1 February', '2019-01-31T21:00:00', '2019-02-01T07:00:00'],
    ['28 February of a common year: 1 March', '2019-02-28T22:00:00', '2019-03-01T07:00:00'],
    ['28 February of a leap year: 29 February', '2020-02-28T22:00:00', '2020-02-29T07:00:00'],
    ['29 February of a leap year: 1 March', '2020-02-29T22:00:00', '2020-03-01T07:00:00'],
  ])('%s', (_, due, release) => {
    expect(releasedAt(due)).toBe(release);
  });

  it('always releases at 07:00 Vietnam time, after the due time and at most 10 hours later; never holds a message due in the window (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        const local = vietnamLocalDateTime(at).slice(11);
        const until = quietUntil(at, WINDOW);
        if (local >= '07:00:00' && local < '21:00:00') {
          expect(until).toBeUndefined();
        } else {
          expect(until && vietnamLocalDateTime(until).slice(11)).toBe('07:00:00');
          expect(until!.getTime()).toBeGreaterThan(at.getTime());
          // 21:00 to 07:00 is the longest wait
          expect(until!.getTime() - at.getTime()).toBeLessThanOrEqual(10 * 3600_000);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
