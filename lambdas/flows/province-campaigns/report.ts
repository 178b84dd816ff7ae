/**
 * "Report the outcome": every accepted row with what became of its message
 * (the ledger's status when the report is written), counts by status, parts
 * and the estimated cost, a CSV of outcomes next to the recipients file, the
 * unspent part of the agency's budget given back, and the campaign's final
 * status published.
 */
import { csvCell } from '../../domain/form-01xn.ts';
import { campaignMessageKey, ESTIMATED_USD_PER_PART, locateRecipients, reportKeyOf, type CampaignStatus } from '../../domain/province-campaigns.ts';
import type { CampaignFiles, CampaignNotifyPorts, CampaignRowStore, LedgerStatuses } from './ports.ts';
import { publishStatus } from './status.ts';

export interface ReportPorts extends CampaignNotifyPorts {
  rows: CampaignRowStore;
  files: CampaignFiles;
  ledgerStatuses: LedgerStatuses;
}

/** Rows read (and ledger statuses fetched) at a time. */
const REPORT_PAGE = 1_000;
/** A row with no message in the ledger: the campaign stopped (cancelled, sendUntil passed, over budget) before it. */
export const NOT_SENT = 'not-sent';

export interface CampaignReport {
  status: CampaignStatus;
  byStatus: Record<string, number>;
  parts: number;
  estimatedUsd: number;
  outcomesReport?: string;
}

export async function reportCampaign(campaignId: string, deps: ReportPorts): Promise<CampaignReport> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  const byStatus: Record<string, number> = {};
  let parts = 0;
  const lines = ['row,status,parts'];
  for (let after = 0, more = true; more; ) {
    const page = await deps.rows.page(campaignId, after, REPORT_PAGE);
    const statuses = await deps.ledgerStatuses.statusesOf(page.rows.map((r) => campaignMessageKey(campaignId, r.row)));
    for (const row of page.rows) {
      const message = statuses.get(campaignMessageKey(campaignId, row.row));
      const status = message?.status ?? NOT_SENT;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      // What was handed to the provider, or may still be: skipped and never-queued rows cost nothing.
      const counted = message && status !== 'skipped' && status !== 'expired' && status !== 'technical-failure' ? row.parts : 0;
      parts += counted;
      lines.push([row.row, status, counted].map(csvCell).join(','));
    }
    after = page.rows.at(-1)?.row ?? after;
    more = page.more && page.rows.length > 0;
  }
  const location = locateRecipients(campaign.recipients, campaign.agency, deps.files.bucket);
  const outcomesReport = location.ok ? reportKeyOf(location.key, 'outcomes') : undefined;
  if (location.ok && outcomesReport) await deps.files.write(location.bucket, outcomesReport, `\uFEFF${lines.join('\r\n')}\r\n`);
  if (campaign.budget) await deps.campaigns.releaseBudget(campaign.agency, campaign.budget.month, campaign.budget.parts - parts);
  const estimatedUsd = Math.round(parts * ESTIMATED_USD_PER_PART * 100) / 100;
  const fields = { outcomes: byStatus, ...(outcomesReport ? { outcomesReport } : {}), ...(campaign.budget ? { budget: { ...campaign.budget, parts } } : {}) };
  const now = deps.now();
  if (campaign.status === 'sending' || campaign.status === 'scheduled') {
    const sent = await deps.campaigns.transition(campaignId, [campaign.status], 'sent', fields, `${parts} parts, about ${estimatedUsd} USD`, now);
    if (sent) await publishStatus(deps.events, sent, now);
    return { status: sent?.status ?? campaign.status, byStatus, parts, estimatedUsd, ...(outcomesReport ? { outcomesReport } : {}) };
  }
  // Cancelled or over budget while sending: the status was published when it changed; the report completes it.
  await deps.campaigns.transition(campaignId, [campaign.status], campaign.status, fields, `report: ${parts} parts, about ${estimatedUsd} USD`, now);
  return { status: campaign.status, byStatus, parts, estimatedUsd, ...(outcomesReport ? { outcomesReport } : {}) };
}
