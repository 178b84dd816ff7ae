/**
 * What the Step Functions emulator reads from a definition's Task states: the
 * `.sync` tasks (their history has a TaskSubmitted more), the states with a
 * Retry (whose waits the local run skips), and a `states:startExecution`
 * task's parameters.
 */
import type { StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';

/** A JSON value, as aws-local-stepfunctions passes state input and output. */
type JsonValue = Parameters<StateMachine['run']>[0];

/** The names of the `.sync` Task states of a definition, Map and Parallel states' included. */
export function syncTaskStates(states: StateMachineDefinition['States'], into = new Set<string>()): Set<string> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task' && String(state.Resource).includes('.sync')) into.add(name);
    if (state.Type === 'Map') syncTaskStates((state.ItemProcessor ?? state.Iterator)?.States ?? {}, into);
    if (state.Type === 'Parallel') for (const branch of state.Branches ?? []) syncTaskStates(branch.States, into);
  }
  return into;
}

/** Every state with a Retry, Map and Parallel states' included: its retries wait 0 ms. */
export function noRetryWaits(states: StateMachineDefinition['States'], into: Record<string, number> = {}): Record<string, number> {
  for (const [name, state] of Object.entries(states)) {
    if ('Retry' in state && state.Retry) into[name] = 0;
    if (state.Type === 'Map') noRetryWaits((state.ItemProcessor ?? state.Iterator)?.States ?? {}, into);
    if (state.Type === 'Parallel') for (const branch of state.Branches ?? []) noRetryWaits(branch.States, into);
  }
  return into;
}

export const START_EXECUTION = 'arn:aws:states:::states:startExecution';
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';

/** The parameters of a `states:startExecution` task. */
export function startExecutionParameters(stateName: string, input: JsonValue): { StateMachineArn: string; Name?: string; Input?: unknown } {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || typeof input.StateMachineArn !== 'string') {
    throw new Error(`Task ${stateName}: states:startExecution without a StateMachineArn in its parameters`);
  }
  // Input may be given as a JSON string (as the API takes it) or as an object (as the service integration allows).
  const raw = input.Input;
  return { StateMachineArn: input.StateMachineArn, ...(typeof input.Name === 'string' ? { Name: input.Name } : {}), Input: typeof raw === 'string' ? JSON.parse(raw) : raw };
}
