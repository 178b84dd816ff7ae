/**
 * The system's notion of "now". In AWS it is the wall clock. The local run
 * replays events with their own `Time` and clock lines (SPEC "Local run
 * contract"), so it shifts this clock; time still flows at normal speed after a
 * shift, which keeps rate windows and timeouts meaningful.
 */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function nowMs(): number {
  return Date.now() + offsetMs;
}

/** Local run only: make `now()` read `to` at this instant. */
export function setClock(to: Date): void {
  offsetMs = to.getTime() - Date.now();
}

export function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
