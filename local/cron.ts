/**
 * EventBridge Scheduler cron expressions, `cron(minutes hours day-of-month
 * month day-of-week year)`, for the local run: the fire times in a window.
 * Supports numbers, lists, ranges, `*` and `?` (what the stack uses), in
 * Asia/Ho_Chi_Minh or UTC.
 */
const OFFSETS: Record<string, number> = { 'Asia/Ho_Chi_Minh': 7 * 3600_000, UTC: 0 };

function matches(field: string, value: number): boolean {
  if (field === '*' || field === '?') return true;
  return field.split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number) as [number, number | undefined];
    return hi === undefined ? value === lo : value >= lo && value <= hi;
  });
}

function values(field: string, max: number): number[] {
  return Array.from({ length: max + 1 }, (_, v) => v).filter((v) => matches(field, v));
}

/** Fire times of `expression` after `from` (exclusive) up to `to` (inclusive), in order. */
export function cronFiresBetween(expression: string, timezone: string, from: Date, to: Date): Date[] {
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1]?.trim().split(/\s+/);
  if (!fields) return [];
  const [minutes, hours, dom, month, dow, year = '*'] = fields;
  if (minutes === undefined || hours === undefined || dom === undefined || month === undefined || dow === undefined) {
    throw new Error(`Cron expression ${expression} has fewer than five fields`);
  }
  const offset = OFFSETS[timezone];
  if (offset === undefined) throw new Error(`Time zone ${timezone} is not known to the local run`);
  const fires: Date[] = [];
  const day = new Date(Math.floor((from.getTime() + offset) / 86_400_000) * 86_400_000);
  for (; day.getTime() - offset <= to.getTime(); day.setUTCDate(day.getUTCDate() + 1)) {
    // EventBridge numbers days of the week 1 (Sunday) to 7 (Saturday).
    if (!matches(dom, day.getUTCDate()) || !matches(month, day.getUTCMonth() + 1) || !matches(dow, day.getUTCDay() + 1) || !matches(year, day.getUTCFullYear())) continue;
    for (const h of values(hours, 23)) {
      for (const m of values(minutes, 59)) {
        const at = new Date(day.getTime() + (h * 60 + m) * 60_000 - offset);
        if (at > from && at <= to) fires.push(at);
      }
    }
  }
  return fires;
}
