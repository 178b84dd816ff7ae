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

/**
 * Scheduler names allow [0-9a-zA-Z-_.], 64 at most. The id is escaped so that two ids never share a name
 * (`04486/2019-1` and `04486-2019/1` were the same schedule when every other character became `-`): `/` becomes
 * `-` (dossier numbers stay readable), `_` `__`, `-` `_-`, and any other character `_<hex code point>_`.
 */
export function scheduleName(prefix: string, id: string): string {
  const safe = id.replace(/[^0-9A-Za-z.]/g, (c) => {
    if (c === '/') return '-';
    if (c === '_') return '__';
    if (c === '-') return '_-';
    return `_${(c.codePointAt(0) ?? 0).toString(16)}_`;
  });
  const name = `${prefix}-${safe}`;
  return name.length <= 64
    ? name
    : `${prefix}-${createHash('sha256')
        .update(id)
        .digest('hex')
        .slice(0, 63 - prefix.length)}`;
}
