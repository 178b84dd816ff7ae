/**
 * The dossier lifecycle: the state machine as CDK synthesizes it, executed by
 * aws-local-stepfunctions, with the real intake and step handlers against
 * DynamoDB Local, and the outbox in place of SNS.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dossierNoOf, executionNameOf, type DossierItem } from '../../lambdas/domain/dossiers.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, SEED } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const ACCEPTED = 'Ho so so 06991/2018/08608 dang duoc xu ly. Ket qua giai quyet ho so se co vao ngay 06/12/2018.';
const REJECTED = 'Ho so so 04548/2018/006 da bi tu choi do ho so khong hop le.';
const RESOLVED = (no: string) => `Ho so so ${no} da duoc giai quyet xong. Vui long nhan ket qua giai quyet theo hinh thuc da dang ky.`;

let system: LocalSystem;
beforeAll(async () => {
  // Campaign runs are tested in campaigns.test.ts; their daily ticks would only slow these scenes down.
  system = await startLocalSystem({ recurringSchedules: false });
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

const received = (dossierNo: string, extra: Record<string, unknown> = {}) =>
  entry('DossierReceived', { dossierNo, subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2018-12-06', phone: '0912345678', ...extra });
const resolved = (dossierNo: string) => entry('DossierResolved', { dossierNo, resolvedAt: '2018-12-05T15:00:00+07:00' });

const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const dossier = async (no: string) => (await system.scan<DossierItem>('DossiersDossiersTable')).find((d) => d.dossierNo === no);
const execution = (no: string) => [...system.executions.values()].find((e) => e.name === executionNameOf(no));

describe('dossier lifecycle', () => {
  it('received (valid) then resolved: the two seed messages, in order, one execution named after the dossier', async () => {
    // Act
    await at('2018-12-03T09:00:00+07:00', received('06991/2018/08608'));
    const waiting = await dossier('06991/2018/08608');
    await at('2018-12-05T15:00:00+07:00', resolved('06991/2018/08608'));
    await execution('06991/2018/08608')?.done;

    // Assess
    expect(system.outbox.map((l) => l.text)).toEqual([ACCEPTED, RESOLVED('06991/2018/08608')]);
    expect(waiting).toMatchObject({ status: 'received', expectedResultDate: '2018-12-06', taskToken: expect.any(String) });
    expect(await dossier('06991/2018/08608')).toMatchObject({ status: 'resolved', resolvedAt: '2018-12-05T15:00:00+07:00' });
    expect(execution('06991/2018/08608')).toMatchObject({ name: '06991-2018-08608', status: 'SUCCEEDED' });
    // The state transitions a dossier costs (README: 5 per dossier resolved in time)
    const entered = (execution('06991/2018/08608')!.history as Array<{ type: string; state?: { name: string } }>).filter((e) => e.type === 'StateEntered');
    expect(entered.map((e) => e.state?.name)).toEqual([
      'Record receipt and tell the citizen',
      'Was the dossier accepted?',
      'Wait for the result',
      'Tell the citizen the dossier is resolved',
      'Dossier resolved',
    ]);
  });

  it('received (invalid): the rejection with its reason, and the execution ends; a later resolution is recorded and ignored', async () => {
    await at('2018-12-03T09:00:00+07:00', received('04548/2018/006', { valid: false, expectedResultDate: undefined, rejectReason: 'hồ sơ không hợp lệ' }));
    await execution('04548/2018/006')?.done;
    await at('2018-12-04T09:00:00+07:00', resolved('04548/2018/006'));

    expect(system.outbox.map((l) => l.text)).toEqual([REJECTED]);
    expect(execution('04548/2018/006')?.status).toBe('SUCCEEDED');
    expect((execution('04548/2018/006')!.history as Array<{ type: string }>).filter((e) => e.type === 'StateEntered')).toHaveLength(3);
    expect(await dossier('04548/2018/006')).toMatchObject({ status: 'rejected', ignoredResolutions: 1 });
  });

  it('resolved before received: nothing lost, both messages in the right order once the dossier appears', async () => {
    // Act: the resolution overtakes the receipt
    await at('2018-12-03T09:00:00+07:00', resolved('03085_G/2018/00604'));
    const kept = await dossier('03085_G/2018/00604');
    await at('2018-12-03T09:05:00+07:00', received('03085_G/2018/00604'));
    await execution('03085_G/2018/00604')?.done;

    // Assess
    expect(kept).toMatchObject({ status: 'awaiting-receipt', pendingResolution: { resolvedAt: '2018-12-05T15:00:00+07:00' }, orphanSince: expect.any(String) });
    expect(system.outbox.map((l) => l.kind)).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(system.outbox[1]?.text).toBe(RESOLVED('03085_G/2018/00604'));
    expect(execution('03085_G/2018/00604')).toMatchObject({ name: '03085__G-2018-00604', status: 'SUCCEEDED' });
  });

  it('a second DossierReceived starts nothing new and sends nothing', async () => {
    await at('2018-12-03T09:00:00+07:00', received('04486.G/2019/08708'));
    const before = system.executions.size;
    await at('2018-12-03T09:10:00+07:00', received('04486.G/2019/08708'), received('04486.G/2019/08708', { expectedResultDate: '2018-12-20' }));

    expect(system.executions.size).toBe(before);
    expect(system.outbox.map((l) => l.kind)).toEqual(['dossier-accepted']);
    expect(await dossier('04486.G/2019/08708')).toMatchObject({ status: 'received', expectedResultDate: '2018-12-06' });
  });

  it('overdue: past the promised date the dossier is marked overdue and DossierOverdue is published, once; the resolution still arrives', async () => {
    // Prepare
    await at('2018-12-03T09:00:00+07:00', received('07001/2018/00001'));
    const overdueEvents = () => system.busEvents.filter((e) => e['detail-type'] === 'DossierOverdue' && e.detail.dossierNo === '07001/2018/00001');

    // Act: the clock passes the end of 06/12/2018 (Vietnam time), then much later
    await at('2018-12-06T23:59:00+07:00');
    const onTheDay = await dossier('07001/2018/00001');
    await at('2018-12-07T00:00:01+07:00');
    await at('2018-12-30T09:00:00+07:00');
    await at('2019-01-10T09:00:00+07:00', resolved('07001/2018/00001'));
    await execution('07001/2018/00001')?.done;

    // Assess
    expect(onTheDay?.status).toBe('received');
    expect(overdueEvents()).toHaveLength(1);
    expect(overdueEvents()[0]).toMatchObject({ source: 'vn.gov.bhxh.notify', detail: { expectedResultDate: '2018-12-06' } });
    expect(await dossier('07001/2018/00001')).toMatchObject({ status: 'resolved', overdueSince: expect.stringMatching(/^2018-12-06T17:00/) });
    expect(system.outbox.map((l) => l.kind)).toEqual(['dossier-accepted', 'dossier-resolved']);
    expect(execution('07001/2018/00001')?.status).toBe('SUCCEEDED');
  });

  it('keeps the dossier status for look-ups', async () => {
    await at('2018-12-03T09:00:00+07:00', received('08001/2018/00002', { expectedResultDate: '2018-12-10' }));
    expect(await dossier('08001/2018/00002')).toMatchObject({ status: 'received', expectedResultDate: '2018-12-10', subjectType: 'person', subjectId: SEED.personId });
  });
});

describe('execution names', () => {
  it('are valid Step Functions names, unique and reversible (property)', () => {
    const dossierNo = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$/);
    fc.assert(
      fc.property(dossierNo, dossierNo, (a, b) => {
        const name = executionNameOf(a);
        expect(name).toMatch(/^[A-Za-z0-9_.-]{1,80}$/);
        expect(dossierNoOf(name)).toBe(a);
        if (a !== b) expect(executionNameOf(b)).not.toBe(name);
      }),
    );
  });
});
