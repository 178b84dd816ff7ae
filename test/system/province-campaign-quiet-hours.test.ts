/**
 * A province campaign and quiet hours (SPEC "Province campaigns": the send
 * keeps the quiet hours of every kind, 21:00–07:00 Vietnam time by default):
 * a window that opens at 22:00 sends nothing before 07:00 the next morning;
 * a send that reaches 21:00 mid-way stops paging (the last pages are made
 * small enough to go out before 21:00) and goes on at 07:00. The sender is
 * given 6 parts a second so that pages near 21:00 are small.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../../lambdas/flows/province-campaigns/ports.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const ROWS = 48;
const AGENCY = 'BHXH-NGHEAN';
const rowsCsv = () =>
  [
    'phone,ten,gio,ngay,diaDiem',
    ...Array.from(
      { length: ROWS },
      (_, i) => `09123450${String(i).padStart(2, '0')},Nguyễn Văn ${String.fromCharCode(65 + (i % 26))}${i},8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú`,
    ),
  ].join('\n');

const LATE = { campaignId: 'NA-late-window', sendFrom: '2018-12-05T22:00:00+07:00' };
const EVENING = { campaignId: 'NA-evening', sendFrom: '2018-12-05T20:59:45+07:00' };

const campaign = async (system: LocalSystem, id: string) => (await system.scan<CampaignRecord>('ProvinceCampaignsCampaignsTable')).find((c) => c.campaignId === id);
const sentOf = (system: LocalSystem, id: string) => system.outbox.filter((m) => m.kind === 'province-campaign' && m.key.startsWith(`campaign#${id}#`));
/** The Vietnam clock time (HH:MM:SS) of an outbox line's `at` (written with +07:00). */
const clockTime = (at: string) => at.slice(11, 19);

describe('a province campaign and quiet hours', () => {
  let system: LocalSystem;

  beforeAll(async () => {
    // Prepare: two campaigns approved on the 3rd, one whose window opens at 22:00, one a quarter of a minute before 21:00
    system = await startLocalSystem({ context: { 'bhxh:smsPartsPerSecond': 6 } });
    for (const { campaignId, sendFrom } of [LATE, EVENING]) {
      const recipients = system.uploadRecipients(AGENCY, `${campaignId}.csv`, rowsCsv());
      await atTime(system, '2018-12-03T09:00:00+07:00', entry('CampaignProposed', { ...sampleDetails.CampaignProposed, campaignId, recipients, sendFrom }));
      await atTime(system, '2018-12-03T10:00:00+07:00', entry('CampaignReviewed', { ...sampleDetails.CampaignReviewed, campaignId }));
    }
    // Act: the evening, second by second (each pace's wait ends on its second), then the night
    const evening = Date.parse(EVENING.sendFrom);
    for (let s = 0; s <= 30; s++) await atTime(system, new Date(evening + s * 1000).toISOString());
    await atTime(system, '2018-12-06T06:59:59+07:00');
  }, 180_000);
  afterAll(async () => system?.stop());

  it('a window that opens in quiet hours waits for 07:00, and nothing is sent before', async () => {
    // Assess
    expect(await campaign(system, LATE.campaignId)).toMatchObject({ status: 'scheduled', sendAt: '2018-12-06T00:00:00.000Z' });
    expect(sentOf(system, LATE.campaignId)).toHaveLength(0);
  });

  it('a send that reaches 21:00 stops paging before it: some rows sent, the rest wait for the morning', async () => {
    // Assess
    const evening = sentOf(system, EVENING.campaignId);
    expect(evening.length).toBeGreaterThan(0);
    expect(evening.length).toBeLessThan(ROWS);
    expect(evening.every((m) => m.at >= '2018-12-05T20:59:45' && m.at < '2018-12-05T21:00:00')).toBe(true);
    expect((await campaign(system, EVENING.campaignId))?.status).toBe('sending');
  });

  it('at 07:00 both are sent in full, once each, and no SMS of a campaign went out in quiet hours', async () => {
    // Act: the morning, and the pace's waits after it
    await atTime(system, '2018-12-06T07:00:00+07:00');
    await atTime(system, '2018-12-06T07:01:00+07:00');
    await atTime(system, '2018-12-06T07:02:00+07:00');

    // Assess
    for (const { campaignId } of [LATE, EVENING]) {
      const sent = sentOf(system, campaignId);
      expect(new Set(sent.map((m) => m.key)).size).toBe(ROWS);
      expect(sent).toHaveLength(ROWS);
      expect((await campaign(system, campaignId))?.status).toBe('sent');
    }
    expect(sentOf(system, LATE.campaignId).every((m) => m.at >= '2018-12-06T07:00:00')).toBe(true);
    const all = system.outbox.filter((m) => m.kind === 'province-campaign');
    expect(all.every((m) => clockTime(m.at) >= '07:00:00' && clockTime(m.at) < '21:00:00')).toBe(true);
  });
});
