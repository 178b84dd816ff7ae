/**
 * A local system per test file, on the DynamoDB Local that the global set-up
 * started, with its own table prefix. The local clock starts at a fixed
 * working-hours time, so no test depends on the hour at which it runs (quiet
 * hours).
 */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { LocalSystem, type LocalSystemOptions } from '../../local/runtime.ts';

export const TEST_START = new Date('2018-12-03T09:00:00+07:00');

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const system = await LocalSystem.start({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: `t${randomUUID().slice(0, 8)}_`, ...options });
  system.setClock(TEST_START);
  return system;
}
