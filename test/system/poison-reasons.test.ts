/**
 * Every failure has a reason: an event that cannot be processed reaches the
 * quarantine with a `reason` and `errors` (none without), the intake logs each
 * failed try at ERROR with its error, and neither holds personal data. A
 * scheduled fact whose message could not be sent on its day is refused on
 * arrival, not found by the campaign run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LocalMessage, LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId, withoutGrant } from '../support/template-variants.ts';

const padded = (start: string, length: number) => `${start} ${'Chi nhánh Hà Nội '.repeat(20)}`.slice(0, length).trimEnd().padEnd(length, 'A');

let system: LocalSystem;
const logLines: string[] = [];
beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false, logLevel: 'DEBUG', instrumentation: { onLog: (_entry, line) => logLines.push(line) } });
});
afterAll(async () => system?.stop());

async function publish(s: LocalSystem, e: PutEventsRequestEntry): Promise<void> {
  await s.putEvents([e]);
  await s.drain();
}
const quarantined = (s: LocalSystem) => s.queueByLogicalPrefix('EventIntakeQuarantine').messages;
const reasonOf = (m: LocalMessage) => [m.messageAttributes.reason?.StringValue, JSON.parse(m.messageAttributes.errors?.StringValue ?? '[]')];
const detailOf = (m: LocalMessage) => JSON.parse(m.body).detail as Record<string, unknown>;

describe('a date the schedule cannot hold', () => {
  it('quarantines a statement for month 9999-12 at once, naming the field and the years', async () => {
    // Act
    await publish(system, entry('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, unitCode: 'Y9999', month: '9999-12' }));

    // Assess
    const kept = quarantined(system).filter((m) => detailOf(m).unitCode === 'Y9999');
    expect(kept.map(reasonOf)).toEqual([['invalid-detail', ['detail.month: must be in the years 2000 to 2100']]]);
    expect(await system.scan('CampaignsDueItems')).toEqual([]);
  });
});

describe('a scheduled fact whose message cannot be sent', () => {
  it('quarantines, on arrival, a statement whose 191-character unit name and 90-character agency render to 4 parts', async () => {
    // Prepare: the seed-001 statement, with names as long as their schema allows a real unit and agency to be
    const unitName = padded('Công ty TNHH Hoya Glass Disk Việt Nam', 191);
    const agency = padded('BHXH TP.Hà Nội', 90);

    // Act
    await publish(system, entry('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, unitCode: 'LONG01', unitName, agency }));
    await publish(system, entry('UnitMonthlyStatement', { ...sampleDetails.UnitMonthlyStatement, unitCode: 'SHORT01' }));

    // Assess: the long one is in the quarantine with the reason; only the other waits for the 1st
    const kept = quarantined(system).filter((m) => detailOf(m).unitCode === 'LONG01');
    expect(kept.map(reasonOf)).toEqual([['render-failed', ['message: template unit-monthly-statement rendered to 4 parts; at most 3 are allowed']]]);
    expect((await system.scan<{ pk: string }>('CampaignsDueItems')).map((i) => i.pk)).toEqual(['unit-monthly-statement#SHORT01#2019-05']);
  });
});

describe('an event that keeps failing', () => {
  let outage: LocalSystem;
  afterAll(async () => outage?.stop());

  it('is quarantined by the intake, untouched, with its last error as the reason; each failed try is logged at ERROR with its error', async () => {
    // Prepare: the intake may not write any table (every record fails with AccessDenied)
    const template = withoutGrant(freshTemplate(), 'EventIntakeIntakeFunctionRole', 'dynamodb:PutItem');
    const intake = logicalId(template, 'AWS::Lambda::Function', 'EventIntakeIntakeFunction');
    const outageLogs: string[] = [];
    outage = await startLocalSystem({ template, recurringSchedules: false, logLevel: 'DEBUG', instrumentation: { onLog: (_entry, line) => outageLogs.push(line) } });
    const payment = { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-POISON-1', phone: '0912345678' };

    // Act
    await publish(outage, entry('UnitPaymentReceived', payment));

    // Assess: the outage is real
    expect(outage.accessDenied).toContainEqual(expect.objectContaining({ caller: intake, action: 'dynamodb:PutItem', allowed: false }));
    // the event is in the quarantine as it came, with the reason and the last error; nothing is left to the redrive policy
    const kept = quarantined(outage);
    expect(kept).toHaveLength(1);
    expect(detailOf(kept[0]!)).toEqual(payment);
    const [reason, errors] = reasonOf(kept[0]!);
    expect(reason).toBe('failed-repeatedly');
    expect(errors).toEqual([expect.stringMatching(/^failed 4 times, last with AccessDeniedException: /)]);
    expect(outage.queueByLogicalPrefix('EventIntakeIntakeQueue').messages).toHaveLength(0);
    // every failed try said why, at ERROR
    const failures = outageLogs.map((l) => JSON.parse(l) as { level: string; message: string; error?: string }).filter((l) => l.level === 'ERROR');
    expect(failures.filter((l) => /^AccessDeniedException: /.test(l.error ?? ''))).toHaveLength(4);
    expect(failures.map((l) => l.message)).toContain('event quarantined after repeated failures');
    // and no reason or log line names the unit, its phone number or its BHXH numbers
    for (const text of [JSON.stringify(kept[0]!.messageAttributes), outageLogs.join('\n')]) {
      expect(text).not.toContain('912345678');
      expect(text).not.toContain('Viện dầu khí');
    }
  });
});
