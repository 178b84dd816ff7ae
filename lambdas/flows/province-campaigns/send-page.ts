/**
 * "Send a page of recipients": up to CAMPAIGN_PAGE_ROWS rows become messages,
 * each once (its ledger key `campaign#<id>#<row>`), through the same ledger,
 * send queue, quota, pause and ceilings as every kind. Before each page: a
 * cancelled campaign or one past `sendUntil` stops; in quiet hours the page
 * waits for the morning; the agency's budget is checked again (it may have been
 * lowered since the approval). After it: the wait that keeps the campaign to
 * its share of the SMS quota.
 */
import {
  campaignMessageKey,
  CAMPAIGN_PAGE_ROWS,
  CAMPAIGN_SHARE_OF_QUOTA,
  pacingSeconds,
  PROVINCE_CAMPAIGN_KIND,
  budgetOf,
  secondsUntil,
  type SendTotals,
} from '../../domain/province-campaigns.ts';
import { inParallel } from '../../domain/in-parallel.ts';
import { resolveRecipient } from '../../domain/messages.ts';
import { MAX_SEGMENTS } from '../../domain/templates.ts';
import { addDays, quietUntil, toMinutes, vietnamDate, vietnamInstant, vietnamMinutes } from '../../domain/vietnam-time.ts';
import type { ContactStore, LedgerStore, SendQueue } from '../ports.ts';
import type { CampaignRecord, CampaignRowStore, StoredRow } from './ports.ts';
import type { ReviewPorts } from './review.ts';
import { publishStatus } from './status.ts';

export interface SendPagePorts extends ReviewPorts {
  rows: CampaignRowStore;
  ledger: LedgerStore;
  contacts: ContactStore;
  sendQueue: SendQueue;
  smsPartsPerSecond: number;
}

export interface PageInput {
  campaignId: string;
  /** The last row handed over (0 before the first page). */
  after: number;
  totals: SendTotals;
}

export type PageOutcome = { next: 'wait'; waitSeconds: number; after: number; totals: SendTotals } | { next: 'done'; after: number; totals: SendTotals; why: string };

/** Rows in flight within a page (ledger write, then the queue). */
const ROWS_IN_FLIGHT = 16;

export async function sendCampaignPage(input: PageInput, deps: SendPagePorts): Promise<PageOutcome> {
  const now = deps.now();
  const done = (why: string): PageOutcome => ({ next: 'done', after: input.after, totals: input.totals, why });
  let campaign = await deps.campaigns.get(input.campaignId);
  if (!campaign) throw new Error(`no campaign ${input.campaignId}`);
  if (campaign.status !== 'scheduled' && campaign.status !== 'sending') return done(`the campaign is ${campaign.status}`);
  if (campaign.sendUntil && now.getTime() >= Date.parse(campaign.sendUntil)) return done('sendUntil has passed');
  const morning = quietUntil(now, deps.quietHours);
  if (morning) return { next: 'wait', waitSeconds: secondsUntil(morning, now), after: input.after, totals: input.totals };
  if (campaign.status === 'scheduled') {
    const sending = await deps.campaigns.transition(campaign.campaignId, ['scheduled'], 'sending', {}, '', now);
    if (!sending) return sendCampaignPage(input, deps);
    await publishStatus(deps.events, sending, now);
    campaign = sending;
  }
  if (await overBudget(campaign, deps)) return done('over budget');

  const page = await deps.rows.page(campaign.campaignId, input.after, rowsBeforeQuietHours(now, deps));
  const totals = { ...input.totals };
  await inParallel(page.rows, ROWS_IN_FLIGHT, (row) => sendRow(campaign as CampaignRecord, row, totals, deps));
  const after = page.rows.at(-1)?.row ?? input.after;
  await deps.campaigns.saveTotals(campaign.campaignId, totals, deps.now());
  if (page.rows.length === 0) return { next: 'done', after, totals, why: 'every row handed over' };
  // Also after the last rows: the report, which the next page (finding no rows) leads to, then reads what the sender made of them.
  return { next: 'wait', waitSeconds: pacingSeconds(totals.parts - input.totals.parts, deps.smsPartsPerSecond), after, totals };
}

/** The budget may have been lowered (a redeploy) below what the agency's month has reserved: the rest is not sent. */
async function overBudget(campaign: CampaignRecord, deps: SendPagePorts): Promise<boolean> {
  if (!campaign.budget) return false;
  const budget = budgetOf(deps.budgets, campaign.agency);
  const used = await deps.campaigns.budgetUsed(campaign.agency, campaign.budget.month);
  if (used <= budget) return false;
  const why = `${campaign.agency}'s budget for ${campaign.budget.month} is now ${budget} parts, below the ${used} reserved: the rest is not sent`;
  const stopped = await deps.campaigns.transition(campaign.campaignId, ['sending'], 'over-budget', {}, why, deps.now());
  if (stopped) await publishStatus(deps.events, stopped, deps.now(), why);
  return true;
}

/** No more rows than the pace sends before quiet hours begin, so that no SMS of the page goes out after them. */
function rowsBeforeQuietHours(now: Date, deps: SendPagePorts): number {
  const end = toMinutes(deps.quietHours.end);
  const closing = vietnamMinutes(now) < end ? vietnamInstant(vietnamDate(now), deps.quietHours.end) : vietnamInstant(addDays(vietnamDate(now), 1), deps.quietHours.end);
  const seconds = (closing.getTime() - now.getTime()) / 1000;
  const fits = Math.floor((seconds * deps.smsPartsPerSecond * CAMPAIGN_SHARE_OF_QUOTA) / MAX_SEGMENTS);
  return Math.max(1, Math.min(CAMPAIGN_PAGE_ROWS, fits));
}

async function sendRow(campaign: CampaignRecord, row: StoredRow, totals: SendTotals, deps: SendPagePorts): Promise<void> {
  const key = campaignMessageKey(campaign.campaignId, row.row);
  const subject = 'subject' in row.recipient ? row.recipient.subject : `campaign#${campaign.campaignId}`;
  const recipient = 'phone' in row.recipient ? resolveRecipient(row.recipient.phone, undefined) : resolveRecipient(undefined, await deps.contacts.get(row.recipient.subject));
  const common = {
    key,
    kind: PROVINCE_CAMPAIGN_KIND,
    subject,
    eventId: campaign.eventId,
    text: row.text,
    segments: row.parts,
    ...(campaign.sendUntil ? { sendBy: campaign.sendUntil } : {}),
  };
  const result = await deps.ledger.record(
    recipient.ok ? { ...common, status: 'queued', recipient: recipient.e164, recipientMasked: recipient.masked } : { ...common, status: 'skipped', reason: recipient.reason },
    deps.now(),
  );
  if (!result.created) {
    // A page retried after a crash: a row still queued is queued again (the sender's claim makes it harmless).
    if (result.existing.status === 'queued') await deps.sendQueue.enqueue({ key, kind: PROVINCE_CAMPAIGN_KIND, segments: row.parts });
    totals.duplicates += 1;
    return;
  }
  if (!recipient.ok) {
    totals.skipped += 1;
    return;
  }
  await deps.sendQueue.enqueue({ key, kind: PROVINCE_CAMPAIGN_KIND, segments: row.parts });
  totals.queued += 1;
  totals.parts += row.parts;
}
