/**
 * CampaignStatusChanged: published at each change of a campaign's status, by
 * whoever made the change (the intake for a proposal or a cancellation, the
 * campaign's steps for the rest). Counts and parts only: the bus is read by
 * other systems, and a campaign's rows are citizens' numbers and names.
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import type { CampaignStatusDetail } from '../../domain/province-campaigns.ts';
import type { EventPublisher } from '../ports.ts';
import type { CampaignRecord } from './ports.ts';

export function statusDetail(campaign: CampaignRecord, at: Date, reason?: string): CampaignStatusDetail {
  const counts = campaign.counts;
  const totals = campaign.totals;
  // Known once the report has read the ledger: rows the campaign stopped before.
  const notSent = campaign.outcomes?.['not-sent'];
  return {
    campaignId: campaign.campaignId,
    agency: campaign.agency,
    status: campaign.status,
    ...(reason ? { reason: reason.slice(0, 300) } : {}),
    counts: {
      rows: counts?.rows ?? 0,
      accepted: counts?.accepted ?? 0,
      refused: counts?.refused ?? 0,
      duplicate: counts?.duplicate ?? 0,
      ...(totals ? { queued: totals.queued, skipped: totals.skipped } : {}),
      ...(notSent !== undefined ? { notSent } : {}),
    },
    parts: totals ? totals.parts : (counts?.parts ?? 0),
    at: at.toISOString(),
  };
}

export async function publishStatus(events: EventPublisher, campaign: CampaignRecord, at: Date, reason?: string): Promise<void> {
  await events.publish(NotifyDetailType.CampaignStatusChanged, statusDetail(campaign, at, reason) as unknown as Record<string, unknown>);
}
