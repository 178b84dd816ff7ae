/**
 * Safety limits per message kind: a kind can be paused (its messages wait in
 * the ledger as `paused`, they are not dropped) and resumed (they are queued
 * again); and each kind has a daily ceiling on messages handed to the
 * provider, which pauses the kind when a runaway upstream or campaign reaches it.
 */

export interface KindControl {
  kind: string;
  paused: boolean;
  pausedReason?: string;
  pausedBy?: string;
  pausedAt?: string;
  /** Overrides the configured ceiling for this kind. */
  ceiling?: number;
  /** A Vietnam day on which an operator resumed the kind after its ceiling: the ceiling does not apply again that day. */
  ceilingLiftedOn?: string;
}

/** `{"default": 1000000, "UnitMonthlyStatement": 600000}`: messages per kind per Vietnam day. */
export type Ceilings = Readonly<Record<string, number>>;

export function parseCeilings(json: string | undefined): Ceilings {
  const parsed: unknown = JSON.parse(json && json.trim() !== '' ? json : '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('daily ceilings must be a JSON object of kind → whole number');
  for (const [kind, value] of Object.entries(parsed)) {
    if (!Number.isInteger(value) || (value as number) < 1) throw new Error(`daily ceiling of ${kind} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
  return parsed as Ceilings;
}

export type Admission = { admitted: true } | { admitted: false; pausedBy: 'operator' | 'ceiling'; reason: string; ceilingJustReached: boolean };

/** The ceiling that applies to a kind: its own override, else the configured one for the kind, else the default. */
export function ceilingOf(control: KindControl, ceilings: Ceilings): number | undefined {
  return control.ceiling ?? ceilings[control.kind] ?? ceilings.default;
}
