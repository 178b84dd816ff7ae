/**
 * Wait states on the local clock. aws-local-stepfunctions waits in wall-clock
 * time (or a fixed override); the local run's time is its own clock, moved by
 * the replay and the tests. So each Wait state is run as a local Task that
 * parks the execution until the local clock reaches the wait's end (the same
 * mechanism as a task token's timeout), and is counted in the history as the
 * Wait state it is (WaitStateEntered, WaitStateExited).
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

type States = StateMachineDefinition['States'];
type WaitState = { Seconds?: number; SecondsPath?: string; Timestamp?: string; TimestampPath?: string };

/** The resource a Wait state is given locally; never a real service. */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';

/** The definition with its Wait states (Map and Parallel states' too) turned into local wait Tasks, and their names. */
export function withClockWaits(definition: StateMachineDefinition): { definition: StateMachineDefinition; waits: Map<string, WaitState> } {
  const waits = new Map<string, WaitState>();
  const rewrite = (states: States): States =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        if (state.Type === 'Wait') {
          const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _type, ...rest } = state as unknown as WaitState & Record<string, unknown>;
          waits.set(name, { Seconds, SecondsPath, Timestamp, TimestampPath } as WaitState);
          return [name, { ...rest, Type: 'Task', Resource: LOCAL_WAIT_RESOURCE }];
        }
        if (state.Type === 'Map') {
          const processor = state.ItemProcessor ?? state.Iterator;
          const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
          return [name, processor ? { ...state, [key]: { ...processor, States: rewrite(processor.States) } } : state];
        }
        if (state.Type === 'Parallel') return [name, { ...state, Branches: (state.Branches ?? []).map((b) => ({ ...b, States: rewrite(b.States) })) }];
        return [name, state];
      }),
    ) as States;
  return { definition: { ...definition, States: rewrite(definition.States) }, waits };
}

/** When the wait ends (ms on the local clock), read from the state's input as AWS does. */
export function waitEnd(stateName: string, wait: WaitState, input: unknown, nowMs: number): number {
  const at = (path: string) =>
    path
      .replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean)
      .reduce<unknown>((value, field) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined), input);
  if (wait.Seconds !== undefined) return nowMs + wait.Seconds * 1000;
  if (wait.Timestamp !== undefined) return Date.parse(wait.Timestamp);
  if (wait.SecondsPath !== undefined) {
    const seconds = at(wait.SecondsPath);
    if (typeof seconds !== 'number' || seconds < 0)
      throw Object.assign(new Error(`Wait ${stateName}: ${wait.SecondsPath} is not a number of seconds ≥ 0`), { name: 'States.Runtime' });
    return nowMs + seconds * 1000;
  }
  const timestamp = wait.TimestampPath !== undefined ? at(wait.TimestampPath) : undefined;
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) {
    throw Object.assign(new Error(`Wait ${stateName}: ${wait.TimestampPath} is not a timestamp`), { name: 'States.Runtime' });
  }
  return Date.parse(timestamp);
}
