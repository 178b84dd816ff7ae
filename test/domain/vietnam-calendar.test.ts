/**
 * Calendar arithmetic in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight
 * saving; SPEC rule 7: dates and months are Vietnam's). Near midnight the
 * Vietnam day is not the UTC day: these tests pin the instants where they differ.
 * Quiet hours (`quietUntil`) have their own file, vietnam-time.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  dayOfNextMonth,
  sameDayMonthsLater,
  toMinutes,
  VIETNAM_OFFSET_MS,
  VIETNAM_TIME_ZONE,
  vietnamDate,
  vietnamInstant,
  vietnamLocalDateTime,
  vietnamMinutes,
  vietnamMonth,
  vietnamWallClock,
} from '../../lambdas/domain/vietnam-time.ts';

/** What the IANA time zone database says the Vietnam wall clock reads, `YYYY-MM-DDTHH:MM:SS`. */
const ianaVietnam = (at: Date) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
};

describe('the Vietnam time zone', () => {
  it('is Asia/Ho_Chi_Minh, seven hours ahead of UTC', () => {
    expect(VIETNAM_TIME_ZONE).toBe('Asia/Ho_Chi_Minh');
    expect(VIETNAM_OFFSET_MS).toBe(7 * 3_600_000);
  });

  it('reads the wall clock as the time zone database does, for any instant since 1976 (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1976-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (at) => {
        expect(vietnamLocalDateTime(at)).toBe(ianaVietnam(at));
        expect(vietnamWallClock(at).toISOString().slice(0, 19)).toBe(ianaVietnam(at));
      }),
    );
  });
});

describe('vietnamDate / vietnamMonth / vietnamLocalDateTime', () => {
  it('is the same day as UTC during most of the day', () => {
    const at = new Date('2026-12-01T02:00:00Z'); // 09:00 in Vietnam
    expect(vietnamDate(at)).toBe('2026-12-01');
    expect(vietnamMonth(at)).toBe('2026-12');
    expect(vietnamLocalDateTime(at)).toBe('2026-12-01T09:00:00');
  });

  it('is already the next day, month and year from 17:00 UTC', () => {
    const at = new Date('2026-12-31T17:00:00Z'); // 00:00 on 1 January 2027 in Vietnam
    expect(vietnamDate(at)).toBe('2027-01-01');
    expect(vietnamMonth(at)).toBe('2027-01');
    expect(vietnamLocalDateTime(at)).toBe('2027-01-01T00:00:00');
  });

  it('is still the same day at 16:59:59 UTC', () => {
    const at = new Date('2026-12-31T16:59:59Z');
    expect(vietnamDate(at)).toBe('2026-12-31');
    expect(vietnamMonth(at)).toBe('2026-12');
    expect(vietnamLocalDateTime(at)).toBe('2026-12-31T23:59:59');
  });
});

describe('vietnamMinutes', () => {
  it.each([
    ['2026-12-01T00:00:00+07:00', 0],
    ['2026-12-01T07:00:00+07:00', 420],
    ['2026-12-01T20:59:59+07:00', 1259],
    ['2026-12-01T21:00:00+07:00', 1260],
    ['2026-12-01T23:59:59+07:00', 1439],
  ])('%s is minute %i of the Vietnam day', (at, minutes) => {
    expect(vietnamMinutes(new Date(at))).toBe(minutes);
  });
});

describe('vietnamInstant', () => {
  it('is the instant of HH:MM Vietnam time on a date', () => {
    expect(vietnamInstant('2019-08-02', '07:00').toISOString()).toBe('2019-08-02T00:00:00.000Z');
    expect(vietnamInstant('2019-08-02', '00:30').toISOString()).toBe('2019-08-01T17:30:00.000Z');
    expect(vietnamInstant('2019-08-02', '21:00').toISOString()).toBe('2019-08-02T14:00:00.000Z');
  });

  it('reads back as the same date and time (property)', () => {
    const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(day, hhmm, (date, time) => {
        const at = vietnamInstant(date, time);
        expect(vietnamLocalDateTime(at)).toBe(`${date}T${time}:00`);
        expect(vietnamMinutes(at)).toBe(toMinutes(time));
      }),
    );
  });
});

describe('addDays', () => {
  it.each([
    ['2026-12-01', 1, '2026-12-02'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2019-02-28', 1, '2019-03-01'],
    ['2020-02-28', 1, '2020-02-29'],
    ['2026-11-01', 30, '2026-12-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-12-01', 0, '2026-12-01'],
  ])('%s + %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('dayOfNextMonth', () => {
  it.each([
    // SPEC: facility summary on day 6, statement on day 1 of the next month
    ['2019-05', 6, '2019-06-06'],
    ['2019-05', 1, '2019-06-01'],
    ['2019-08', 1, '2019-09-01'],
    ['2019-09', 15, '2019-10-15'],
    ['2019-11', 6, '2019-12-06'],
    ['2019-12', 1, '2020-01-01'],
    ['2019-12', 6, '2020-01-06'],
  ])('day of the month after %s: %s', (month, day, expected) => {
    expect(dayOfNextMonth(month, day)).toBe(expected);
  });
});

describe('sameDayMonthsLater', () => {
  it('is 08:00 Vietnam time on the same day of the month', () => {
    // Prepare: PasswordChanged at 15:20 on 10 May; the reminder comes 6 months later
    const from = new Date('2026-05-10T15:20:00+07:00');

    // Act
    const at = sameDayMonthsLater(from, 6);

    // Assess
    expect(at.toISOString()).toBe('2026-11-10T01:00:00.000Z');
    expect(vietnamLocalDateTime(at)).toBe('2026-11-10T08:00:00');
  });

  it('takes the day in Vietnam, not in UTC', () => {
    // 00:30 on 1 June in Vietnam is still 31 May in UTC
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-06-01T00:30:00+07:00'), 6))).toBe('2026-12-01T08:00:00');
    // 23:30 on 31 May in Vietnam
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-05-31T23:30:00+07:00'), 1))).toBe('2026-06-30T08:00:00');
  });

  it('crosses into the next year', () => {
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-08-15T10:00:00+07:00'), 6))).toBe('2027-02-15T08:00:00');
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-12-15T10:00:00+07:00'), 1))).toBe('2027-01-15T08:00:00');
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-01-15T10:00:00+07:00'), 30))).toBe('2028-07-15T08:00:00');
  });

  it("clamps to the month's last day", () => {
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-08-31T10:00:00+07:00'), 6))).toBe('2027-02-28T08:00:00');
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2027-08-31T10:00:00+07:00'), 6))).toBe('2028-02-29T08:00:00');
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-03-31T10:00:00+07:00'), 1))).toBe('2026-04-30T08:00:00');
  });

  it('goes back in time for a negative count', () => {
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-01-15T10:00:00+07:00'), -1))).toBe('2025-12-15T08:00:00');
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-03-31T10:00:00+07:00'), -13))).toBe('2025-02-28T08:00:00');
  });

  it('is the same day at 08:00 for zero months', () => {
    expect(vietnamLocalDateTime(sameDayMonthsLater(new Date('2026-05-10T23:59:00+07:00'), 0))).toBe('2026-05-10T08:00:00');
  });
});

describe('toMinutes', () => {
  it.each([
    ['00:00', 0],
    ['07:00', 420],
    ['07:05', 425],
    ['21:30', 1290],
    ['23:59', 1439],
  ])('%s is minute %i of the day', (hhmm, minutes) => {
    expect(toMinutes(hhmm)).toBe(minutes);
  });
});
