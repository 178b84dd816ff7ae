/**
 * A province campaign end to end on the local system (SPEC "Province
 * campaigns"): a proposal of 51 rows (one landline, one value too long for 3
 * parts, one exact duplicate) is validated, waits for the IT Centre, is
 * approved, waits for its window and goes to 48 recipients, once each; every
 * change of status is published on the bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignExecutionName } from '../../lambdas/domain/province-campaigns.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { campaign, statusChanges, statusesPublished, until } from '../support/province-campaigns.ts';

const AGENCY = 'BHXH-NGHEAN';

/** 48 distinct recipients, then a landline, a value that cannot fit 3 parts, and a copy of the first row. */
function fiftyOneRows(): string {
  const rows = Array.from(
    { length: 48 },
    (_, i) => `09123450${String(i).padStart(2, '0')},Nguyễn Văn ${String.fromCharCode(65 + (i % 26))}${i},8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú`,
  );
  return [
    'phone,ten,gio,ngay,diaDiem',
    ...rows,
    '02438251234,Trần Thị Lan,8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú',
    `0912999888,Lê Văn Hùng,8 giờ 30,12/12/2018,${'Hội trường lớn của Ủy ban nhân dân huyện Nghi Lộc tỉnh Nghệ An '.repeat(8)}`,
    rows[0],
  ].join('\n');
}

