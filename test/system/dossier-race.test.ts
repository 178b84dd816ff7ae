/**
 * The dossier lifecycle when DossierResolved meets the execution at each point
 * of its waits: before the first wait stores its token, during a wait, between
 * a wait that timed out and the next one's token, and after the execution was
 * resumed. Each interleaving is made by holding one step of the execution (the
 * real step handler, run once the test lets it) while the resolution is
 * handled by the real intake, on the local clock. Each scene ends when the
 * system is drained: an execution still waiting then is a resolution lost.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionNameOf, type DossierItem } from '../../lambdas/domain/dossiers.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { reachedDuring, stepHolds } from '../support/step-holds.ts';

const held = stepHolds('lambdas/functions/dossier-step/handler.ts', () => import('../../lambdas/functions/dossier-step/handler.ts'), 'DossierResolved');
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

const received = (dossierNo: string) =>
  entry('DossierReceived', { dossierNo, subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2018-12-06', phone: '0912345678' });
const resolved = (dossierNo: string, resolvedAt = '2018-12-05T15:00:00+07:00') => entry('DossierResolved', { dossierNo, resolvedAt });

const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const dossier = async (no: string) => (await system.scan<DossierItem>('DossiersDossiersTable')).find((d) => d.dossierNo === no);
const execution = (no: string) => [...system.executions.values()].find((e) => e.name === executionNameOf(no));
const statesEntered = (no: string) =>
  (execution(no)!.history as Array<{ type: string; state?: { name: string } }>).filter((e) => e.type === 'StateEntered').map((e) => e.state?.name);
const smsKinds = () => system.outbox.map((l) => l.kind);

/**
 * Publishes a DossierResolved while the execution is held (a clock move is
 * draining the system meanwhile) and returns once the intake has handled it.
 */
async function resolveWhileHeld(resolution: ReturnType<typeof entry>): Promise<void> {
  const handled = held.nextIntakeHandled();
  await system.putEvents([resolution]);
  await handled;
}

/** The morning after the promised day (2018-12-06): the first wait times out as the clock moves there (out of quiet hours). */
const AFTER_DUE = '2018-12-07T09:00:00+07:00';
const WAITING = 'Wait for the result';
const OVERDUE_CHECK = 'Check whether the dossier is overdue';
const RESOLVED_STEP = 'Tell the citizen the dossier is resolved';

describe('a resolution before the first wait stores its token', () => {
  it.each([
    ['before the receipt is recorded', 'received'],
    ['while the wait stores its token', 'await-result'],
  ])('%s: parked, and answered by the wait at once', async (_, heldStep) => {
    // Prepare
    const no = heldStep === 'received' ? '09101/2018/00001' : '09101/2018/00002';
    const step = holdNext(heldStep);
    const receiving = at('2018-12-03T09:00:00+07:00', received(no));
    expect(await reachedDuring(step, receiving)).toBe(true);

    // Act
    await resolveWhileHeld(resolved(no));
    const parked = await dossier(no);
    step.release();
    await receiving;

    // Assess
    expect(parked).toMatchObject({ pendingResolution: { resolvedAt: '2018-12-05T15:00:00+07:00' } });
    expect(parked?.taskToken).toBeUndefined();
    expect(smsKinds()).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(await dossier(no)).toMatchObject({ status: 'resolved', resolvedAt: '2018-12-05T15:00:00+07:00' });
    expect(execution(no)?.status).toBe('SUCCEEDED');
    expect(statesEntered(no)).toEqual(['Record receipt and tell the citizen', 'Was the dossier accepted?', WAITING, RESOLVED_STEP, 'Dossier resolved']);
  });
});

describe('a resolution during a wait', () => {
  it('the first wait: answered through its token', async () => {
    // Prepare
    await at('2018-12-03T09:00:00+07:00', received('09102/2018/00001'));

    // Act
    await at('2018-12-05T15:00:00+07:00', resolved('09102/2018/00001'));

    // Assess
    expect(smsKinds()).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(await dossier('09102/2018/00001')).toMatchObject({ status: 'resolved' });
    expect(statesEntered('09102/2018/00001')).toEqual(['Record receipt and tell the citizen', 'Was the dossier accepted?', WAITING, RESOLVED_STEP, 'Dossier resolved']);
  });

  it('a later wait (the first timed out): answered through the new token, not the dead one', async () => {
    // Prepare
    await at('2018-12-03T09:00:00+07:00', received('09102/2018/00002'));
    const firstToken = (await dossier('09102/2018/00002'))?.taskToken;
    await at(AFTER_DUE);
    const waitingAgain = await dossier('09102/2018/00002');

    // Act
    await at('2018-12-10T09:00:00+07:00', resolved('09102/2018/00002', '2018-12-10T09:00:00+07:00'));

    // Assess
    expect(waitingAgain).toMatchObject({ status: 'overdue', taskToken: expect.any(String) });
    expect(waitingAgain?.taskToken).not.toBe(firstToken);
    expect(smsKinds()).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(await dossier('09102/2018/00002')).toMatchObject({ status: 'resolved', resolvedAt: '2018-12-10T09:00:00+07:00' });
    expect(statesEntered('09102/2018/00002').slice(2)).toEqual([WAITING, OVERDUE_CHECK, WAITING, RESOLVED_STEP, 'Dossier resolved']);
  });
});

