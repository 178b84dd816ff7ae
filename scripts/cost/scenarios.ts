/**
 * What the cost model drives: for each kind of message, the facts that make
 * it (and the set-up facts that exist before its story starts), published
 * N times through the local run, and the clock moves that make due work run.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { now } from '../../local/function-code.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import type { Meter, Usage } from './meter.ts';

/** Messages per scenario: a campaign page holds 100, so campaign overheads are amortized as in a real run. */
export const N = 100;

const entry = (source: string, detailType: string, detail: Record<string, unknown>, time: string): PutEventsRequestEntry => ({
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  EventBusName: 'bhxh-notify',
  Time: new Date(time),
});
const phone = (i: number, base: number) => `09${String(base + i).padStart(8, '0')}`;
const pad = (i: number) => String(i).padStart(4, '0');

export interface Scenario {
  kind: string;
  label: string;
  /** Facts that exist before the message's story starts (contacts, read models): not counted. */
  setup?: (i: number) => PutEventsRequestEntry[];
  measured: (i: number) => PutEventsRequestEntry[];
  /** After the measured events: jump the clock to `from` (nothing fires) and run it to `to` (what is due fires). */
  after?: { from: string; to: string };
}

const DAY = '2018-12-03';
export const at = (hhmm: string, day = DAY) => `${day}T${hhmm}:00+07:00`;

