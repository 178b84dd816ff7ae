/**
 * Nothing lost at campaign time: one bad item never stops a run, and facts
 * stored after their day's run (a late reminder, a late confirmation, a
 * deferral that reached the index after the 07:00 Query) are sent by the
 * hourly sweep. The synthesized state machines and schedules, on the local clock.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dueItemExpiry, dueOrderOf, pendingKeyOf, shardOf, type DueItem } from '../../lambdas/domain/due-items.ts';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { logicalId } from '../support/template-variants.ts';
import { minuteOf } from '../support/sent-at.ts';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

const at = (time: string, ...entries: ReturnType<typeof entry>[]) => atTime(system, time, ...entries);
const campaignMachine = () => system.resolver.ref(logicalId(system.template, 'AWS::StepFunctions::StateMachine', 'CampaignsCampaign'));
const contact = (subjectType: string, subjectId: string, phone: string) => entry('ContactUpdated', { subjectType, subjectId, name: 'Tên', phone });

/** A due item written straight to the table, as the intake of an earlier version (without its arrival check) did. */
async function putDueItem(item: Omit<DueItem, 'expiresAt' | 'pendingKey' | 'dueOrder'>): Promise<void> {
  const full: DueItem = { ...item, pendingKey: pendingKeyOf(item.kind, shardOf(item.pk)), dueOrder: dueOrderOf(item.dueDate, 'preloaded'), expiresAt: dueItemExpiry(item.dueDate) };
  await system.db.send(new PutCommand({ TableName: system.tableName('CampaignsDueItems'), Item: full }));
}

