/**
 * Province campaigns from the terminal (SPEC "Province campaigns"): an agency
 * proposes one from a JSON file and its CSV, the IT Centre approves or rejects
 * it, anyone with the right cancels it, and operators list them and look at one.
 *
 * The commands change nothing themselves: each publishes the catalogue event
 * (CampaignProposed, CampaignReviewed, CampaignCancelled) that a producer would,
 * so the campaign's execution decides, exactly as for an event from another
 * system, and the bus policy decides who may publish what. Listings show counts,
 * row numbers, reasons and columns: never a number, a name or another value of
 * a row (the campaign item holds none; what is printed is masked all the same).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DetailType, Source } from '../lambdas/domain/catalogue.ts';
import { isFinal } from '../lambdas/domain/province-campaigns.ts';
import { maskPhonesIn } from '../lambdas/domain/redact.ts';
import { describeIssues } from '../lambdas/domain/event-parser.ts';
import { detailSchemas } from '../lambdas/domain/schemas.ts';
import type { CampaignRecord } from '../lambdas/flows/province-campaigns/ports.ts';
import { DynamoProvinceCampaignStore } from '../lambdas/stores/province-campaign-store.ts';
import { type CampaignAccess, OpsError, type OpsTarget } from './commands.ts';

function access(t: OpsTarget): CampaignAccess {
  if (!t.campaignAccess) throw new OpsError('this target has no province campaigns');
  return t.campaignAccess();
}

const storeOf = (t: OpsTarget) => new DynamoProvinceCampaignStore(t.db, access(t).table);
/** Every campaign line goes through the phone mask: a problem or a reason quoting a row must not print its number. */
const say = (t: OpsTarget, line = '') => t.print(maskPhonesIn(line));

/** The commands that need a reason, checked before any target is reached. */
export const REASONED_CAMPAIGN_COMMANDS = ['approve', 'reject', 'cancel'] as const;

/** A reason is recorded with the review or cancellation and shown to the agency: refused if missing or too short. */
export function requireReason(command: string, reason: string | undefined): string {
  if (reason === undefined || reason.trim().length < 5) {
    throw new OpsError(`${command} needs --reason "…" (at least 5 characters): the reason is recorded with the campaign and shown to the agency`);
  }
  return reason.trim();
}

async function existing(t: OpsTarget, campaignId: string): Promise<CampaignRecord> {
  const campaign = await storeOf(t).get(campaignId);
  if (!campaign) throw new OpsError(`no campaign "${campaignId}"`);
  return campaign;
}

/** Validates a detail against the catalogue, as the intake will: every problem named by its field. */
function checked(detailType: 'CampaignProposed' | 'CampaignReviewed' | 'CampaignCancelled', detail: unknown, what: string): void {
  const parsed = detailSchemas[DetailType[detailType]].safeParse(detail);
  if (!parsed.success)
    throw new OpsError(
      `${what} is not a valid ${detailType}:\n${describeIssues(parsed.error.issues, '')
        .map((e) => `  ${e}`)
        .join('\n')}`,
    );
}

async function publishAndShow(t: OpsTarget, campaignId: string, source: string, detailType: string, detail: object): Promise<CampaignRecord | undefined> {
  await access(t).publish(source, detailType, detail);
  await t.settle?.();
  return storeOf(t).get(campaignId);
}

// ---- propose ----

/**
 * `ops propose FILE.json`: the proposal's fields; `recipients` is an s3:// address, or a CSV file (relative to
 * FILE.json) that is uploaded first to recipients/<agency>/<its name> of the campaign files bucket.
 */
