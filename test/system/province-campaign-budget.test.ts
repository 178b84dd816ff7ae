/**
 * A province campaign against its agency's monthly budget in SMS parts (SPEC
 * "Province campaigns": `bhxh:campaignMonthlyParts`, checked at approval):
 * a campaign bigger than what its agency has left ends over-budget with a
 * reason that names the parts, and sends nothing; a second campaign of an
 * agency does not fit once the first reserved its parts; an agency with the
 * default budget is not affected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../../lambdas/flows/province-campaigns/ports.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';

const ROWS = 48;
/** 48 distinct recipients of one part each. */
function campaignRows(rows = ROWS): string {
  const lines = Array.from(
    { length: rows },
    (_, i) => `09123450${String(i).padStart(2, '0')},Nguyễn Văn ${String.fromCharCode(65 + (i % 26))}${i},8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú`,
  );
  return ['phone,ten,gio,ngay,diaDiem', ...lines].join('\n');
}

/** Budgets: Hà Tĩnh cannot afford one campaign, Nghệ An one but not two; Quảng Bình has the default. */
const BUDGETS = { 'BHXH-HATINH': 10, 'BHXH-NGHEAN': 60, default: 100_000 };

const CAMPAIGNS = [
  { campaignId: 'HT-2018-12-a', agency: 'BHXH-HATINH' },
  { campaignId: 'NA-2018-12-a', agency: 'BHXH-NGHEAN' },
  { campaignId: 'NA-2018-12-b', agency: 'BHXH-NGHEAN' },
  { campaignId: 'QB-2018-12-a', agency: 'BHXH-QUANGBINH' },
];

const campaign = async (system: LocalSystem, id: string) => (await system.scan<CampaignRecord>('ProvinceCampaignsCampaignsTable')).find((c) => c.campaignId === id);
const sentOf = (system: LocalSystem, id: string) => system.outbox.filter((m) => m.kind === 'province-campaign' && m.key.startsWith(`campaign#${id}#`));
const published = (system: LocalSystem, id: string) =>
  system.busEvents
    .filter((e) => e['detail-type'] === 'CampaignStatusChanged')
    .map((e) => e.detail as { campaignId: string; status: string; reason?: string })
    .filter((d) => d.campaignId === id);

describe("province campaigns against their agency's monthly budget", () => {
  let system: LocalSystem;

  beforeAll(async () => {
    // Prepare: four proposals of 48 parts, validated, then approved in order (Nghệ An's first before its second)
    system = await startLocalSystem({ context: { 'bhxh:campaignMonthlyParts': BUDGETS } });
    for (const { campaignId, agency } of CAMPAIGNS) {
      const recipients = system.uploadRecipients(agency, `${campaignId}.csv`, campaignRows());
      await atTime(system, '2018-12-03T09:00:00+07:00', entry('CampaignProposed', { ...sampleDetails.CampaignProposed, campaignId, agency, recipients }));
    }
    for (const { campaignId } of CAMPAIGNS) await atTime(system, '2018-12-03T10:00:00+07:00', entry('CampaignReviewed', { ...sampleDetails.CampaignReviewed, campaignId }));
    // Act: past every window, and the pace's waits after it
    for (const time of ['2018-12-05T09:30:00+07:00', '2018-12-05T09:31:00+07:00']) {
      await atTime(system, time);
      await system.drain();
    }
  }, 180_000);
  afterAll(async () => system?.stop());

  it('a campaign over what its agency has left ends over-budget at approval, naming the parts, and sends nothing', async () => {
    // Assess
    const c = await campaign(system, 'HT-2018-12-a');
    expect(c?.counts?.parts).toBe(ROWS);
    expect(c?.status).toBe('over-budget');
    expect(c?.budget).toBeUndefined();
    const why = `needs ${ROWS} parts; BHXH-HATINH has ${BUDGETS['BHXH-HATINH']} of its ${BUDGETS['BHXH-HATINH']} parts left for 2018-12`;
    expect(c?.history.at(-1)).toContain(`over-budget: ${why}`);
    expect(published(system, 'HT-2018-12-a').at(-1)).toMatchObject({ status: 'over-budget', reason: why });
    expect(sentOf(system, 'HT-2018-12-a')).toHaveLength(0);
  });

  it("an agency's second campaign does not fit once the first reserved its parts; the first is sent", async () => {
    // Assess
    const first = await campaign(system, 'NA-2018-12-a');
    const second = await campaign(system, 'NA-2018-12-b');
    expect(first).toMatchObject({ status: 'sent', budget: { month: '2018-12', parts: ROWS } });
    expect(sentOf(system, 'NA-2018-12-a')).toHaveLength(ROWS);
    expect(second?.status).toBe('over-budget');
    const left = BUDGETS['BHXH-NGHEAN'] - ROWS;
    expect(published(system, 'NA-2018-12-b').at(-1)).toMatchObject({
      status: 'over-budget',
      reason: `needs ${ROWS} parts; BHXH-NGHEAN has ${left} of its ${BUDGETS['BHXH-NGHEAN']} parts left for 2018-12`,
    });
    expect(sentOf(system, 'NA-2018-12-b')).toHaveLength(0);
  });

  it('an agency with the default budget is not affected', async () => {
    // Assess
    expect(await campaign(system, 'QB-2018-12-a')).toMatchObject({ status: 'sent', budget: { month: '2018-12', parts: ROWS } });
    expect(new Set(sentOf(system, 'QB-2018-12-a').map((m) => m.to)).size).toBe(ROWS);
  });
});
