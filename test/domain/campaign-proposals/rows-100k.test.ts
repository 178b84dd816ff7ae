/**
 * A 100,000-row recipients CSV (issue 15: "tests cover … 100,000 rows"): every
 * row is checked, the counts are exact, and row numbers stay the
 * spreadsheet's however far down a bad row is. Every 1,000 rows hold one of
 * each bad row the issue names (landline, too long, a link, an empty value, a
 * duplicate), so the expected counts follow from the file's construction.
 */
import { describe, expect, it } from 'vitest';
import { validateProposalRows } from '../../../lambdas/domain/campaign-proposals/rows.ts';

const TEMPLATE = 'Kính gửi ((hoTen)): hạn cuối cập nhật thông tin tại ((diaDiem)) là ngày ((han)). Trân trọng!';
const ROWS = 100_000;
const BLOCK = 1_000;
const BLOCKS = ROWS / BLOCK;

/** What the i-th row (0-based) of each block of 1,000 is: most are good, five are each bad in their own way. */
const BAD = { 100: 'landline', 200: 'too-long', 300: 'link', 400: 'empty', 500: 'duplicate' } as const;

function recipientsCsv(): string {
  const lines = ['phone,hoTen,diaDiem,han'];
  for (let i = 0; i < ROWS; i++) {
    const good = [`091${String(i).padStart(7, '0')}`, `Nguyễn Văn An ${i}`, 'BHXH quận Ba Đình', '15/12/2026'];
    switch (BAD[(i % BLOCK) as keyof typeof BAD]) {
      case 'landline':
        good[0] = `0243${String(i).padStart(7, '0')}`;
        break;
      case 'too-long':
        good[2] = `Bộ phận một cửa ${'tầng hai '.repeat(60)}`;
        break;
      case 'link':
        good[2] = 'trang bhxh-vn.top/capnhat';
        break;
      case 'empty':
        good[1] = '';
        break;
      case 'duplicate':
        // An exact copy of the row above (a good one).
        lines.push(lines.at(-1) as string);
        continue;
    }
    lines.push(good.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('validateProposalRows at 100,000 rows', () => {
  it('counts every row exactly: 99,500 accepted, 400 refused by reason, 100 duplicates, and keeps the spreadsheet row numbers', () => {
    // Prepare
    const csv = recipientsCsv();

    // Act
    const result = validateProposalRows(TEMPLATE, csv);

    // Assess
    if (!result.ok) throw new Error(`refused whole: ${result.problems.join('; ')}`);
    const badRows = Object.keys(BAD).length;
    expect(result.counts).toEqual({
      rows: ROWS,
      accepted: ROWS - badRows * BLOCKS,
      refused: (badRows - 1) * BLOCKS,
      duplicate: BLOCKS,
      blank: 0,
      parts: ROWS - badRows * BLOCKS,
      byReason: { 'invalid-phone': BLOCKS, 'too-long': BLOCKS, 'forbidden-content': BLOCKS, 'empty-value': BLOCKS },
    });
    expect(result.accepted).toHaveLength(result.counts.accepted);
    expect(new Set(result.accepted.map((r) => 'phone' in r.recipient && r.recipient.phone)).size).toBe(result.counts.accepted);
    // Row i (0-based) is spreadsheet row i + 2 (after the header): the last block's bad rows.
    const last = (ROWS - BLOCK) as number;
    expect(result.refused.filter((r) => r.row > last).map((r) => [r.row, r.reason])).toEqual([
      [last + 100 + 2, 'invalid-phone'],
      [last + 200 + 2, 'too-long'],
      [last + 300 + 2, 'forbidden-content'],
      [last + 400 + 2, 'empty-value'],
    ]);
    expect(result.duplicates.at(-1)).toEqual({ row: last + 500 + 2, of: last + 499 + 2 });
  });
});