export async function propose(t: OpsTarget, file: string): Promise<CampaignRecord | undefined> {
  let proposal: Record<string, unknown>;
  try {
    proposal = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new OpsError(`cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  if (typeof proposal !== 'object' || proposal === null || Array.isArray(proposal)) throw new OpsError(`${file} must hold one JSON object (the proposal's fields)`);
  checked('CampaignProposed', proposal, file);
  const { campaignId, agency, recipients } = proposal as { campaignId: string; agency: string; recipients: string };
  // Checked before the upload: a second proposal under the same id would otherwise replace the first one's file.
  const before = await storeOf(t).get(campaignId);
  if (before) throw new OpsError(`campaign "${campaignId}" exists already (${before.status}); choose another campaignId`);
  let address = recipients.trim();
  if (!address.startsWith('s3://')) {
    const csvPath = path.resolve(path.dirname(file), address);
    let csv: string;
    try {
      csv = readFileSync(csvPath, 'utf8');
    } catch {
      throw new OpsError(`recipients: no file ${csvPath} (give a CSV path relative to ${path.basename(file)}, or an s3:// address)`);
    }
    address = await access(t).upload(agency, path.basename(csvPath), csv);
    say(t, `uploaded ${path.basename(csvPath)} to ${address}`);
  }
  const campaign = await publishAndShow(t, campaignId, Source.CAMPAIGNS, DetailType.CampaignProposed, { ...proposal, recipients: address });
  say(t, `proposed ${campaignId} (CampaignProposed published)${campaign ? `: ${campaign.status}${countsOf(campaign)}` : ''}`);
  return campaign;
}

// ---- review and cancel ----

/** `ops approve|reject <id> --reason TEXT [--as NAME]`: CampaignReviewed from the IT Centre. */
export async function review(t: OpsTarget, campaignId: string, approved: boolean, reason: string | undefined, reviewer = t.operator): Promise<CampaignRecord | undefined> {
  const why = requireReason(approved ? 'approve' : 'reject', reason);
  const before = await existing(t, campaignId);
  if (before.review) throw new OpsError(`${campaignId} was ${before.review.approved ? 'approved' : 'rejected'} already by ${before.review.reviewer} at ${before.review.at}`);
  if (!['validating', 'awaiting-review'].includes(before.status)) throw new OpsError(`${campaignId} is ${before.status}: there is nothing to review`);
  const detail = { campaignId, approved, reviewer, reason: why };
  checked('CampaignReviewed', detail, 'the review');
  const after = await publishAndShow(t, campaignId, Source.CNTT, DetailType.CampaignReviewed, detail);
  say(
    t,
    `${approved ? 'approved' : 'rejected'} ${campaignId} as ${reviewer} (reason recorded: "${why}")${after ? `: now ${after.status}${after.sendAt ? `, sends from ${after.sendAt}` : ''}` : ''}`,
  );
  return after;
}

/** `ops cancel <id> --reason TEXT [--as NAME]`: CampaignCancelled; nothing more is sent. */
export async function cancel(t: OpsTarget, campaignId: string, reason: string | undefined, cancelledBy = t.operator): Promise<CampaignRecord | undefined> {
  const why = requireReason('cancel', reason);
  const before = await existing(t, campaignId);
  if (isFinal(before.status)) throw new OpsError(`${campaignId} is ${before.status} already: there is nothing to cancel`);
  const detail = { campaignId, cancelledBy, reason: why };
  checked('CampaignCancelled', detail, 'the cancellation');
  const after = await publishAndShow(t, campaignId, Source.CNTT, DetailType.CampaignCancelled, detail);
  say(t, `cancelled ${campaignId} as ${cancelledBy} (reason recorded: "${why}")${after ? `: now ${after.status}` : ''}`);
  return after;
}

// ---- look ----

const countsOf = (c: CampaignRecord) => (c.counts ? `, ${c.counts.rows} row(s): ${c.counts.accepted} accepted, ${c.counts.refused} refused` : '');
const cell = (value: string | number | undefined, width: number) => String(value ?? '-').padEnd(width);

/** `ops campaigns`: every campaign, oldest first. */
export async function listCampaigns(t: OpsTarget): Promise<CampaignRecord[]> {
  const campaigns = await storeOf(t).list();
  say(t, `${campaigns.length} province campaign(s):`);
  say(
    t,
    `  ${cell('id', 28)} ${cell('agency', 14)} ${cell('status', 15)} ${cell('rows/accepted/refused', 22)} ${cell('parts', 6)} ${cell('sendAt', 25)} ${cell('approved by', 20)} updatedAt`,
  );
  for (const c of campaigns) {
    const rows = c.counts ? `${c.counts.rows}/${c.counts.accepted}/${c.counts.refused}` : '-';
    const approvedBy = c.review ? (c.review.approved ? c.review.reviewer : `(rejected by ${c.review.reviewer})`) : '-';
    say(
      t,
      `  ${cell(c.campaignId, 28)} ${cell(c.agency, 14)} ${cell(c.status, 15)} ${cell(rows, 22)} ${cell(c.counts?.parts, 6)} ${cell(c.sendAt, 25)} ${cell(approvedBy, 20)} ${c.updatedAt}`,
    );
  }
  return campaigns;
}

/** `ops campaign <id>`: one campaign, its refused rows (number, reason, column) and its reports. */
export async function showCampaign(t: OpsTarget, campaignId: string): Promise<CampaignRecord> {
  const c = await existing(t, campaignId);
  const bucket = access(t).bucket;
  const line = (label: string, value: string) => say(t, `${label.padEnd(13)}${value}`);
  line('campaign', `${c.campaignId}    agency ${c.agency}    status ${c.status}    updated ${c.updatedAt}`);
  line('title', c.title);
  line('purpose', c.purpose);
  line('proposed', `by ${c.proposedBy} at ${c.proposedAt}`);
  line('template', c.template);
  line('recipients', c.recipients);
  line('window', `from ${c.sendFrom}${c.sendUntil ? ` until ${c.sendUntil}` : ''}${c.sendAt ? `; sends at ${c.sendAt}` : ''}`);
  if (c.review) line('review', `${c.review.approved ? 'approved' : 'rejected'} by ${c.review.reviewer} at ${c.review.at}: ${c.review.reason}`);
  if (c.ignoredReviews) line('ignored', `${c.ignoredReviews} review(s) that could change nothing`);
  if (c.cancellation) line('cancelled', `by ${c.cancellation.cancelledBy} at ${c.cancellation.at}: ${c.cancellation.reason}`);
  if (c.copyOf) line('copy of', `the central kind ${c.copyOf.kind} (similarity ${c.copyOf.score})`);
  for (const problem of c.problems ?? []) line('problem', problem);
  if (c.counts) {
    const n = c.counts;
    line('rows', `${n.rows}: ${n.accepted} accepted, ${n.refused} refused, ${n.duplicate} duplicate(s) sent once, ${n.blank} blank; ${n.parts} part(s)`);
    for (const [reason, count] of Object.entries(n.byReason)) line('', `${String(count).padStart(7)}  ${reason}`);
  }
  if (c.refusedSample?.length) {
    say(t, `refused rows (the first ${c.refusedSample.length}; all of them in the report):`);
    for (const r of c.refusedSample) say(t, `  row ${String(r.row).padStart(7)}  ${r.reason}${r.column ? `  (column ${r.column})` : ''}`);
  }
  if (c.refusedReport) line('refused csv', `s3://${bucket}/${c.refusedReport}`);
  if (c.outcomesReport) line('outcomes csv', `s3://${bucket}/${c.outcomesReport}`);
  if (c.totals)
    line(
      'send',
      `${c.totals.queued} queued (${c.totals.parts} parts), ${c.totals.skipped} without a number, ${c.totals.duplicates} already sent${c.outcomes?.['not-sent'] ? `, ${c.outcomes['not-sent']} not sent` : ''}`,
    );
  if (c.outcomes)
    line(
      'outcomes',
      Object.entries(c.outcomes)
        .map(([status, count]) => `${status} ${count}`)
        .join(', '),
    );
  if (c.budget) line('budget', `${c.budget.parts} part(s) of ${c.agency}'s ${c.budget.month} budget`);
  say(t, 'history');
  for (const h of c.history) say(t, `  ${h}`);
  return c;
}
