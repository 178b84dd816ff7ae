/**
 * The refused rows of a province campaign as a CSV report for the province:
 * one line per row that will not be sent, with the reason and the column to
 * fix, and the repeats of accepted rows (sent once) when given. UTF-8 with a
 * BOM and CRLF, like form 01-XN, so that Excel shows Vietnamese column names;
 * every cell goes through `csvCell`, since a column name comes from the
 * province's own file and could start a formula.
 */
import { csvCell } from '../form-01xn.ts';
import type { DuplicateRow, RefusedRow } from './rows.ts';

export const REFUSED_ROWS_HEADER = ['row', 'reason', 'column', 'message'] as const;

export function refusedRowsCsv(refused: readonly RefusedRow[], duplicates: readonly DuplicateRow[] = []): string {
  const lines = [
    ...refused.map((r) => ({ row: r.row, cells: [r.row, r.reason, r.column ?? '', r.message] })),
    ...duplicates.map((d) => ({ row: d.row, cells: [d.row, 'duplicate', '', `repeats row ${d.of} exactly; sent once`] })),
  ]
    .sort((a, b) => a.row - b.row)
    .map((l) => l.cells.map(csvCell).join(','));
  return `\uFEFF${[REFUSED_ROWS_HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}
