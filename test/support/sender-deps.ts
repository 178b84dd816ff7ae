/** The sender's dependencies on a local system's tables, for tests that call sendQueuedMessage directly. */
import { DynamoKindControlStore } from '../../lambdas/stores/kind-control-store.ts';
import type { LedgerStore } from '../../lambdas/flows/ports.ts';
import { DynamoSmsQuota } from '../../lambdas/stores/rate-window-store.ts';
import type { SenderPorts } from '../../lambdas/flows/sending/send.ts';
import type { LocalSystem } from '../../local/runtime.ts';

export function senderDeps(system: LocalSystem, ledger: LedgerStore, overrides: Partial<SenderPorts> = {}): SenderPorts {
  return {
    ledger,
    controls: new DynamoKindControlStore(system.db, system.tableName('SenderSendControl')),
    quota: new DynamoSmsQuota(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 100 }),
    gateway: { publish: async () => ({ messageId: 'never' }) },
    now: () => new Date(),
    deadlineMs: () => Date.now() + 10_000,
    leaseSeconds: 120,
    parkedReceipts: { park: async () => undefined, take: async () => undefined },
    ...overrides,
  };
}
