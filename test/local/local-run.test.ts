/**
 * The local run contract (SPEC "Local run contract"): `npm start -- --events
 * IN --outbox OUT` replays a file, line by line, into the synthesized system.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { now } from '../../lambdas/runtime/clock.ts';
import { parseReplayLine, replay } from '../../local/replay.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const line = (o: unknown) => JSON.stringify(o);
const payment = (paymentId: string, time: string) =>
  line({ Source: 'vn.gov.bhxh.tst', DetailType: 'UnitPaymentReceived', Detail: { ...sampleDetails.UnitPaymentReceived, paymentId }, Time: time });

describe('replay lines', () => {
  it('reads entries, clock lines and names what is wrong with a bad line', () => {
    expect(parseReplayLine(line({ clock: '2026-12-06T08:00:00+07:00' }), 1)).toEqual({ kind: 'clock', lineNo: 1, at: new Date('2026-12-06T01:00:00Z') });
    expect(parseReplayLine(payment('P1', '2026-12-01T09:00:00+07:00'), 2)).toMatchObject({ kind: 'event', entry: { Source: 'vn.gov.bhxh.tst', EventBusName: 'bhxh-notify' } });
    expect(parseReplayLine('', 3)).toBeUndefined();
    expect(parseReplayLine('{not json', 4)).toMatchObject({ kind: 'bad', lineNo: 4, error: expect.stringContaining('not valid JSON') });
    expect(parseReplayLine(line({ clock: 'tomorrow' }), 5)).toMatchObject({ kind: 'bad', error: expect.stringContaining('neither an EventBridge entry nor a clock line') });
  });
});

describe('replay into the local system', () => {
  let system: LocalSystem;
  beforeAll(async () => {
    system = await startLocalSystem();
  });
  afterAll(async () => system?.stop());

  it('moves the clock to each entry, skips bad lines with their number, and goes on', async () => {
    // Prepare
    const lines = [
      line({ Source: 'vn.gov.bhxh.tst', DetailType: 'ContactUpdated', Detail: sampleDetails.ContactUpdated, Time: '2026-12-01T08:00:00+07:00' }),
      'garbage',
      payment('R1', '2026-12-01T09:00:00+07:00'),
      line({ clock: '2026-12-02T10:00:00+07:00' }),
      payment('R2', '2026-12-02T10:00:00+07:00'),
    ];
    const bad: number[] = [];
    system.jumpClock(new Date('2026-12-01T07:00:00+07:00'));

    // Act
    const report = await replay(system, lines, (n) => bad.push(n));

    // Assess
    expect(report).toMatchObject({ events: 3, clockLines: 1, badLines: [{ lineNo: 2 }] });
    expect(bad).toEqual([2]);
    expect(system.outbox.map((l) => [l.key, l.at.slice(0, 16)])).toEqual([
      ['unit-payment-received#QW18013#R1', '2026-12-01T09:00'],
      ['unit-payment-received#QW18013#R2', '2026-12-02T10:00'],
    ]);
  });
});

describe('a replay that starts at its first line (npm start)', () => {
  const ticks: Array<{ schedule: string; at: string }> = [];
  let system: LocalSystem;
  beforeAll(async () => {
    system = await startLocalSystem({ instrumentation: { onSchedulerInvocation: (schedule, kind) => kind === 'recurring' && ticks.push({ schedule, at: now().toISOString() }) } });
  });
  afterAll(async () => system?.stop());

  it('fires nothing between the clock it found and its first line, and a schedule due at that very line', async () => {
    // Prepare: the clock stands at TEST_START (2018-12-03); the file begins a week later, on the six-hourly
    // receipt deadline check (00:15, 06:15, 12:15, 18:15 Vietnam time), and ends an hour after.
    const lines = ['', 'garbage', line({ clock: '2018-12-10T12:15:00+07:00' }), payment('S1', '2018-12-10T13:15:00+07:00')];

    // Act
    const report = await replay(system, lines, () => {}, { startAtFirstLine: true });

    // Assess: none of the week walked over before the first line (the clock runs on while handlers work: minutes compared) …
    expect(report).toMatchObject({ events: 1, clockLines: 1 });
    expect(ticks.filter((t) => t.at < '2018-12-10T05:15')).toEqual([]);
    // … and the check due at that very line fired
    expect(ticks.map((t) => [t.schedule, t.at.slice(0, 16)])).toContainEqual([expect.stringContaining('ReceiptDeadlineCheck'), '2018-12-10T05:15']);
  });
});

describe('npm start -- --events IN --outbox OUT', () => {
  it('writes one JSON line per SMS and per e-mail in the contract shape and exits 0', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'bhxh-replay-'));
    const input = path.join(dir, 'in.jsonl');
    const output = path.join(dir, 'out.jsonl');
    writeFileSync(
      input,
      [
        line({ Source: 'vn.gov.bhxh.tst', DetailType: 'ContactUpdated', Detail: sampleDetails.ContactUpdated, Time: '2026-12-01T08:00:00+07:00' }),
        payment('C1', '2026-12-01T09:00:00+07:00'),
        payment('C1', '2026-12-01T09:00:01+07:00'),
        '{"bad": ',
        line({
          Source: 'vn.gov.bhxh.tst',
          DetailType: 'ContactUpdated',
          Detail: { subjectType: 'person', subjectId: '0113096123', name: 'Hoài', phone: '0912345679', email: 'hoai@example.vn' },
          Time: '2026-12-01T09:10:00+07:00',
        }),
        line({
          Source: 'vn.gov.bhxh.dvc',
          DetailType: 'EAccountRegistrationReviewed',
          Detail: { ...sampleDetails.EAccountRegistrationReviewed, approved: false, reason: 'ảnh không rõ' },
          Time: '2026-12-01T09:15:00+07:00',
        }),
      ].join('\n'),
    );

    // Act
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'local/main.ts', '--events', input, '--outbox', output], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      timeout: 120_000,
    });

    // Assess
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Lines follow the events, but the SMS and the e-mail of one event leave
    // through two queues at once: their relative order is not part of the contract.
    const byEventThenChannel = (a: { at: string; channel: string }, b: { at: string; channel: string }) =>
      a.at.slice(0, 16).localeCompare(b.at.slice(0, 16)) || b.channel.localeCompare(a.channel);
    expect(lines.toSorted(byEventThenChannel)).toEqual([
      {
        channel: 'sms',
        to: '+84912345678',
        text: expect.stringContaining('(QW18013) da nop 10.000.000 d.'),
        kind: 'unit-payment-received',
        // The seed's wording is 161 characters: one over a single part.
        segments: 2,
        key: 'unit-payment-received#QW18013#C1',
        // The minute of the event's Time: the local clock keeps running while the handlers work
        at: expect.stringMatching(/^2026-12-01T09:00:\d\d\+07:00$/),
      },
      expect.objectContaining({ channel: 'sms', to: '+84912345679', kind: 'account-rejected', key: 'account-rejected#REG-2020-1' }),
      // The e-mail in the contract shape: with diacritics and a subject (SPEC rule 12).
      {
        channel: 'email',
        to: 'hoai@example.vn',
        subject: 'Đăng ký giao dịch điện tử với cơ quan BHXH chưa được phê duyệt',
        text: expect.stringContaining('chưa được phê duyệt do ảnh không rõ.'),
        attachments: [],
        kind: 'account-rejected',
        key: 'account-rejected#REG-2020-1#email',
        at: expect.stringMatching(/^2026-12-01T09:15:\d\d\+07:00$/),
      },
    ]);
    expect(stderr).toContain('line 4: skipped');
    expect(stdout).toContain('sent        2 SMS');
    expect(stdout).toContain('1 e-mail(s)');
    // The run's own output shows the e-mail, its address masked.
    expect(stdout).toContain('account-rejected -> e-mail h***@example.vn');
    expect(stdout).not.toContain('hoai@example.vn');
    expect(stdout).not.toContain('912345678');
  });
});
