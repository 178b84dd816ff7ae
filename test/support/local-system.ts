/**
 * A local system per test file, on the DynamoDB Local that the global set-up
 * started, with its own table prefix.
 */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { LocalSystem, type LocalSystemOptions } from '../../local/runtime.ts';

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  return LocalSystem.start({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: `t${randomUUID().slice(0, 8)}_`, ...options });
}
