/**
 * A local system per test file, on the DynamoDB Local that the global set-up
 * started, with its own table prefix. The local clock starts at a fixed
 * working-hours time, so no test depends on the hour at which it runs (quiet
 * hours).
 */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { LocalSystem, type LocalSystemOptions } from '../../local/runtime.ts';
import type { CfnTemplate } from '../../local/template.ts';

export const TEST_START = new Date('2018-12-03T09:00:00+07:00');

/** The stack's template with the default context, synthesized once for the whole run (global-setup.ts): a copy of its own for each caller. */
export const stackTemplate = (): CfnTemplate => structuredClone(inject('stackTemplate'));

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  // A context of its own needs a synthesis of its own; otherwise the run's one synthesis is used.
  const template = options.template ?? (options.context === undefined ? stackTemplate() : undefined);
  const system = await LocalSystem.start({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tablePrefix: `t${randomUUID().slice(0, 8)}_`,
    ...options,
    ...(template ? { template } : {}),
  });
  system.setClock(TEST_START);
  return system;
}

/**
 * Moves the local clock to `time` (schedules and task timeouts due on the way
 * fire), then publishes each entry, each processed to completion: one line of
 * a replay.
 */
export async function atTime(system: LocalSystem, time: string, ...entries: PutEventsRequestEntry[]): Promise<void> {
  await system.advanceClock(new Date(time));
  for (const entry of entries) {
    await system.putEvents([entry]);
    await system.drain();
  }
}
