/**
 * One-time schedules: "send the system this event at that time". In AWS they
 * are EventBridge Scheduler schedules (Asia/Ho_Chi_Minh) that deliver the event
 * to the intake queue and delete themselves; a schedule of the same name is
 * replaced, which is how a newer fact moves a pending reminder.
 */
import { createHash } from 'node:crypto';
import type { InternalDetailType } from './catalogue.ts';

export interface ScheduledEvent {
  detailType: InternalDetailType;
  detail: Record<string, unknown>;
}

export interface Schedules {
  /** Creates or replaces the schedule `name`. */
  scheduleOnce(name: string, at: Date, event: ScheduledEvent): Promise<void>;
}

const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** Scheduler names allow [0-9a-zA-Z-_.], 64 at most. */
export function scheduleName(prefix: string, id: string): string {
  const safe = id.replace(/[^0-9A-Za-z_.-]/g, '-');
  const name = `${prefix}-${safe}`;
  return name.length <= 64 ? name : `${prefix}-${createHash('sha256').update(id).digest('hex').slice(0, 63 - prefix.length)}`;
}

/** `at(...)` expressions are local to the schedule's time zone: Vietnam time without offset. */
export function vietnamLocalDateTime(at: Date): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 19);
}

/** 08:00 Vietnam time on the same day of the month, `months` later (clamped to the month's last day). */
export function sameDayMonthsLater(from: Date, months: number): Date {
  const local = new Date(from.getTime() + VIETNAM_OFFSET_MS);
  const monthIndex = local.getUTCMonth() + months;
  const year = local.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day, 8) - VIETNAM_OFFSET_MS);
}
