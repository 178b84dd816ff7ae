/**
 * The local clock: what `now()` returns to the handlers and the emulators.
 * It is the handlers' own clock module (one per process, so every local system
 * in a process shares it); emulators that keep time (task timeouts) listen to
 * it being moved.
 */
import { now, setClock } from '../function-code.ts';

export class LocalClock {
  private readonly listeners: Array<(at: Date) => void> = [];

  now(): Date {
    return now();
  }

  /** Moves the clock; every listener then sees the new time (task timeouts due by then fire). */
  set(to: Date): void {
    setClock(to);
    for (const listener of this.listeners) listener(to);
  }

  onSet(listener: (at: Date) => void): void {
    this.listeners.push(listener);
  }
}

/** Vietnam time (UTC+7, no DST) as an ISO string with its offset: what operators read. */
export function vietnamIso(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}
