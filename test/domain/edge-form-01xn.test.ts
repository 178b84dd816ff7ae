/**
 * Form 01-XN and CSV injection (OWASP "CSV Injection"): a cell that starts
 * with `=`, `+`, `-`, `@`, a tab or a carriage return is written as text, a
 * single quote before it, inside quotes, so that Excel does not evaluate it.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, form01Xn, type Confirmation } from '../../lambdas/domain/form-01xn.ts';

const confirmation = (over: Partial<Confirmation>): Confirmation => ({
  collectorDay: 'TC0101#2026-11-30',
  confirmationCode: 'XN001',
  personId: '0110129425',
  fullName: 'Nguyễn Văn An',
  paidAt: '2026-11-30T09:00:00+07:00',
  amount: 1_000_000,
  scheme: 'voluntary-social',
  months: 3,
  ...over,
});

describe('form01Xn and formulas', () => {
  it('writes a name that is a HYPERLINK formula as text', () => {
    // Act
    const csv = form01Xn([confirmation({ fullName: '=HYPERLINK("http://x","y")' })]);

    // Assess: the row's name cell is quoted, its inner quotes doubled, and starts with '
    const row = csv.slice(1).split('\r\n')[1]!;
    expect(row).toBe(`1,XN001,"'=HYPERLINK(""http://x"",""y"")",0110129425,30/11/2026,1000000,BHXH tự nguyện,3`);
  });

  it('writes a confirmation code that starts with a dash as text', () => {
    const csv = form01Xn([confirmation({ confirmationCode: '-2+3' })]);

    expect(csv.slice(1).split('\r\n')[1]).toMatch(/^1,"'-2\+3",/);
  });

  it.each([
    ['=', '=1+1', `"'=1+1"`],
    ['+', '+84912345678', `"'+84912345678"`],
    ['-', '-2+3', `"'-2+3"`],
    ['@', '@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['a tab', '\t=1+1', `"'\t=1+1"`],
    ['a carriage return', '\r=1+1', `"'\r=1+1"`],
  ])('escapes a cell that starts with %s', (_label, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['a plain name', 'Nguyễn Văn An', 'Nguyễn Văn An'],
    ['a name with a comma', 'An, Văn', '"An, Văn"'],
    ['a name with a quote', 'An "Bé"', '"An ""Bé"""'],
    ['a formula sign inside, not at the start', 'A=B', 'A=B'],
    ['an empty cell', '', ''],
  ])('leaves %s as it was', (_label, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as numbers, a negative one included', () => {
    expect(csvCell(1_650_000)).toBe('1650000');
    expect(csvCell(-5)).toBe('-5');
  });
});
