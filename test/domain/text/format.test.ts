/**
 * Vietnamese formats (SPEC rules 7 and 8): `.` as the thousands separator,
 * dates dd/mm/yyyy and months mm/yyyy in Asia/Ho_Chi_Minh (UTC+7, no daylight
 * saving), and the salutation that follows gender.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatAmount, formatDate, formatMonth, formatPercent, formatTime, nextMonth, salutation } from '../../../lambdas/domain/text/format.ts';

describe('formatAmount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1.000'],
    [10_000_000, '10.000.000'],
    [11_967_526_000, '11.967.526.000'],
    [-214_541_737, '-214.541.737'],
    [Number.MAX_SAFE_INTEGER, '9.007.199.254.740.991'],
  ])('writes %i đồng as %s', (amount, expected) => {
    // Act
    const text = formatAmount(amount);

    // Assess
    expect(text).toBe(expected);
  });

  it.each([10.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])('refuses %d, which is not a whole number of VND', (amount) => {
    // Act
    const format = () => formatAmount(amount);

    // Assess
    expect(format).toThrow(`amount must be a whole number of VND, got ${amount}`);
  });

  it('groups the digits by three from the right, and nothing else (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (amount) => {
        // Act
        const text = formatAmount(amount);

        // Assess
        expect(text).toMatch(/^-?\d{1,3}(\.\d{3})*$/);
        expect(Number(text.replaceAll('.', ''))).toBe(amount);
      }),
    );
  });
});

describe('formatDate', () => {
  it.each([
    ['2018-12-06', '06/12/2018'],
    ['2019-01-05', '05/01/2019'],
    // A calendar date is printed digit for digit, never rolled over by a Date
    ['2018-02-30', '30/02/2018'],
  ])('takes the calendar date %s as it is: %s', (value, expected) => {
    // Act
    const text = formatDate(value);

    // Assess
    expect(text).toBe(expected);
  });

  it.each([
    // 20:00 UTC is already the next day in Vietnam
    ['2018-12-05T20:00:00Z', '06/12/2018'],
    ['2018-12-05T16:59:59Z', '05/12/2018'],
    ['2018-12-05T17:00:00Z', '06/12/2018'],
    ['2019-01-05T08:00:00+07:00', '05/01/2019'],
    ['2018-12-31T23:30:00+07:00', '31/12/2018'],
  ])('reads the timestamp %s in Vietnam time: %s', (value, expected) => {
    // Act
    const fromString = formatDate(value);
    const fromDate = formatDate(new Date(value));

    // Assess
    expect(fromString).toBe(expected);
    expect(fromDate).toBe(expected);
  });

  it('refuses what is not a date, quoting it', () => {
    // Act
    const fromText = () => formatDate('ngày mai');
    const fromDate = () => formatDate(new Date(Number.NaN));
    const prefixed = () => formatDate('x2018-12-06');

    // Assess
    expect(fromText).toThrow('not a date: ngày mai');
    expect(fromDate).toThrow('not a date: Invalid Date');
    expect(prefixed).toThrow('not a date: x2018-12-06');
  });
});

describe('formatTime', () => {
  it.each([
    ['2018-12-03T08:59:00+07:00', '08:59'],
    ['2018-12-03T01:59:00Z', '08:59'],
    ['2018-12-03T17:05:00Z', '00:05'],
    ['2018-12-03T14:30:00Z', '21:30'],
  ])('writes %s as %s, Vietnam time', (value, expected) => {
    // Act
    const fromString = formatTime(value);
    const fromDate = formatTime(new Date(value));

    // Assess
    expect(fromString).toBe(expected);
    expect(fromDate).toBe(expected);
  });
});

describe('formatMonth', () => {
  it.each([
    ['2018-11', '11/2018'],
    ['2019-05', '05/2019'],
  ])('writes %s as %s', (month, expected) => {
    // Act
    const text = formatMonth(month);

    // Assess
    expect(text).toBe(expected);
  });

  it.each(['2018-11-05', '12018-11', 'tháng 2018-11', '11/2018', ''])('refuses %j, which is not a month YYYY-MM', (month) => {
    // Act
    const format = () => formatMonth(month);

    // Assess
    expect(format).toThrow(`not a month YYYY-MM: ${month}`);
  });
});

describe('nextMonth', () => {
  it.each([
    ['2019-05', '2019-06'],
    ['2019-09', '2019-10'],
    ['2019-11', '2019-12'],
    ['2018-12', '2019-01'],
  ])('follows %s with %s', (month, expected) => {
    // Act
    const next = nextMonth(month);

    // Assess
    expect(next).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [0.72, '72%'],
    [0, '0%'],
    [1, '100%'],
    [0.725, '73%'],
    [0.724, '72%'],
  ])('writes the rate %d as %s', (rate, expected) => {
    // Act
    const text = formatPercent(rate);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('salutation', () => {
  it.each([
    ['male', 'Ông'],
    ['female', 'Bà'],
    [null, 'Ông/Bà'],
    [undefined, 'Ông/Bà'],
  ] as const)('addresses %s as %s', (gender, expected) => {
    // Act
    const text = salutation(gender);

    // Assess
    expect(text).toBe(expected);
  });
});
