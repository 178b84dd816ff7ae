/**
 * The e-registration lifecycle when EAccountRegistrationReviewed meets the
 * execution between its waits: before the first wait stores its token, while
 * the reminder step runs (the day-7 wait timed out, its token is dead), and
 * while the deletion step runs. Each interleaving is made by holding one step
 * of the execution (the real step handler, run once the test lets it) while
 * the review is handled by the real intake, on the local clock. A reviewed
 * registration gets neither reminder nor notice, and its execution ends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registrationExecutionName } from '../../lambdas/domain/registrations.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { reachedDuring, stepHolds } from '../support/step-holds.ts';

const held = stepHolds('lambdas/functions/registration-step/handler.ts', () => import('../../lambdas/functions/registration-step/handler.ts'), 'EAccountRegistrationReviewed');
const holdNext = held.holdNext;

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({
    recurringSchedules: false,
    handlerOverrides: held.handlerOverrides,
  });
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
  held.reset();
});

const submitted = (registrationId: string, submittedAt: string) =>
  entry('EAccountRegistrationSubmitted', { registrationId, personId: SEED.personId, fullName: SEED.fullName, submittedAt, phone: '0912345678' });
const approved = (registrationId: string) => entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, registrationId, phone: '0912345678' });

const execution = (id: string) => [...system.executions.values()].find((e) => e.name === registrationExecutionName(id));
const statesEntered = (id: string) =>
  (execution(id)!.history as Array<{ type: string; state?: { name: string } }>).filter((e) => e.type === 'StateEntered').map((e) => e.state?.name);
const kindsOf = (id: string) => system.outbox.filter((l) => l.key.endsWith(`#${id}`)).map((l) => l.kind);

/** Publishes a review while a step is held (a clock move is draining the system meanwhile); returns once the intake handled it. */
async function reviewWhileHeld(review: ReturnType<typeof entry>): Promise<void> {
  const handled = held.nextIntakeHandled();
  await system.putEvents([review]);
  await handled;
}

const REVIEWED = 'Registration reviewed';

const FIRST_STATES = ['Record the registration and tell the citizen', 'Wait for the review until day 7'];
const UNTIL_DEADLINE = [...FIRST_STATES, 'Remind the citizen to bring form 01', 'Wait for the review until the deadline'];

/** Each scene on its own dates (the clock only moves forward): submitted at 09:00, its deadline 10 days later. */
const scenes = [
  {
    name: 'before the received step',
    step: 'received',
    submittedAt: '2021-01-05T09:00:00+07:00',
    heldAt: undefined,
    kinds: ['account-approved'],
    states: [...FIRST_STATES, REVIEWED],
  },
  {
    name: 'while the first wait stores its token',
    step: 'await-review',
    submittedAt: '2021-02-02T09:00:00+07:00',
    heldAt: undefined,
    kinds: ['registration-received', 'account-approved'],
    states: [...FIRST_STATES, REVIEWED],
  },
  {
    name: 'while the reminder step runs (the day-7 wait timed out, its token is dead)',
    step: 'remind',
    submittedAt: '2021-03-02T09:00:00+07:00',
    heldAt: '2021-03-09T09:00:01+07:00',
    kinds: ['registration-received', 'account-approved'],
    states: [...UNTIL_DEADLINE, REVIEWED],
  },
  {
    name: 'while the deletion step runs (the deadline day began)',
    step: 'deleted',
    submittedAt: '2021-04-06T09:00:00+07:00',
    // Through day 7 first: the clock fires the timers that exist when it moves (the second wait starts on day 7).
    via: '2021-04-13T09:00:01+07:00',
    heldAt: '2021-04-16T07:00:01+07:00',
    kinds: ['registration-received', 'registration-reminder', 'account-approved'],
    states: [...UNTIL_DEADLINE, 'Tell the citizen the declaration was deleted', 'Was the declaration deleted?', REVIEWED],
  },
];

describe('a review between the waits of a registration', () => {
  it.each(scenes)('$name: nothing more is sent, and the execution ends reviewed', async ({ step: heldStep, submittedAt, via, heldAt, kinds, states }) => {
    // Prepare: the step held when the clock reaches it
    const id = `REG-RACE-${heldStep}`;
    const step = holdNext(heldStep);
    const submitting = atTime(system, submittedAt, submitted(id, submittedAt));
    const passing = via === undefined ? submitting : submitting.then(() => atTime(system, via));
    const moving = heldAt === undefined ? passing : passing.then(() => atTime(system, heldAt));
    expect(await reachedDuring(step, moving)).toBe(true);

    // Act
    await reviewWhileHeld(approved(id));
    step.release();
    await moving;
    await execution(id)?.done;

    // Assess
    expect(kindsOf(id)).toEqual(kinds);
    expect(execution(id)?.status).toBe('SUCCEEDED');
    expect(statesEntered(id)).toEqual(states);
  });
});
