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

/** Scheduler names allow [0-9a-zA-Z-_.], 64 at most. */
export function scheduleName(prefix: string, id: string): string {
  const safe = id.replace(/[^0-9A-Za-z_.-]/g, '-');
  const name = `${prefix}-${safe}`;
  return name.length <= 64
    ? name
    : `${prefix}-${createHash('sha256')
        .update(id)
        .digest('hex')
        .slice(0, 63 - prefix.length)}`;
}