describe('a resolution between a wait that timed out and the next wait', () => {
  it.each([
    ['during the overdue check', 'overdue-check', '09103/2018/00001'],
    ['while the next wait stores its new token', 'await-result', '09103/2018/00002'],
  ])('%s: parked on the dead token, and answered by the next wait', async (_, heldStep, no) => {
    // Prepare: the execution waits with its first token; the promised day then ends and the wait times out
    await at('2018-12-03T09:00:00+07:00', received(no));
    const deadToken = (await dossier(no))?.taskToken;
    const step = holdNext(heldStep);
    const passingDue = at(AFTER_DUE);
    expect(await reachedDuring(step, passingDue)).toBe(true);

    // Act
    await resolveWhileHeld(resolved(no, '2018-12-07T08:00:00+07:00'));
    const parked = await dossier(no);
    step.release();
    await passingDue;

    // Assess: the dossier was marked overdue (the check ran), then resolved; the citizen hears of it
    expect(smsKinds()).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(await dossier(no)).toMatchObject({ status: 'resolved', resolvedAt: '2018-12-07T08:00:00+07:00', overdueSince: expect.any(String) });
    expect(await dossier(no)).not.toHaveProperty('pendingResolution');
    expect(execution(no)?.status).toBe('SUCCEEDED');
    expect(statesEntered(no).slice(2)).toEqual([WAITING, OVERDUE_CHECK, WAITING, RESOLVED_STEP, 'Dossier resolved']);
    // ...through the dead token's parking, not an answer to it
    expect(parked).toMatchObject({ taskToken: deadToken, pendingResolution: { resolvedAt: '2018-12-07T08:00:00+07:00' } });
  });
});

describe('a resolution after the execution was resumed', () => {
  it('before the resolution is recorded: the execution is not resumed twice, one SMS, nothing left parked', async () => {
    // Prepare: the first resolution resumed the execution, whose last step is held
    const no = '09104/2018/00001';
    await at('2018-12-03T09:00:00+07:00', received(no));
    const step = holdNext('resolved');
    const resolving = at('2018-12-05T15:00:00+07:00', resolved(no));
    expect(await reachedDuring(step, resolving), 'the resolution resumed the execution').toBe(true);

    // Act: a second DossierResolved meets the answered token
    await resolveWhileHeld(resolved(no, '2018-12-05T16:00:00+07:00'));
    step.release();
    await resolving;
    await at('2018-12-06T09:00:00+07:00', resolved(no, '2018-12-06T09:00:00+07:00'));

    // Assess
    expect(smsKinds()).toEqual(['dossier-accepted', 'dossier-resolved']);
    const final = await dossier(no);
    expect(final).toMatchObject({ status: 'resolved', resolvedAt: '2018-12-05T15:00:00+07:00' });
    expect(final).not.toHaveProperty('pendingResolution');
    expect(final).not.toHaveProperty('taskToken');
    expect(execution(no)?.status).toBe('SUCCEEDED');
    expect(statesEntered(no).filter((s) => s === RESOLVED_STEP)).toHaveLength(1);
  });

  it('after a parked resolution was answered by the next wait: a copy is not applied again', async () => {
    // Prepare: parked during the overdue check, answered by the next wait
    const no = '09104/2018/00002';
    await at('2018-12-03T09:00:00+07:00', received(no));
    const check = holdNext('overdue-check');
    const last = holdNext('resolved');
    const passingDue = at(AFTER_DUE);
    expect(await reachedDuring(check, passingDue)).toBe(true);
    await resolveWhileHeld(resolved(no, '2018-12-07T08:00:00+07:00'));
    check.release();
    expect(await reachedDuring(last, passingDue), 'the next wait answered the parked resolution').toBe(true);

    // Act: another DossierResolved while the resumed execution records the first
    await resolveWhileHeld(resolved(no, '2018-12-07T08:30:00+07:00'));
    last.release();
    await passingDue;

    // Assess
    expect(smsKinds()).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(await dossier(no)).toMatchObject({ status: 'resolved', resolvedAt: '2018-12-07T08:00:00+07:00' });
    expect(await dossier(no)).not.toHaveProperty('pendingResolution');
    expect(statesEntered(no).filter((s) => s === RESOLVED_STEP)).toHaveLength(1);
  });
});
