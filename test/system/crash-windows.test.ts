/**
 * Crash windows of the edge: a step that fails after the ledger write must be
 * finished by the redelivery, not absorbed as a duplicate. An 8079 answer
 * recorded `queued` whose SendMessage failed is queued again; a PutEvents that
 * answers 200 with FailedEntryCount=1 is a failure, and the record is retried
 * until the event is on the bus (BH MK's PasswordResetRequested, the
 * operators' DossierResolutionUnmatched).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const OWNER = '0912345678';
const OWNER_E164 = '+84912345678';
let system: LocalSystem;
let messageNo = 0;

/** The bus emulator's `put`, which answers each PutEvents entry (an error string makes it a failed entry, FailedEntryCount=1). */
type BusPut = (entry: PutEventsRequestEntry) => Promise<string | undefined>;
const busOf = (s: LocalSystem) => (s as unknown as { bus: { put: BusPut } }).bus;

/** The next `times` entries of `detailType` that a handler publishes are refused, as PutEvents refuses a throttled entry. */
function refuseEntries(detailType: string, times: number): { refused: () => number; restore: () => void } {
  const bus = busOf(system);
  const put = bus.put.bind(bus);
  let refused = 0;
  bus.put = async (e) => {
    if (e.DetailType === detailType && refused < times) {
      refused += 1;
      return 'ThrottlingException: Rate exceeded';
    }
    return put(e);
  };
  return { refused: () => refused, restore: () => Reflect.deleteProperty(bus, 'put') };
}

beforeAll(async () => {
  system = await startLocalSystem({ recurringSchedules: false });
  await system.advanceClock(new Date('2021-03-01T09:00:00+07:00'));
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: OWNER, gender: 'female' })]);
  await system.drain();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  system.outbox.length = 0;
});

function sms(body: string, messageId = `gw-crash-${++messageNo}`) {
  return entry('InboundSmsReceived', { messageId, from: OWNER, to: '8079', body, receivedAt: '2021-03-01T10:00:00+07:00' });
}
async function publish(e: PutEventsRequestEntry): Promise<void> {
  await system.putEvents([e]);
  await system.drain();
}
const published = (detailType: string) => system.busEvents.filter((e) => e['detail-type'] === detailType);

describe('an 8079 answer whose SendMessage failed after the ledger write', () => {
  it('is queued again by the redelivery of the request, and sent once', async () => {
    // Prepare: the send queue refuses the next message (an SQS outage of one call)
    const sendQueue = system.queueByLogicalPrefix('SenderSendQueue');
    const send = sendQueue.send.bind(sendQueue);
    let refused = 0;
    sendQueue.send = (body, ...rest) => {
      if (refused === 0) {
        refused += 1;
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError' });
      }
      return send(body, ...rest);
    };

    // Act
    await publish(sms('BH THE HC4010110129425', 'gw-crash-queued'));
    Reflect.deleteProperty(sendQueue, 'send');

    // Assess: the first attempt recorded the answer and failed to queue it; the redelivery queued it
    expect(refused).toBe(1);
    expect(system.outbox.map((l) => [l.to, l.key])).toEqual([[OWNER_E164, 'lookup-answer#gw-crash-queued']]);
    const item = (await system.scan<LedgerItem>('Ledger')).find((m) => m.key === 'lookup-answer#gw-crash-queued');
    expect(item?.status).toBe('delivered');
  });
});

describe('PutEvents answering FailedEntryCount=1', () => {
  it('fails the BH MK record, whose redelivery publishes PasswordResetRequested; a gateway retry publishes nothing more', async () => {
    // Prepare
    const before = published('PasswordResetRequested').length;
    const failure = refuseEntries('PasswordResetRequested', 1);

    // Act
    await publish(sms(`BH MK ${SEED.personId}`, 'gw-crash-mk'));
    failure.restore();
    await publish(sms(`BH MK ${SEED.personId}`, 'gw-crash-mk'));

    // Assess: refused once, then published once, for the request and its retry together
    expect(failure.refused()).toBe(1);
    expect(
      published('PasswordResetRequested')
        .slice(before)
        .map((e) => e.detail),
    ).toEqual([{ personId: SEED.personId, phone: OWNER_E164 }]);
    expect(system.outbox).toEqual([]);
  });

  it('fails the orphan-resolution check, whose redelivery publishes DossierResolutionUnmatched', async () => {
    // Prepare: a resolution whose dossier never comes
    await publish(entry('DossierResolved', { dossierNo: '09999/2021/00001', resolvedAt: '2021-03-01T10:00:00+07:00' }));
    const failure = refuseEntries('DossierResolutionUnmatched', 1);

    // Act: the report's one-time schedule fires
    await system.advanceClock(new Date('2021-03-05T09:00:00+07:00'));
    await system.drain();
    failure.restore();

    // Assess
    expect(failure.refused()).toBe(1);
    expect(published('DossierResolutionUnmatched').map((e) => (e.detail as { dossierNo: string }).dossierNo)).toEqual(['09999/2021/00001']);
  });

  it("fails the dossier's overdue check, whose retry publishes DossierOverdue; the execution waits on for the resolution", async () => {
    // Prepare: a dossier promised for 10/03/2021; its first DossierOverdue is refused
    await publish(
      entry('DossierReceived', { dossierNo: '07002/2021/00001', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2021-03-10', phone: OWNER }),
    );
    const failure = refuseEntries('DossierOverdue', 1);

    // Act: the end of the promised day passes
    await system.advanceClock(new Date('2021-03-11T09:00:00+07:00'));
    await system.drain();
    failure.restore();

    // Assess: published once after the retry; the dossier is overdue and its execution still waits
    expect(failure.refused()).toBe(1);
    expect(published('DossierOverdue').map((e) => (e.detail as { dossierNo: string }).dossierNo)).toEqual(['07002/2021/00001']);
    const dossier = (await system.scan<{ dossierNo: string; status: string }>('DossiersDossiersTable')).find((d) => d.dossierNo === '07002/2021/00001');
    expect(dossier?.status).toBe('overdue');
    const execution = [...system.executions.values()].find((e) => e.name.startsWith('07002'));
    expect(execution?.status).toBe('RUNNING');
  });
});
