/**
 * CampaignCancelled as the intake handles it (flows/province-campaigns/events.ts):
 * a cancellation of a campaign that does not exist, or that is final already,
 * is ignored with the reason, and changes, publishes and answers nothing; one
 * of a campaign in progress cancels it, publishes it, and answers its wait.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignStatus } from '../../lambdas/domain/province-campaigns.ts';
import { onCampaignCancelled, type CampaignEventPorts } from '../../lambdas/flows/province-campaigns/events.ts';
import type { CampaignRecord, ProvinceCampaignStore } from '../../lambdas/flows/province-campaigns/ports.ts';

const NOW = new Date('2018-12-07T02:00:00Z');
const cancellation = { campaignId: 'NA-2018-12-doi-thoai', cancelledBy: 'BHXH tỉnh Nghệ An', reason: 'Đổi lịch đối thoại' };

function record(status: CampaignStatus): CampaignRecord {
  return {
    campaignId: cancellation.campaignId,
    agency: 'BHXH-NGHEAN',
    title: 'Mời dự đối thoại chính sách BHXH tự nguyện',
    purpose: 'Mời người tham gia BHXH tự nguyện dự buổi đối thoại tại huyện',
    template: 'BHXH tỉnh Nghệ An trân trọng mời Ông/Bà ((ten)) dự buổi đối thoại lúc ((gio)).',
    recipients: 's3://bhxh-campaign-files/recipients/BHXH-NGHEAN/doi-thoai.csv',
    sendFrom: '2018-12-05T09:00:00+07:00',
    proposedBy: 'Phòng Truyền thông BHXH tỉnh Nghệ An',
    status,
    proposedAt: '2018-12-03T02:00:00.000Z',
    eventId: 'evt-1',
    updatedAt: '2018-12-03T02:00:00.000Z',
    history: [],
    taskToken: 'token-of-the-window',
  };
}

/** The campaigns (an in-memory table of one), the bus and the waits, each recording what it was asked. */
function fakes(stored: CampaignRecord | undefined) {
  let item = stored;
  const published: Array<{ type: string; detail: Record<string, unknown> }> = [];
  const answered: string[] = [];
  const transitions: string[] = [];
  const campaigns: Partial<ProvinceCampaignStore> = {
    get: async () => item,
    transition: async (_id, from, to, fields) => {
      if (!item || !from.includes(item.status)) return undefined;
      transitions.push(`${item.status}→${to}`);
      item = { ...item, ...fields, status: to };
      return item;
    },
  };
  const deps: CampaignEventPorts = {
    now: () => NOW,
    campaigns: campaigns as ProvinceCampaignStore,
    events: { publish: async (type: string, detail: Record<string, unknown>) => void published.push({ type, detail }) } as CampaignEventPorts['events'],
    startCampaignExecution: async () => undefined,
    answerWait: async (token) => {
      answered.push(token);
      return true;
    },
  };
  return { deps, published, answered, transitions, current: () => item };
}

describe('a CampaignCancelled', () => {
  it('for a campaign that does not exist is ignored, saying so', async () => {
    const { deps, published, answered } = fakes(undefined);
    expect(await onCampaignCancelled(cancellation, deps)).toEqual({ outcome: 'cancellation-ignored', campaignId: cancellation.campaignId, why: 'no such campaign' });
    expect(published).toEqual([]);
    expect(answered).toEqual([]);
  });

  it.each(['sent', 'refused', 'rejected', 'expired', 'over-budget', 'cancelled'] as const)('for a campaign %s already is ignored, and changes nothing', async (status) => {
    const { deps, published, answered, transitions, current } = fakes(record(status));
    expect(await onCampaignCancelled(cancellation, deps)).toEqual({
      outcome: 'cancellation-ignored',
      campaignId: cancellation.campaignId,
      why: `the campaign is ${status} already`,
    });
    expect(transitions).toEqual([]);
    expect(current()?.cancellation).toBeUndefined();
    expect(published).toEqual([]);
    expect(answered).toEqual([]);
  });

  it.each(['validating', 'awaiting-review', 'scheduled', 'sending'] as const)('for a campaign %s cancels it, publishes it, and answers its wait', async (status) => {
    const { deps, published, answered, transitions, current } = fakes(record(status));
    expect(await onCampaignCancelled(cancellation, deps)).toEqual({ outcome: 'campaign-cancelled', campaignId: cancellation.campaignId, answered: true });
    expect(transitions).toEqual([`${status}→cancelled`]);
    expect(current()?.cancellation).toEqual({ cancelledBy: cancellation.cancelledBy, reason: cancellation.reason, at: NOW.toISOString() });
    expect(published.map((p) => [p.type, p.detail.status, p.detail.reason])).toEqual([['CampaignStatusChanged', 'cancelled', cancellation.reason]]);
    expect(answered).toEqual(['token-of-the-window']);
  });
});
