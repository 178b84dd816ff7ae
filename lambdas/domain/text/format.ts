/**
 * Vietnamese formats (SPEC rules 7 and 8): `.` thousands separators, dd/mm/yyyy,
 * mm/yyyy, all in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving).
 */
import { vietnamWallClock } from '../vietnam-time.ts';

export function formatAmount(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new Error(`amount must be a whole number of VND, got ${amount}`);
  const digits = Math.abs(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return amount < 0 ? `-${digits}` : digits;
}

/** `YYYY-MM-DD` is a calendar date taken as is; a timestamp or Date is read in Vietnam time. */
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  const at = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(at.getTime())) throw new Error(`not a date: ${String(value)}`);
  const local = vietnamWallClock(at);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${local.getUTCFullYear()}`;
}

/** HH:mm in Vietnam time. */
export function formatTime(value: string | Date): string {
  const at = typeof value === 'string' ? new Date(value) : value;
  const local = vietnamWallClock(at);
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}

export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new Error(`not a month YYYY-MM: ${month}`);
  return `${match[2]}/${match[1]}`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** 0.72 → `72%` */
export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

export type Gender = 'male' | 'female' | null | undefined;

/** `Ông`, `Bà`, or `Ông/Bà` when the gender is unknown (SPEC rule 8). */
export function salutation(gender: Gender): string {
  if (gender === 'male') return 'Ông';
  if (gender === 'female') return 'Bà';
  return 'Ông/Bà';
}