describe('one bad item never stops a campaign (31 unit statements, one too long for 3 parts)', () => {
  it('sends the 30 others, records the bad one as failed with its reason, and a re-run sends nothing twice', async () => {
    // Prepare: 30 units with statements for June 2019, through the intake, and one that renders to 4 parts
    system.jumpClock(new Date('2019-06-27T09:00:00+07:00'));
    const units = Array.from({ length: 31 }, (_, i) => `HN${String(i + 1).padStart(4, '0')}`);
    await at('2019-06-27T10:00:00+07:00', ...units.map((u, i) => contact('unit', u, `09130000${String(i + 10).padStart(2, '0')}`)));
    await at(
      '2019-06-28T11:00:00+07:00',
      ...units.slice(0, 30).map((unitCode) => entry('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, unitCode, month: '2019-06' })),
    );
    const bad = { ...sampleDetails.UnitMonthlyStatement, unitCode: units[30]!, month: '2019-06', unitName: `Công ty ${'X'.repeat(182)}`, agency: `BHXH ${'Y'.repeat(85)}` };
    await putDueItem({
      pk: `unit-monthly-statement#${bad.unitCode}#2019-06`,
      kind: 'unit-monthly-statement',
      dueDate: '2019-07-01',
      payload: bad,
      eventId: 'preloaded-1',
      asOf: '2019-06-28T04:00:00Z',
    });
    system.jumpClock(new Date('2019-06-30T12:00:00+07:00'));

    // Act: the 1st at 08:00
    await at('2019-07-01T09:00:00+07:00');

    // Assess
    const ledger = await system.scan<LedgerItem>('Ledger');
    const statements = ledger.filter((m) => m.kind === 'unit-monthly-statement' && m.key.endsWith('#2019-06'));
    const handedOver = (m: LedgerItem) => m.status === 'sent' || m.status === 'delivered';
    expect(statements.filter(handedOver)).toHaveLength(30);
    const failed = statements.find((m) => m.key.includes(bad.unitCode));
    expect(failed?.status).toBe('technical-failure');
    expect(failed?.reason).toBe('TemplateTooLongError: template unit-monthly-statement rendered to 4 parts; at most 3 are allowed');
    const run = system.executions.get(`${logicalId(system.template, 'AWS::StepFunctions::StateMachine', 'CampaignsCampaign')}:unit-monthly-statement-2019-07-01`);
    expect(run?.status).toBe('SUCCEEDED');
    const totals = (run!.output as { shards: Array<{ totals: { queued: number; failed: number } }> }).shards.map((s) => s.totals);
    expect(totals.reduce((n, t) => n + t.queued, 0)).toBe(30);
    expect(totals.reduce((n, t) => n + t.failed, 0)).toBe(1);
    const dueItems = await system.scan<DueItem>('CampaignsDueItems');
    expect(dueItems.find((d) => d.pk.includes(bad.unitCode))?.outcome).toMatch(/^failed: TemplateTooLongError/);
    expect(dueItems.filter((d) => d.kind === 'unit-monthly-statement' && d.pendingKey !== undefined)).toEqual([]);

    // Act: an operator re-runs the day, as the alarm advises
    const sentBefore = system.outbox.length;
    const rerun = system.startExecution(campaignMachine(), 'unit-monthly-statement-2019-07-01-rerun', { kind: 'unit-monthly-statement', date: '2019-07-01' });
    await rerun.done;
    await system.drain();

    // Assess: it succeeds and sends nothing twice
    expect(rerun.status).toBe('SUCCEEDED');
    expect(system.outbox).toHaveLength(sentBefore);
    expect(sentBefore).toBe(30);

    // Act: a statement already sent reappears in the index (a table restored from a backup) and the sweep takes it
    const again = { ...sampleDetails.UnitMonthlyStatement, unitCode: units[0]!, month: '2019-06' };
    await putDueItem({
      pk: `unit-monthly-statement#${again.unitCode}#2019-06`,
      kind: 'unit-monthly-statement',
      dueDate: '2019-07-01',
      payload: again,
      eventId: 'restored-1',
      asOf: '2019-06-28T04:00:00Z',
    });
    await at('2019-07-01T10:30:00+07:00');

    // Assess: the ledger absorbs it as a duplicate
    expect(system.outbox).toHaveLength(sentBefore);
    const first = (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === `unit-monthly-statement#${again.unitCode}#2019-06`);
    expect(first?.duplicates).toBe(1);
  });
});

describe('late facts are sent', () => {
  it('a password change reported after 08:00 on its reminder day is reminded at the next sweep, once', async () => {
    // Prepare
    system.jumpClock(new Date('2021-05-25T09:00:00+07:00'));
    await at('2021-05-25T09:30:00+07:00', contact('person', '0110200001', '0913100001'));

    // Act: changed on 25 Nov 2020, reported on its reminder day at 10:00
    await at('2021-05-25T10:00:00+07:00', entry('PasswordChanged', { personId: '0110200001', changedAt: '2020-11-25T10:00:00+07:00' }));
    await at('2021-05-25T13:00:00+07:00');

    // Assess
    expect(system.outbox.map((l) => [l.to, minuteOf(l.at)])).toEqual([['+84913100001', '2021-05-25T10:15']]);
  });

  it('a deferral that reached the index after the 07:00 run read it goes at the 07:15 sweep', async () => {
    // Prepare: the day's 07:00 release run has already read its index when, at 06:59:59, a payment is deferred to 07:00
    system.jumpClock(new Date('2021-06-02T06:59:00+07:00'));
    await at('2021-06-02T06:59:30+07:00', contact('unit', 'HN7001', '0913100002'));
    const early = system.startExecution(campaignMachine(), 'quiet-hours-release-2021-06-02', { kind: 'quiet-hours-release', date: '2021-06-02' });
    await early.done;
    await at('2021-06-02T06:59:59+07:00', entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'LATE-1', unitCode: 'HN7001' }));
    const deferred = system.outbox.length;

    // Act: the 07:00 tick finds its run done; the sweep follows at 07:15
    await at('2021-06-02T08:00:00+07:00');

    // Assess
    expect(deferred).toBe(0);
    expect(system.outbox.map((l) => [l.key, minuteOf(l.at)])).toEqual([['unit-payment-received#HN7001#LATE-1', '2021-06-02T07:15']]);
  });

  it('a confirmation that arrives after its form 01-XN went out is reported in a supplementary form: SMS, CSV and event', async () => {
    // Prepare: two confirmations of 20/10/2021 for TC009, the form at 07:30 on the 21st
    system.jumpClock(new Date('2021-10-20T09:00:00+07:00'));
    const confirm = (code: string, amount: number, paidAt: string) =>
      entry('CollectionPaymentConfirmed', { ...sampleDetails.CollectionPaymentConfirmed, confirmationCode: code, collectorCode: 'TC009', amount, paidAt, personId: '0110200002' });
    await at('2021-10-20T09:30:00+07:00', contact('collector', 'TC009', '0913100003'));
    await at('2021-10-20T10:00:00+07:00', confirm('XN-A', 1_000_000, '2021-10-20T09:40:00+07:00'), confirm('XN-B', 2_000_000, '2021-10-20T09:50:00+07:00'));
    await at('2021-10-21T08:00:00+07:00');

    // Act: a third confirmation of the 20th arrives at 09:00 on the 21st; then a copy of the first
    await at('2021-10-21T09:00:00+07:00', confirm('XN-C', 500_000, '2021-10-20T16:00:00+07:00'));
    await at('2021-10-21T10:00:00+07:00', confirm('XN-A', 1_000_000, '2021-10-20T09:40:00+07:00'));
    await at('2021-10-21T12:00:00+07:00');

    // Assess: the form once with both, the supplement with the late one only, nothing for the copy
    const forms = system.outbox.filter((l) => l.to === '+84913100003');
    expect(forms.map((l) => [minuteOf(l.at), l.text])).toEqual([
      [
        '2021-10-21T07:30',
        'Mau 01-XN ngay 20/10/2021, to chuc dich vu thu TC009: 2 ma xac nhan, tong so tien 3.000.000 dong. Chi tiet da gui qua he thong ket noi voi co quan BHXH.',
      ],
      [
        '2021-10-21T09:15',
        'Mau 01-XN bo sung lan 1 ngay 20/10/2021, to chuc dich vu thu TC009: 1 ma xac nhan, tong so tien 500.000 dong. Chi tiet da gui qua he thong ket noi voi co quan BHXH.',
      ],
    ]);
    const csv = (name: string) => [...system.objects.entries()].find(([key]) => key.endsWith(name))?.[1].split('\r\n');
    expect(
      csv('01-XN/TC009/2021-10-20.csv')
        ?.slice(1, 3)
        .map((row) => row.split(',')[1]),
    ).toEqual(['XN-A', 'XN-B']);
    expect(csv('01-XN/TC009/2021-10-20-bs1.csv')?.slice(1, 3)).toEqual(['1,XN-C,Đặng Thị Thu Hoài,0110200002,20/10/2021,500000,BHXH tự nguyện,3', ',Tổng cộng,,,,500000,,']);
    const ready = system.busEvents.filter((e) => e['detail-type'] === 'CollectionDailySummaryReady' && e.detail.collectorCode === 'TC009');
    expect(ready.map((e) => [e.detail.count, e.detail.total, e.detail.supplement])).toEqual([
      [2, 3_000_000, undefined],
      [1, 500_000, 1],
    ]);
  });
});
