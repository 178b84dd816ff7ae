/** Calendar arithmetic in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving). */
const OFFSET_MS = 7 * 3600_000;

/** The Vietnamese calendar date of an instant, YYYY-MM-DD. */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since midnight, Vietnam time. */
export function vietnamMinutes(at: Date): number {
  const local = new Date(at.getTime() + OFFSET_MS);
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

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