describe('a province campaign of 51 rows, approved', () => {
  let system: LocalSystem;
  const id = 'NA-2018-12-doi-thoai';

  beforeAll(async () => {
    system = await startLocalSystem();
    const recipients = system.uploadRecipients(AGENCY, 'doi-thoai.csv', fiftyOneRows());
    await atTime(system, '2018-12-03T09:00:00+07:00', entry('CampaignProposed', { ...sampleDetails.CampaignProposed, campaignId: id, recipients }));
  }, 120_000);
  afterAll(async () => system?.stop());

  it('is validated: 48 accepted, the landline and the long value refused, the duplicate sent once; it waits for the review', async () => {
    const c = await campaign(system, id);
    expect(c).toMatchObject({ status: 'awaiting-review', counts: { rows: 51, accepted: 48, refused: 2, duplicate: 1, byReason: { 'invalid-phone': 1, 'too-long': 1 } } });
    expect(c?.refusedSample?.map((r) => r.row)).toEqual([50, 51]);
    const report = [...system.objects.entries()].find(([key]) => key.endsWith('recipients/BHXH-NGHEAN/doi-thoai.refused.csv'))?.[1];
    expect(
      report
        ?.split('\r\n')
        .filter(Boolean)
        .map((line) => line.split(',').slice(0, 2).join(',')),
    ).toEqual(['\uFEFFrow,reason', '50,invalid-phone', '51,too-long', '52,duplicate']);
    expect(system.outbox.filter((m) => m.kind === 'province-campaign')).toHaveLength(0);
  });

  it('sends nothing once approved until its window', async () => {
    await atTime(system, '2018-12-03T10:00:00+07:00', entry('CampaignReviewed', { ...sampleDetails.CampaignReviewed, campaignId: id }));
    expect(await campaign(system, id)).toMatchObject({ status: 'scheduled', review: { approved: true, reviewer: 'Trung tâm CNTT' }, sendAt: '2018-12-05T02:00:00.000Z' });
    await until(system, '2018-12-05T08:59:00+07:00');
    expect(system.outbox.filter((m) => m.kind === 'province-campaign')).toHaveLength(0);
  });

  it('goes to the 48 recipients at its window, once each, and reports', async () => {
    await until(system, '2018-12-05T09:30:00+07:00');
    // The pace's wait after the last rows, then the report.
    await until(system, '2018-12-05T09:31:00+07:00');
    const sent = system.outbox.filter((m) => m.kind === 'province-campaign');
    expect(sent).toHaveLength(48);
    expect(new Set(sent.map((m) => m.to)).size).toBe(48);
    expect(sent.every((m) => m.at >= '2018-12-05T09:00:00+07:00')).toBe(true);
    expect(sent.find((m) => m.to === '+84912345000')?.text).toBe(
      'BHXH tinh Nghe An tran trong moi Ong/Ba Nguyen Van A0 du buoi doi thoai ve chinh sach BHXH tu nguyen luc 8 gio 30 ngay 12/12/2018 tai Nha van hoa xa Nghi Phu.',
    );
    const c = await campaign(system, id);
    expect(c?.status).toBe('sent');
    // Handed to the provider, every one (the local provider may already have answered with a receipt).
    expect(
      Object.entries(c?.outcomes ?? {})
        .filter(([status]) => status === 'sent' || status === 'delivered')
        .reduce((n, [, count]) => n + count, 0),
    ).toBe(48);
    const outcomes = [...system.objects.entries()].find(([key]) => key.endsWith('doi-thoai.outcomes.csv'))?.[1];
    expect(outcomes?.split('\r\n').filter(Boolean)).toHaveLength(49);
    expect(
      system.executions.get(`ProvinceCampaign:${campaignExecutionName(id)}`)?.status ?? [...system.executions.values()].find((e) => e.name === campaignExecutionName(id))?.status,
    ).toBe('SUCCEEDED');
  });

  it('refuses a proposal whose recipients file is not there, saying so (S3 answers AccessDenied without ListBucket)', async () => {
    const missing = `s3://${system.bucketName('ProvinceCampaignsCampaignFilesBucket')}/recipients/${AGENCY}/never-uploaded.csv`;
    await atTime(system, '2018-12-05T10:00:00+07:00', entry('CampaignProposed', { ...sampleDetails.CampaignProposed, campaignId: 'NA-missing-file', recipients: missing }));
    const c = await campaign(system, 'NA-missing-file');
    expect(c).toMatchObject({ status: 'refused', problems: [expect.stringMatching(/never-uploaded\.csv cannot be read .*: no such file/)] });
  });

  it('finds the number of a row named by subject in the contact projection, and refuses a subject without one (no-phone)', async () => {
    const contact = (subjectId: string, phone: string | null) => entry('ContactUpdated', { subjectType: 'person', subjectId, name: 'Phạm Văn Minh', phone });
    await atTime(system, '2018-12-05T10:30:00+07:00', contact('0113096555', '0987654321'), contact('0113096556', null));
    const recipients = system.uploadRecipients(
      AGENCY,
      'theo-ma-so.csv',
      ['subjectType,subjectId,ten,gio,ngay,diaDiem', 'person,0113096555,Minh,8 giờ,20/12/2018,UBND xã', 'person,0113096556,Lan,8 giờ,20/12/2018,UBND xã'].join('\n'),
    );
    const details = { ...sampleDetails.CampaignProposed, campaignId: 'NA-by-subject', recipients, sendFrom: '2018-12-06T09:00:00+07:00' };
    await atTime(
      system,
      '2018-12-05T10:31:00+07:00',
      entry('CampaignProposed', details),
      entry('CampaignReviewed', { ...sampleDetails.CampaignReviewed, campaignId: 'NA-by-subject' }),
    );
    expect(await campaign(system, 'NA-by-subject')).toMatchObject({ counts: { accepted: 1, refused: 1, byReason: { 'no-phone': 1 } } });
    await until(system, '2018-12-06T09:01:00+07:00');
    await until(system, '2018-12-06T09:05:00+07:00');
    const sent = system.outbox.filter((m) => m.key?.startsWith('campaign#NA-by-subject#'));
    expect(sent.map((m) => m.to)).toEqual(['+84987654321']);
  });

  it('published each change of status, and nothing that names a recipient', () => {
    expect(statusesPublished(system, id)).toEqual(['validating', 'awaiting-review', 'scheduled', 'sending', 'sent']);
    for (const detail of statusChanges(system)) expect(JSON.stringify(detail)).not.toMatch(/0912345|Nguy/);
  });
});
