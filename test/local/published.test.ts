/**
 * `--published FILE` (SPEC "Local run contract"): every event the system
 * publishes on the bus, one JSON line each (`Source`, `DetailType`, `Detail`,
 * `Time`). Only the system's own functions' publications: the producers'
 * events a replay puts on the bus are not the system's, and a publication the
 * bus refuses is not published.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../local/replay.ts';
import type { LocalSystem, PublishedLine } from '../../local/runtime.ts';
import { SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const line = (o: unknown) => JSON.stringify(o);

// A person with a registered phone asks for a new password (PasswordResetRequested), and a dossier promised for
// 04/12/2018 is still open when that day ends (DossierOverdue): two publications of the system's own, in that order.
const SCENARIO = [
  line({
    Source: 'vn.gov.bhxh.tst',
    DetailType: 'ContactUpdated',
    Detail: { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678' },
    Time: '2018-12-03T09:00:00+07:00',
  }),
  line({
    Source: 'vn.gov.bhxh.tnhs',
    DetailType: 'DossierReceived',
    Detail: { dossierNo: '07101/2018/00001', subjectType: 'person', subjectId: SEED.personId, valid: true, expectedResultDate: '2018-12-04' },
    Time: '2018-12-03T09:30:00+07:00',
  }),
  line({
    Source: 'vn.gov.bhxh.smsgw',
    DetailType: 'InboundSmsReceived',
    Detail: { messageId: 'gw-pub-1', from: '0912345678', to: '8079', body: `BH MK ${SEED.personId}`, receivedAt: '2018-12-03T10:00:00+07:00' },
    Time: '2018-12-03T10:00:00+07:00',
  }),
  // Just past the end of the promised day (Vietnam time); then the morning after
  line({ clock: '2018-12-05T00:00:01+07:00' }),
  line({ clock: '2018-12-05T09:00:00+07:00' }),
];

/** A message's final status, as the status-events function publishes it from the ledger's stream. */
const statusLine = (detail: Record<string, unknown>, at: RegExp): PublishedLine => ({
  Source: 'vn.gov.bhxh.notify',
  DetailType: 'NotificationStatusChanged',
  Detail: { channel: 'sms', ...detail, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) },
  Time: expect.stringMatching(at),
});

/**
 * The lines the scenario publishes: the dossier's acceptance SMS delivered, the password reset asked of the portal
 * (whose lookup answer is skipped: the portal's temporary-password SMS answers it), the overdue dossier. Their
 * seconds are the local clock's, which runs while the handlers work.
 */
const EXPECTED: PublishedLine[] = [
  statusLine({ key: 'dossier-accepted#07101/2018/00001', kind: 'dossier-accepted', status: 'delivered', parts: 1, priceUsd: 0 }, /^2018-12-03T09:30:\d\d\+07:00$/),
  {
    Source: 'vn.gov.bhxh.notify',
    DetailType: 'PasswordResetRequested',
    Detail: { personId: SEED.personId, phone: '+84912345678' },
    Time: expect.stringMatching(/^2018-12-03T10:00:\d\d\+07:00$/),
  },
  statusLine(
    { key: 'lookup-answer#gw-pub-1', kind: 'lookup-password-reset', status: 'skipped', reason: 'answered by the temporary-password SMS' },
    /^2018-12-03T10:00:\d\d\+07:00$/,
  ),
  {
    Source: 'vn.gov.bhxh.notify',
    DetailType: 'DossierOverdue',
    Detail: { dossierNo: '07101/2018/00001', expectedResultDate: '2018-12-04', overdueSince: expect.stringMatching(/^2018-12-04T17:00:\d\d/) },
    Time: expect.stringMatching(/^2018-12-05T00:00:\d\d\+07:00$/),
  },
];

