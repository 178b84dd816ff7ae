/**
 * Province campaigns from the ops CLI against the local run: a proposal from
 * a JSON file and its CSV (uploaded under the agency's prefix, CampaignProposed
 * published), the IT Centre's approval and rejection, a cancellation, and the
 * listings, which never show a number or a name of a row.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../../lambdas/flows/province-campaigns/ports.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import type { OpsTarget } from '../../ops/commands.ts';
import { main, runCommand } from '../../ops/main.ts';
import { localTarget } from '../../ops/target.ts';
import { sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const AGENCY = 'BHXH-NGHEAN';
/** Three recipients, a landline (row 5, refused) and an exact copy of row 2 (sent once). */
const CSV = [
  'phone,ten,gio,ngay,diaDiem',
  '0912345001,Nguyễn Văn An,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
  '0912345002,Trần Thị Bình,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
  '0912345003,Lê Văn Cường,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
  '02438251234,Phạm Thị Dung,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
  '0912345001,Nguyễn Văn An,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
].join('\n');
/** Any phone number, in any of the forms a row may hold, or a recipient's name. */
const RECIPIENT_DATA = /09\d{8}|\+84\d|84\d{9}|02438251234|Nguy|Trần|Cường/;

let system: LocalSystem;
let dir: string;
let printed: string[];
let target: OpsTarget;

beforeAll(async () => {
  system = await startLocalSystem();
  dir = mkdtempSync(path.join(tmpdir(), 'ops-campaigns-'));
}, 120_000);
afterAll(async () => system?.stop());
beforeEach(() => {
  printed = [];
  target = localTarget(system, { by: 'test-operator', print: (line = '') => printed.push(line) });
});

/** FILE.json with the sample proposal under `id`, its recipients a CSV next to it (as an agency would write them). */
function proposalFile(id: string, fields: Record<string, unknown> = {}): string {
  writeFileSync(path.join(dir, `${id}.csv`), CSV);
  const file = path.join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({ ...sampleDetails.CampaignProposed, campaignId: id, recipients: `./${id}.csv`, ...fields }));
  return file;
}
const campaign = async (id: string) => (await system.scan<CampaignRecord>('ProvinceCampaignsCampaignsTable')).find((c) => c.campaignId === id);
const eventsOf = (detailType: string) => system.busEvents.filter((e) => e['detail-type'] === detailType);
const output = () => printed.join('\n');

