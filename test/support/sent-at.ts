/**
 * When an outbox line says its SMS was handed over. The local clock is an
 * offset over the wall clock (lambdas/runtime/clock.ts): after each move it
 * keeps running, so an SMS released at 08:00:00 is stamped 08:00:00 plus the
 * time the handlers took on this machine. Tests therefore assert what the SPEC
 * promises, never the exact second:
 * - `minuteOf`: the Vietnam day and hh:mm, e.g. "at 08:00" (it implies "not
 *   before 08:00:00", as a release happens at hh:mm:00). The handlers run
 *   inside the test, and a test may not run longer than its timeout
 *   (60 s, vitest.config.ts), so a machine's speed cannot push the stamp into
 *   the next minute without the test failing on its timeout first;
 * - `instant`: for bounds the SPEC states (before 08:00, before a code expires).
 */
import { vietnamLocalDateTime } from '../../lambdas/domain/vietnam-time.ts';

/** `2018-12-01T08:00`: the Vietnam date and hh:mm of an outbox `at`. */
export const minuteOf = (at: string): string => vietnamLocalDateTime(new Date(at)).slice(0, 16);

/** Milliseconds since the epoch of an outbox `at` or of an ISO time, for comparisons. */
export const instant = (at: string): number => {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${at}`);
  return ms;
};