export const scenarios: Scenario[] = [
  {
    kind: 'unit-payment-received',
    label: 'Payment received (TST → employer)',
    measured: (i) => [
      entry(
        'vn.gov.bhxh.tst',
        'UnitPaymentReceived',
        {
          paymentId: `PT-C-${pad(i)}`,
          unitCode: `U${pad(i)}`,
          unitName: 'Cong ty TNHH Minh Phat',
          amount: 12_500_000,
          receivedAt: at('08:59'),
          agency: 'BHXH quan Ba Dinh',
          phone: phone(i, 11_000_000),
        },
        at('09:00'),
      ),
    ],
  },
  {
    kind: 'contribution-stopped',
    label: 'Contribution stopped (TST → worker)',
    measured: (i) => [
      entry(
        'vn.gov.bhxh.tst',
        'EmployeeContributionStopped',
        {
          personId: String(3_000_000_000 + i),
          fullName: 'Nguyen Van An',
          gender: 'male',
          unitCode: 'CJKE01',
          unitName: 'Cong ty TNHH Minh Phat',
          fromMonth: '2018-11',
          phone: phone(i, 12_000_000),
        },
        at('09:10'),
      ),
    ],
  },
  {
    kind: 'dossier',
    label: 'Dossier accepted + resolved (TNHS → citizen), Step Functions',
    setup: (i) => [
      entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_100_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 13_000_000) }, at('09:20')),
    ],
    measured: (i) => [
      entry(
        'vn.gov.bhxh.tnhs',
        'DossierReceived',
        { dossierNo: `${pad(i)}/2018/00001`, subjectType: 'person', subjectId: String(3_100_000_000 + i), valid: true, expectedResultDate: '2018-12-06' },
        at('09:30'),
      ),
      entry('vn.gov.bhxh.tnhs', 'DossierResolved', { dossierNo: `${pad(i)}/2018/00001`, resolvedAt: at('10:00') }, at('10:00')),
    ],
  },
  {
    kind: 'otp',
    label: 'VssID one-time code (DVC → citizen), urgent path',
    setup: (i) => [
      entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_200_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 14_000_000) }, at('10:10')),
    ],
    measured: (i) => [entry('vn.gov.bhxh.dvc', 'OtpIssued', { personId: String(3_200_000_000 + i), purpose: 'device-login', code: '482913', expiresAt: at('10:25') }, at('10:20'))],
  },
  {
    kind: 'lookup',
    label: '8079 look-up and its reply (gateway → citizen)',
    setup: (i) => [
      entry('vn.gov.bhxh.tst', 'ContactUpdated', { subjectType: 'person', subjectId: String(3_300_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 15_000_000) }, at('10:30')),
      entry(
        'vn.gov.bhxh.tst',
        'ContributionHistoryUpdated',
        { personId: String(3_300_000_000 + i), periods: [{ from: '2012-01', to: '2018-10', unitCode: 'CJKE01', unitName: 'Cong ty TNHH Minh Phat', scheme: 'compulsory' }] },
        at('10:31'),
      ),
    ],
    measured: (i) => [
      entry(
        'vn.gov.bhxh.smsgw',
        'InboundSmsReceived',
        { messageId: `gw-cost-${i}`, from: phone(i, 15_000_000), to: '8079', body: `BH QT ${3_300_000_000 + i}`, receivedAt: at('10:40') },
        at('10:40'),
      ),
    ],
  },
  {
    kind: 'collection-confirmed',
    label: "Collection confirmed (TCDVT → participant), and the collector's form 01-XN next morning",
    measured: (i) => [
      entry(
        'vn.gov.bhxh.tcdvt',
        'CollectionPaymentConfirmed',
        {
          confirmationCode: `XN${pad(i)}`,
          collectorCode: 'BD0001',
          personId: String(3_400_000_000 + i),
          fullName: 'Nguyen Van An',
          paidAt: at('11:00'),
          amount: 1_980_000,
          scheme: 'voluntary-social',
          months: 6,
          phone: phone(i, 16_000_000),
        },
        at('11:00'),
      ),
    ],
    after: { from: at('07:29', '2018-12-04'), to: at('07:31', '2018-12-04') },
  },
  {
    kind: 'health-card-expiring',
    label: 'Household card ends in 30 days (campaign at 08:00)',
    setup: (i) => [
      entry(
        'vn.gov.bhxh.tst',
        'ContactUpdated',
        { subjectType: 'person', subjectId: String(3_500_000_000 + i), name: 'Nguyen Van An', phone: phone(i, 17_000_000) },
        at('09:00', '2018-12-04'),
      ),
    ],
    measured: (i) => [
      entry(
        'vn.gov.bhxh.tst',
        'HealthCardIssued',
        { cardNo: `GD4${String(100_000_000_000 + i)}`, personId: String(3_500_000_000 + i), fullName: 'Nguyen Van An', validTo: '2019-01-10', scheme: 'household' },
        at('09:10', '2018-12-04'),
      ),
    ],
    after: { from: at('07:59', '2018-12-11'), to: at('08:01', '2018-12-11') },
  },
  {
    kind: 'unit-monthly-statement',
    label: "Employer's monthly statement (campaign on the 1st; the facilities' summary on the 6th is the same path)",
    setup: (i) => [
      entry(
        'vn.gov.bhxh.tst',
        'ContactUpdated',
        { subjectType: 'unit', subjectId: `S${pad(i)}`, name: 'Cong ty TNHH Minh Phat', phone: phone(i, 18_000_000) },
        at('09:00', '2018-12-12'),
      ),
    ],
    measured: (i) => [
      entry(
        'vn.gov.bhxh.tst',
        'UnitMonthlyStatement',
        {
          unitCode: `S${pad(i)}`,
          unitName: 'Cong ty TNHH Minh Phat',
          month: '2018-12',
          paidAmount: 125_000_000,
          carriedOverAmount: 0,
          expectedAmount: 126_500_000,
          agency: 'BHXH quan Ba Dinh',
        },
        at('09:10', '2018-12-12'),
      ),
    ],
    after: { from: at('07:59', '2019-01-01'), to: at('08:01', '2019-01-01') },
  },
];

async function publish(system: LocalSystem, entries: PutEventsRequestEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.Time && e.Time > now()) await system.advanceClock(e.Time);
    const result = await system.putEvents([e]);
    if (result.failed > 0) throw new Error(`${e.DetailType} refused: ${result.errors.join('; ')}`);
    await system.drain();
  }
}

/** Runs a scenario N times: its set-up unmetered, then its measured facts (and clock moves) in a meter window. */
export async function measure(system: LocalSystem, meter: Meter, scenario: Scenario): Promise<Usage> {
  const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
  const quarantined = quarantine.messages.length;
  for (let i = 0; i < N; i++) await publish(system, scenario.setup?.(i) ?? []);
  meter.start(system);
  for (let i = 0; i < N; i++) await publish(system, scenario.measured(i));
  if (scenario.after) {
    system.jumpClock(new Date(scenario.after.from));
    await system.advanceClock(new Date(scenario.after.to));
  }
  await system.drain();
  const usage = meter.stop(system);
  const last = quarantine.messages.at(-1);
  if (quarantine.messages.length > quarantined && last) {
    throw new Error(`scenario ${scenario.kind}: events were quarantined (${last.messageAttributes.errors?.StringValue})`);
  }
  return usage;
}