describe('ops propose, approve, reject, cancel, campaigns, campaign', () => {
  const approved = 'NA-OPS-approved';
  const rejected = 'NA-OPS-rejected';

  it('propose uploads the CSV under the agency prefix, publishes CampaignProposed, and the campaign awaits review in the listing', async () => {
    // Act
    await runCommand(target, ['propose', proposalFile(approved)]);
    await runCommand(target, ['campaigns']);

    // Assess
    const bucket = system.bucketName('ProvinceCampaignsCampaignFilesBucket');
    expect(system.objects.get(`${bucket}/recipients/${AGENCY}/${approved}.csv`)).toBe(CSV);
    const proposed = eventsOf('CampaignProposed').at(-1);
    expect(proposed).toMatchObject({ source: 'vn.gov.bhxh.campaigns', detail: { campaignId: approved, recipients: `s3://${bucket}/recipients/${AGENCY}/${approved}.csv` } });
    expect(await campaign(approved)).toMatchObject({ status: 'awaiting-review', counts: { rows: 5, accepted: 3, refused: 1, duplicate: 1 } });
    expect(output()).toMatch(new RegExp(`${approved}\\s+${AGENCY}\\s+awaiting-review\\s+5/3/1\\s`));
  });

  it('approve publishes CampaignReviewed from the IT Centre with the reviewer given by --as: the campaign is scheduled, and listed with its reviewer', async () => {
    // Act
    await runCommand(target, ['approve', approved, '--reason', 'Nội dung phù hợp', '--as', 'cntt.reviewer']);
    await runCommand(target, ['campaigns']);

    // Assess
    expect(eventsOf('CampaignReviewed').at(-1)).toMatchObject({
      source: 'vn.gov.bhxh.cntt',
      detail: { campaignId: approved, approved: true, reviewer: 'cntt.reviewer', reason: 'Nội dung phù hợp' },
    });
    expect(await campaign(approved)).toMatchObject({ status: 'scheduled', review: { approved: true, reviewer: 'cntt.reviewer', reason: 'Nội dung phù hợp' } });
    expect(output()).toMatch(new RegExp(`${approved}\\s+${AGENCY}\\s+scheduled\\s+5/3/1\\s+\\d+\\s+2018-12-05T02:00:00.000Z\\s+cntt.reviewer\\s`));
  });

  it('reject records the operator (--by) as the reviewer: the campaign is rejected', async () => {
    // Prepare
    await runCommand(target, ['propose', proposalFile(rejected)]);

    // Act
    await runCommand(target, ['reject', rejected, '--reason', 'Trùng tin nhắn của BHXH Việt Nam']);

    // Assess
    expect(await campaign(rejected)).toMatchObject({ status: 'rejected', review: { approved: false, reviewer: 'test-operator', reason: 'Trùng tin nhắn của BHXH Việt Nam' } });
    expect(output()).toMatch(/rejected NA-OPS-rejected as test-operator .*: now rejected/);
  });

  it('cancel publishes CampaignCancelled: the scheduled campaign is cancelled and sends nothing at its window', async () => {
    // Act
    await runCommand(target, ['cancel', approved, '--reason', 'Đổi lịch đối thoại']);
    await atTime(system, '2018-12-05T10:00:00+07:00');
    await system.drain();

    // Assess
    expect(eventsOf('CampaignCancelled').at(-1)).toMatchObject({ source: 'vn.gov.bhxh.cntt', detail: { campaignId: approved, cancelledBy: 'test-operator' } });
    expect(await campaign(approved)).toMatchObject({ status: 'cancelled', cancellation: { cancelledBy: 'test-operator', reason: 'Đổi lịch đối thoại' } });
    expect(system.outbox.filter((m) => m.kind === 'province-campaign')).toHaveLength(0);
  });

  it('campaign <id> shows the refused rows by number, reason and column, the report in its bucket and the history; no number, no name', async () => {
    // Act
    await runCommand(target, ['campaign', approved]);

    // Assess
    const bucket = system.bucketName('ProvinceCampaignsCampaignFilesBucket');
    expect(output()).toMatch(/row\s+5\s+invalid-phone\s+\(column phone\)/);
    expect(output()).toContain(`s3://${bucket}/recipients/${AGENCY}/${approved}.refused.csv`);
    expect(output()).toMatch(/rows\s+5: 3 accepted, 1 refused, 1 duplicate/);
    expect(output()).toMatch(/review\s+approved by cntt.reviewer/);
    expect(output()).toMatch(/cancelled\s+by test-operator .*: Đổi lịch đối thoại/);
    expect(output()).toContain(String(sampleDetails.CampaignProposed.template));
    expect(output()).not.toMatch(RECIPIENT_DATA);
  });

  it('a review or cancellation without --reason is refused before anything is published', async () => {
    // Prepare
    const reviews = eventsOf('CampaignReviewed').length;
    const lines: string[] = [];

    // Act
    const code = await main(['approve', rejected], (line = '') => lines.push(line));

    // Assess: refused before any stack is reached, and through a target too
    expect(code).toBe(2);
    expect(lines.join('\n')).toMatch(/error: approve needs --reason "…"/);
    await expect(runCommand(target, ['cancel', rejected])).rejects.toThrow(/cancel needs --reason/);
    await expect(runCommand(target, ['reject', rejected, '--reason', 'no'])).rejects.toThrow(/reject needs --reason/);
    expect(eventsOf('CampaignReviewed')).toHaveLength(reviews);
    expect((await campaign(rejected))?.status).toBe('rejected');
  });

  it('a proposal that does not match the catalogue is refused naming each field, before anything is uploaded or published', async () => {
    // Prepare
    const proposals = eventsOf('CampaignProposed').length;
    const bad = 'NA-OPS-bad';
    const file = proposalFile(bad, { sendFrom: 'next Monday', title: undefined });

    // Act
    const refused = runCommand(target, ['propose', file]);

    // Assess
    await expect(refused).rejects.toThrow(/sendFrom: /);
    await expect(refused).rejects.toThrow(/title: is required/);
    expect([...system.objects.keys()].some((key) => key.includes(bad))).toBe(false);
    expect(eventsOf('CampaignProposed')).toHaveLength(proposals);
  });
});
