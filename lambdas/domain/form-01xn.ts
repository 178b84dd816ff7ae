/**
 * Form 01-XN (seed 004): the list of a collector's confirmations of one day,
 * as CSV, one row per confirmation and then the total; UTF-8 with a BOM so
 * Excel shows Vietnamese.
 */
import { formatDate } from './text/format.ts';

export interface Confirmation {
  collectorDay: string;
  confirmationCode: string;
  personId: string;
  fullName: string;
  paidAt: string;
  amount: number;
  scheme: 'voluntary-social' | 'household-health';
  months: number;
  /** The form that reported it (its ledger key), once it went out: a later confirmation goes in a supplementary form. */
  reportedIn?: string;
}

/** The partition of a collector's day: `<collectorCode>#<YYYY-MM-DD>`. */
export const collectorDayOf = (collectorCode: string, date: string) => `${collectorCode}#${date}`;

/**
 * CSV injection (OWASP "CSV Injection"): a text cell that starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is a formula to Excel. Such a cell is
 * written as text: prefixed with a single quote, inside quotes. Numbers (the
 * amounts, counts, row numbers) are written as numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const csvCell = (value: string | number): string => {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return text !== value || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function form01Xn(rows: Confirmation[]): string {
  const header = ['STT', 'Mã xác nhận', 'Họ và tên', 'Mã số BHXH', 'Ngày nộp tiền', 'Số tiền đóng', 'Loại hình tham gia', 'Số tháng đóng'];
  // By instant, not by text: `08:00+07:00` is before `02:00Z` though it sorts after it.
  const sorted = [...rows].sort((a, b) => Date.parse(a.paidAt) - Date.parse(b.paidAt) || a.confirmationCode.localeCompare(b.confirmationCode));
  const lines = sorted.map((r, i) =>
    [i + 1, r.confirmationCode, r.fullName, r.personId, formatDate(r.paidAt), r.amount, r.scheme === 'voluntary-social' ? 'BHXH tự nguyện' : 'BHYT hộ gia đình', r.months]
      .map(csvCell)
      .join(','),
  );
  const total = rows.reduce((n, r) => n + r.amount, 0);
  return `\uFEFF${[header.join(','), ...lines, ['', 'Tổng cộng', '', '', '', total, '', ''].map(csvCell).join(',')].join('\r\n')}\r\n`;
}
