/** The sender's dependencies on a local system's tables, for tests that call sendQueuedMessage directly. */
import { KindControls } from '../../lambdas/commons/kind-controls.ts';
import type { Ledger } from '../../lambdas/commons/ledger.ts';
import { PartsRateLimiter } from '../../lambdas/sender/rate-limiter.ts';
import type { SenderDeps } from '../../lambdas/sender/send.ts';
import type { LocalSystem } from '../../local/runtime.ts';

export function senderDeps(system: LocalSystem, ledger: Ledger, overrides: Partial<SenderDeps> = {}): SenderDeps {
  return {
    ledger,
    controls: new KindControls(system.db, system.tableName('SenderSendControl')),
    limiter: new PartsRateLimiter(system.db, system.tableName('SenderSendControl'), { partsPerSecond: 100 }),
    gateway: { publish: async () => ({ messageId: 'never' }) },
    now: () => new Date(),
    deadlineMs: () => Date.now() + 10_000,
    leaseSeconds: 120,
    parkedReceipt: async () => undefined,
    ...overrides,
  };
}
