/**
 * Calendar arithmetic in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight
 * saving), and the quiet hours of SPEC rule 6. The one place the offset lives.
 */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** The instant shifted so that its UTC fields read Vietnam wall-clock time. */
export const vietnamWallClock = (at: Date): Date => new Date(at.getTime() + VIETNAM_OFFSET_MS);

/** The Vietnamese calendar date of an instant, YYYY-MM-DD. */
export function vietnamDate(at: Date): string {
  return vietnamWallClock(at).toISOString().slice(0, 10);
}

/** The Vietnamese calendar month of an instant, YYYY-MM. */
export function vietnamMonth(at: Date): string {
  return vietnamWallClock(at).toISOString().slice(0, 7);
}

/** `2026-12-01T08:00:00`: Vietnam wall-clock time without offset (what `at(...)` schedule expressions take). */
export function vietnamLocalDateTime(at: Date): string {
  return vietnamWallClock(at).toISOString().slice(0, 19);
}

/** Minutes since midnight, Vietnam time. */
export function vietnamMinutes(at: Date): number {
  const local = vietnamWallClock(at);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** The instant of `HH:MM` Vietnam time on a calendar date. */
export function vietnamInstant(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00+07:00`);
}

export function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** First day of the month after `YYYY-MM`, plus `day - 1` days: dayOfNextMonth('2019-05', 6) → 2019-06-06. */
export function dayOfNextMonth(month: string, day: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return `${next}-${String(day).padStart(2, '0')}`;
}

/** 08:00 Vietnam time on the same day of the month, `months` later (clamped to the month's last day). */
export function sameDayMonthsLater(from: Date, months: number): Date {
  const local = vietnamWallClock(from);
  const monthIndex = local.getUTCMonth() + months;
  const year = local.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day, 8) - VIETNAM_OFFSET_MS);
}

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The sending window of SPEC rule 6, Vietnam time, `HH:MM` each: messages go from `start` (inclusive) to `end` (exclusive). */
export interface QuietHours {
  start: string;
  end: string;
}

/** The start of the next sending window if `at` is in quiet hours, else undefined. */
export function quietUntil(at: Date, window: QuietHours): Date | undefined {
  const minutes = vietnamMinutes(at);
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  if (minutes >= start && minutes < end) return undefined;
  const today = vietnamDate(at);
  return vietnamInstant(minutes < start ? today : addDays(today, 1), window.start);
}