describe('the events the system publishes', () => {
  let system: LocalSystem;
  const seen: PublishedLine[] = [];
  beforeAll(async () => {
    system = await startLocalSystem({ recurringSchedules: false, onPublished: (l) => seen.push(l) });
  });
  afterAll(async () => system?.stop());

  it("are its own functions' accepted publications, in order, neither the replayed producers' events nor a refused one", async () => {
    // Prepare: a producer forging the system's own event, which the bus policy refuses
    const forged = line({
      Source: 'vn.gov.bhxh.notify',
      DetailType: 'DossierOverdue',
      Detail: { dossierNo: '07101/2018/00001', expectedResultDate: '2018-12-04', overdueSince: '2018-12-04T17:00:00.000Z' },
      Time: '2018-12-03T09:45:00+07:00',
      Producer: 'arn:aws:iam::000000000000:role/bhxh-producer-tst',
    });
    const lines = [...SCENARIO.slice(0, 2), forged, ...SCENARIO.slice(2)];

    // Act
    const report = await replay(system, lines);

    // Assess: the forgery was refused; every other event went on the bus, and only the system's own are published
    expect(report.badLines).toEqual([{ lineNo: 3, error: expect.stringContaining('AccessDeniedException') }]);
    expect(system.busEvents.map((e) => e['detail-type'])).toEqual([
      'ContactUpdated',
      'DossierReceived',
      'NotificationStatusChanged',
      'InboundSmsReceived',
      'PasswordResetRequested',
      'NotificationStatusChanged',
      'DossierOverdue',
    ]);
    expect(system.published).toEqual(EXPECTED);
    expect(seen).toEqual(system.published);
  });
});

const run = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'local/main.ts', ...args], { cwd: ROOT, timeout: 180_000 });

/** A run the command line refuses: its exit code and what it said. */
async function refused(args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  try {
    await run(args);
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { code: e.code, stderr: e.stderr ?? '' };
  }
  throw new Error(`npm start ${args.join(' ')} was not refused`);
}

describe('npm start -- --events IN --outbox OUT --published PUB', () => {
  it('writes one JSON line per published event, in the contract shape, to a file started afresh', async () => {
    // Prepare: PUB holds lines of an earlier run
    const dir = mkdtempSync(path.join(tmpdir(), 'bhxh-published-'));
    const input = path.join(dir, 'in.jsonl');
    const published = path.join(dir, 'published.jsonl');
    writeFileSync(input, SCENARIO.join('\n'));
    writeFileSync(published, `${line({ Source: 'vn.gov.bhxh.notify', DetailType: 'DossierOverdue', Detail: {}, Time: 'earlier run' })}\n`);

    // Act
    const { stdout } = await run(['--events', input, '--outbox', path.join(dir, 'out.jsonl'), '--published', published]);

    // Assess
    const lines = readFileSync(published, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const parsed = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toEqual(EXPECTED);
    for (const l of parsed) expect(Object.keys(l)).toEqual(['Source', 'DetailType', 'Detail', 'Time']);
    expect(stdout).toContain(`published   ${EXPECTED.length} event(s) to ${published}`);
  });

  it('refuses --published without a file name, naming the option, before anything starts', async () => {
    // Act
    const missing = await refused(['--published']);
    const empty = await refused(['--published=']);

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Option '--published <value>' argument missing");
    expect(missing.stderr).toContain('--published PUB.jsonl');
    expect(missing.stderr).not.toMatch(/^\s+at /m);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('npm start: --published needs a file name');
  });

  it('refuses a file it cannot write, and the outbox file as the published file', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'bhxh-published-'));
    const unwritable = path.join(dir, 'no-such-dir', 'published.jsonl');
    const out = path.join(dir, 'out.jsonl');

    // Act
    const badPath = await refused(['--published', unwritable]);
    const sameFile = await refused(['--outbox', out, '--published', out]);

    // Assess
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toContain(`npm start: --published ${unwritable}: cannot write the file (ENOENT`);
    expect(badPath.stderr).not.toMatch(/^\s+at /m);
    expect(sameFile.code).toBe(2);
    expect(sameFile.stderr).toContain('npm start: --published and --outbox name the same file');
  });
});
