/**
 * Form 01-XN (seed 004): a collector's confirmations of one day as CSV, one
 * row per confirmation in order of payment, then the total; UTF-8 with a BOM
 * and CRLF line ends so that Excel shows the Vietnamese.
 */
import { describe, expect, it } from 'vitest';
import { collectorDayOf, form01Xn, type Confirmation } from '../../lambdas/domain/form-01xn.ts';

const HEADER = 'STT,Mã xác nhận,Họ và tên,Mã số BHXH,Ngày nộp tiền,Số tiền đóng,Loại hình tham gia,Số tháng đóng';

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

/** The CSV without its BOM, split into lines. */
const linesOf = (csv: string) => csv.slice(1).split('\r\n');

describe('collectorDayOf', () => {
  it('is `<collectorCode>#<YYYY-MM-DD>`', () => {
    expect(collectorDayOf('TC0101', '2026-11-30')).toBe('TC0101#2026-11-30');
  });
});

describe('form01Xn', () => {
  it('starts with a BOM, and every line, the last included, ends with CRLF', () => {
    // Act
    const csv = form01Xn([confirmation({})]);

    // Assess
    expect(csv.startsWith('\uFEFFSTT,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('has one row per confirmation, then the total', () => {
    // Prepare
    const rows = [
      confirmation({
        confirmationCode: 'XN001',
        fullName: 'Nguyễn Văn An',
        personId: '0110129425',
        paidAt: '2026-11-30T09:00:00+07:00',
        amount: 1_485_000,
        scheme: 'voluntary-social',
        months: 3,
      }),
      confirmation({
        confirmationCode: 'XN002',
        fullName: 'Trần Thị Bình',
        personId: '0113096123',
        paidAt: '2026-11-30T10:15:00+07:00',
        amount: 1_263_600,
        scheme: 'household-health',
        months: 12,
      }),
    ];

    // Act
    const lines = linesOf(form01Xn(rows));

    // Assess
    expect(lines).toEqual([
      HEADER,
      '1,XN001,Nguyễn Văn An,0110129425,30/11/2026,1485000,BHXH tự nguyện,3',
      '2,XN002,Trần Thị Bình,0113096123,30/11/2026,1263600,BHYT hộ gia đình,12',
      ',Tổng cộng,,,,2748600,,',
      '',
    ]);
  });

  it('numbers the rows in order of payment, whatever order they were read in', () => {
    // Prepare
    const rows = [
      confirmation({ confirmationCode: 'XN003', paidAt: '2026-11-30T16:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN001', paidAt: '2026-11-30T08:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN002', paidAt: '2026-11-30T11:00:00+07:00' }),
    ];

    // Act
    const lines = linesOf(form01Xn(rows));

    // Assess
    expect(lines.slice(1, 4).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['1,XN001', '2,XN002', '3,XN003']);
  });

  it('orders by instant, not by text, when producers write the time with different offsets', () => {
    // Prepare: 08:30 in Vietnam is 01:30Z, before 02:00Z, though its text sorts after it
    const rows = [
      confirmation({ confirmationCode: 'XN-LATER', paidAt: '2026-11-30T02:00:00Z' }),
      confirmation({ confirmationCode: 'XN-EARLIER', paidAt: '2026-11-30T08:30:00+07:00' }),
    ];

    // Act
    const lines = linesOf(form01Xn(rows));

    // Assess
    expect(lines.slice(1, 3).map((l) => l.split(',')[1])).toEqual(['XN-EARLIER', 'XN-LATER']);
  });

  it('orders payments of the same instant by confirmation code', () => {
    // Prepare
    const rows = [
      confirmation({ confirmationCode: 'XN009', paidAt: '2026-11-30T09:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN004', paidAt: '2026-11-30T09:00:00+07:00' }),
    ];

    // Act
    const lines = linesOf(form01Xn(rows));

    // Assess
    expect(lines.slice(1, 3).map((l) => l.split(',')[1])).toEqual(['XN004', 'XN009']);
  });

  it('does not reorder the rows it was given', () => {
    // Prepare
    const rows = [
      confirmation({ confirmationCode: 'XN002', paidAt: '2026-11-30T10:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN001', paidAt: '2026-11-30T09:00:00+07:00' }),
    ];

    // Act
    form01Xn(rows);

    // Assess
    expect(rows.map((r) => r.confirmationCode)).toEqual(['XN002', 'XN001']);
  });

  it('writes the date of payment as dd/mm/yyyy in Vietnam time', () => {
    // Prepare: 17:30 UTC on 29 November is 00:30 on 30 November in Vietnam
    const rows = [confirmation({ paidAt: '2026-11-29T17:30:00Z' })];

    // Act
    const [, row] = linesOf(form01Xn(rows));

    // Assess
    expect(row?.split(',')[4]).toBe('30/11/2026');
  });

  it('quotes a cell holding a comma, a quote or a line break, doubling the quotes', () => {
    // Prepare
    const rows = [
      confirmation({ confirmationCode: 'XN001', fullName: 'Nguyễn Văn "Út", con', paidAt: '2026-11-30T08:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN002', fullName: 'Lê "Tí"', paidAt: '2026-11-30T09:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN003', fullName: 'Phạm\nHoa', paidAt: '2026-11-30T10:00:00+07:00' }),
      confirmation({ confirmationCode: 'XN,004', fullName: 'Đỗ Mai', paidAt: '2026-11-30T11:00:00+07:00' }),
    ];

    // Act
    const lines = linesOf(form01Xn(rows));

    // Assess
    expect(lines[1]).toBe('1,XN001,"Nguyễn Văn ""Út"", con",0110129425,30/11/2026,1000000,BHXH tự nguyện,3');
    expect(lines[2]).toBe('2,XN002,"Lê ""Tí""",0110129425,30/11/2026,1000000,BHXH tự nguyện,3');
    expect(lines[3]).toBe('3,XN003,"Phạm\nHoa",0110129425,30/11/2026,1000000,BHXH tự nguyện,3');
    expect(lines[4]).toBe('4,"XN,004",Đỗ Mai,0110129425,30/11/2026,1000000,BHXH tự nguyện,3');
  });

  it('is the header and a zero total for a day without confirmations', () => {
    expect(form01Xn([])).toBe(`\uFEFF${HEADER}\r\n,Tổng cộng,,,,0,,\r\n`);
  });
});
