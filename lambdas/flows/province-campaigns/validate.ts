/**
 * "Validate the proposal": the campaign's first step. A template that repeats
 * a central kind's message, a recipients file outside the agency's prefix or
 * that cannot be read, or no row that can be sent: the proposal is refused
 * whole, with the reasons. Otherwise the accepted rows are kept for the send,
 * the refused ones listed in a CSV next to the recipients file, and the
 * campaign waits for the IT Centre's review.
 */
import { checkCentralCopy } from '../../domain/campaign-proposals/central-copy.ts';
import { refusedRowsCsv } from '../../domain/campaign-proposals/report.ts';
import { validateProposalRows, type AcceptedRow, type RefusedRow } from '../../domain/campaign-proposals/rows.ts';
import { locateRecipients, reportKeyOf, type CampaignStatus } from '../../domain/province-campaigns.ts';
import { inParallel } from '../../domain/in-parallel.ts';
import { resolveRecipient } from '../../domain/messages.ts';
import type { ContactStore } from '../ports.ts';
import type { CampaignFiles, CampaignNotifyPorts, CampaignRecord, CampaignRowStore, RowSummary, StoredRow } from './ports.ts';
import { publishStatus } from './status.ts';

export interface ValidatePorts extends CampaignNotifyPorts {
  rows: CampaignRowStore;
  files: CampaignFiles;
  contacts: ContactStore;
}

/** Refused rows kept on the campaign for `ops campaign` (all of them are in the CSV report). */
const REFUSED_SAMPLE = 50;
/** Contact look-ups in flight for rows named by subject. */
const LOOKUPS_IN_FLIGHT = 16;

export async function validateProposal(campaignId: string, deps: ValidatePorts): Promise<{ status: CampaignStatus }> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  // A retried step, or a campaign cancelled while it was validated: say where it is.
  if (campaign.status !== 'validating') return { status: campaign.status };

  const copy = checkCentralCopy(campaign.template);
  if (copy.copy) {
    const problem = `template: repeats the central message "${copy.kind}" (similarity ${copy.score.toFixed(2)}, refused from 0.50): BHXH Việt Nam sends it already (seed 001)`;
    return refuse(campaign, [problem], deps, { copyOf: { kind: copy.kind, score: Number(copy.score.toFixed(2)) } });
  }
  const location = locateRecipients(campaign.recipients, campaign.agency, deps.files.bucket);
  if (!location.ok) return refuse(campaign, [location.problem], deps);
  let csv: string;
  try {
    csv = await deps.files.read(location.bucket, location.key);
  } catch (error) {
    // Without s3:ListBucket (which the step does not need), S3 answers a missing object with AccessDenied, not NoSuchKey.
    if (!['NoSuchKey', 'AccessDenied'].includes((error as Error).name)) throw error;
    return refuse(campaign, [`recipients: ${location.key} cannot be read in ${location.bucket}: no such file (or the stack may not read it)`], deps);
  }
  const checked = validateProposalRows(campaign.template, csv);
  if (!checked.ok) return refuse(campaign, checked.problems, deps);

  const refused = [...checked.refused];
  const accepted = await withContactPhones(checked.accepted, refused, deps.contacts);
  const counts: RowSummary = {
    ...checked.counts,
    accepted: accepted.length,
    refused: refused.length,
    parts: accepted.reduce((sum, r) => sum + r.parts, 0),
    byReason: tally(refused),
  };
  refused.sort((a, b) => a.row - b.row);
  const refusedReport = refused.length + checked.duplicates.length > 0 ? reportKeyOf(location.key, 'refused') : undefined;
  if (refusedReport) await deps.files.write(location.bucket, refusedReport, refusedRowsCsv(refused, checked.duplicates));
  const fields: Partial<CampaignRecord> = {
    counts,
    refusedSample: refused.slice(0, REFUSED_SAMPLE).map(({ row, reason, column }) => ({ row, reason, ...(column ? { column } : {}) })),
    ...(refusedReport ? { refusedReport } : {}),
  };
  if (accepted.length === 0) return refuse(campaign, ['recipients: no row can be sent (see the refused rows)'], deps, fields);
  await deps.rows.putRows(campaignId, accepted.map(stored));
  const waiting = await deps.campaigns.transition(campaignId, ['validating'], 'awaiting-review', fields, `${accepted.length} rows, ${counts.parts} parts`, deps.now());
  if (!waiting) return { status: (await deps.campaigns.get(campaignId))?.status ?? 'validating' };
  await publishStatus(deps.events, waiting, deps.now());
  return { status: 'awaiting-review' };
}

async function refuse(campaign: CampaignRecord, problems: string[], deps: ValidatePorts, fields: Partial<CampaignRecord> = {}): Promise<{ status: CampaignStatus }> {
  const refused = await deps.campaigns.transition(campaign.campaignId, ['validating'], 'refused', { ...fields, problems }, problems[0] ?? '', deps.now());
  if (!refused) return { status: (await deps.campaigns.get(campaign.campaignId))?.status ?? 'validating' };
  await publishStatus(deps.events, refused, deps.now(), problems.join('; '));
  return { status: 'refused' };
}

/** Rows named by subject need a usable number in the contact projection now; it is looked up again when sent. */
async function withContactPhones(accepted: AcceptedRow[], refused: RefusedRow[], contacts: ContactStore): Promise<AcceptedRow[]> {
  const kept: Array<AcceptedRow | undefined> = [...accepted];
  await inParallel(accepted, LOOKUPS_IN_FLIGHT, async (row, i) => {
    if ('phone' in row.recipient) return;
    const recipient = resolveRecipient(undefined, await contacts.get(row.recipient.subject));
    if (recipient.ok) return;
    kept[i] = undefined;
    refused.push({ row: row.row, reason: 'no-phone', column: 'subjectId', message: `the contact has no usable mobile number (${recipient.reason})` });
  });
  return kept.filter((r): r is AcceptedRow => r !== undefined);
}

const stored = (r: AcceptedRow): StoredRow => ({ row: r.row, recipient: r.recipient, text: r.text, parts: r.parts });

function tally(refused: readonly RefusedRow[]): RowSummary['byReason'] {
  const byReason: RowSummary['byReason'] = {};
  for (const r of refused) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  return byReason;
}
