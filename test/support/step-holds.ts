/**
 * Holds for race tests: a lifecycle's real step handler that waits, at a step
 * the test names, until the test releases it, and the real intake that tells
 * the test when it has handled a batch holding a given detail-type. Together
 * they make an interleaving of an execution's step with an event on purpose
 * (test/system/dossier-race.test.ts, registration-race.test.ts).
 */
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

interface Hold {
  action: string;
  reached: Promise<void>;
  arrive(): void;
  release(): void;
  released: Promise<void>;
}

export interface StepHolds {
  /** The next run of the step `action` waits until the test releases it; `reached` once the execution runs it. */
  holdNext(action: string): Pick<Hold, 'reached' | 'release'>;
  /** Resolves once the intake has handled the next batch that holds the detail-type. */
  nextIntakeHandled(): Promise<void>;
  /** For startLocalSystem: the step and the intake behind the holds. */
  handlerOverrides: Record<string, Handler>;
  /** Forgets the holds of the scene before. */
  reset(): void;
}

/**
 * `stepEntry`: the step handler's entry (as the template names it); `loadStep` imports it, on first use (the local
 * system has set the environment by then), with a literal path the bundler can see. `detailType`: the event whose
 * handling the test waits for.
 */
export function stepHolds(stepEntry: string, loadStep: () => Promise<{ handler: unknown }>, detailType: string): StepHolds {
  const holds: Hold[] = [];
  const handled: Array<() => void> = [];
  let realStep: Handler | undefined;
  let realIntake: Handler | undefined;

  const step: Handler = async (event, context) => {
    const index = holds.findIndex((h) => h.action === (event as { action?: string }).action);
    if (index >= 0) {
      const [hold] = holds.splice(index, 1);
      hold!.arrive();
      await hold!.released;
    }
    realStep ??= (await loadStep()).handler as Handler;
    return realStep(event, context);
  };
  const intake: Handler = async (event, context) => {
    realIntake ??= (await import('../../lambdas/functions/intake/handler.ts')).handler as Handler;
    try {
      return await realIntake(event, context);
    } finally {
      if (JSON.stringify(event).includes(detailType)) handled.shift()?.();
    }
  };

  return {
    holdNext(action) {
      let arrive!: () => void;
      let release!: () => void;
      const hold: Hold = {
        action,
        reached: new Promise<void>((r) => (arrive = r)),
        released: new Promise<void>((r) => (release = r)),
        arrive: () => arrive(),
        release: () => release(),
      };
      holds.push(hold);
      return hold;
    },
    nextIntakeHandled: () => new Promise<void>((r) => handled.push(r)),
    handlerOverrides: { [stepEntry]: step, 'lambdas/functions/intake/handler.ts': intake },
    reset: () => {
      holds.length = 0;
    },
  };
}

/** Whether the held step was reached while the system moved on (false: the move ended without it; a failure, not a hang). */
export function reachedDuring(step: { reached: Promise<void> }, moving: Promise<void>): Promise<boolean> {
  return Promise.race([step.reached.then(() => true), moving.then(() => false)]);
}
