/**
 * A CampaignProposed line of a replay names its recipients by a file path
 * (SPEC "Province campaigns": "a file path in the local run"), relative to the
 * events file: the replay uploads it as the agency would and delivers the
 * event with its s3:// address; a file that cannot be read makes a bad line.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../local/replay.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const line = (o: unknown) => JSON.stringify(o);
const CSV = [
  'phone,ten,gio,ngay,diaDiem',
  '0913204118,Nguyễn Văn Hùng,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
  '0983551207,Trần Thị Lan,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
].join('\n');

/** A campaign proposed, approved, and the clock through its window (09:00) and the pace's wait after its last page. */
function campaignLines(campaignId: string, recipients: string): string[] {
  return [
    line({
      Source: 'vn.gov.bhxh.campaigns',
      DetailType: 'CampaignProposed',
      Time: '2018-12-03T09:10:00+07:00',
      Detail: { ...sampleDetails.CampaignProposed, campaignId, recipients },
    }),
    line({ Source: 'vn.gov.bhxh.cntt', DetailType: 'CampaignReviewed', Time: '2018-12-03T10:00:00+07:00', Detail: { ...sampleDetails.CampaignReviewed, campaignId } }),
    line({ clock: '2018-12-05T09:01:00+07:00' }),
    line({ clock: '2018-12-05T09:05:00+07:00' }),
  ];
}

describe('a replayed proposal whose recipients are a local file', () => {
  let system: LocalSystem;
  let dir: string;
  beforeAll(async () => {
    system = await startLocalSystem({ recurringSchedules: false });
    dir = mkdtempSync(path.join(tmpdir(), 'bhxh-recipients-'));
    mkdirSync(path.join(dir, 'lists'));
    writeFileSync(path.join(dir, 'lists', 'doi-thoai.csv'), CSV);
  });
  afterAll(async () => system?.stop());

  it("is read relative to the events file, uploaded under the agency's prefix, and sent", async () => {
    // Act
    const report = await replay(system, campaignLines('NA-replay-file', 'lists/doi-thoai.csv'), undefined, { baseDir: dir });

    // Assess: the functions got the s3:// address, as in AWS
    expect(report.badLines).toEqual([]);
    const proposed = system.busEvents.find((e) => e['detail-type'] === 'CampaignProposed')?.detail as { recipients: string };
    expect(proposed.recipients).toMatch(/^s3:\/\/[^/]+\/recipients\/BHXH-NGHEAN\/doi-thoai\.csv$/);
    expect([...system.objects.entries()].find(([key]) => key.endsWith('recipients/BHXH-NGHEAN/doi-thoai.csv'))?.[1]).toBe(CSV);
    expect(system.outbox.filter((m) => m.kind === 'province-campaign').map((m) => m.to)).toEqual(expect.arrayContaining(['+84913204118', '+84983551207']));
    expect(system.outbox.filter((m) => m.kind === 'province-campaign')).toHaveLength(2);
  });

  it('is a bad line, reported with its number, when the file cannot be read; the run goes on', async () => {
    // Prepare
    const lines = [...campaignLines('NA-replay-missing', 'lists/missing.csv').slice(0, 1), line({ clock: '2018-12-06T09:00:00+07:00' })];
    const bad: Array<[number, string]> = [];

    // Act
    const report = await replay(system, lines, (n, error) => bad.push([n, error]), { baseDir: dir });

    // Assess
    expect(report.badLines).toEqual([{ lineNo: 1, error: 'the recipients file lists/missing.csv cannot be read (ENOENT)' }]);
    expect(bad.map(([n]) => n)).toEqual([1]);
    expect(report.clockLines).toBe(1);
    expect(system.busEvents.filter((e) => (e.detail as { campaignId?: string }).campaignId === 'NA-replay-missing')).toEqual([]);
  });
});

describe('npm start -- --events IN with a recipients path', () => {
  it('reads it next to IN, not in the working directory', async () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'bhxh-recipients-run-'));
    writeFileSync(path.join(dir, 'list.csv'), CSV);
    writeFileSync(path.join(dir, 'in.jsonl'), campaignLines('NA-replay-run', 'list.csv').join('\n'));
    const output = path.join(dir, 'out.jsonl');

    // Act
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'local/main.ts', '--events', path.join(dir, 'in.jsonl'), '--outbox', output], {
      cwd: ROOT,
      timeout: 180_000,
    });

    // Assess
    expect(stderr).not.toContain('skipped');
    const sent = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; key: string });
    expect(sent.map((m) => [m.kind, m.key]).sort()).toEqual([
      ['province-campaign', 'campaign#NA-replay-run#2'],
      ['province-campaign', 'campaign#NA-replay-run#3'],
    ]);
  }, 180_000);
});
