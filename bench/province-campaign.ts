/**
 * A province campaign of 100,000 rows (issue 15, SPEC "Province campaigns"),
 * at flow level on DynamoDB Local with the local system's tables, queue and
 * real sender: the proposal is validated by the real flow (the CSV checked,
 * the accepted rows written for the send), approved within the budget, then
 * its pages are handed over (ledger, send queue), then the real sender, at
 * the configured cap, sends them into the outbox. The pace's waits are not
 * slept: the sender's quota is the limit being measured. Reported: validation
 * time and the heap its result holds, rows written, the time to hand every
 * row over and to send them, parts per second against the cap, duplicates and
 * missing (every accepted row in the outbox exactly once).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { validateProposalRows } from '../lambdas/domain/campaign-proposals/rows.ts';
import { campaignMessageKey, NO_SEND_TOTALS, type CampaignBudgets, type SendTotals } from '../lambdas/domain/province-campaigns.ts';
import type { CampaignFiles } from '../lambdas/flows/province-campaigns/ports.ts';
import { applyDecision } from '../lambdas/flows/province-campaigns/review.ts';
import { sendCampaignPage, type SendPagePorts } from '../lambdas/flows/province-campaigns/send-page.ts';
import { validateProposal, type ValidatePorts } from '../lambdas/flows/province-campaigns/validate.ts';
import { now, nowMs } from '../lambdas/runtime/clock.ts';
import { DynamoCampaignRowStore } from '../lambdas/stores/campaign-row-store.ts';
import { DynamoContactStore } from '../lambdas/stores/contact-store.ts';
import { DynamoLedgerStore } from '../lambdas/stores/ledger-store.ts';
import { DynamoProvinceCampaignStore } from '../lambdas/stores/province-campaign-store.ts';
import { LocalSystem } from '../local/runtime.ts';
import { steadyRate } from './sender.ts';

export interface ProvinceCampaignBench {
  rows: number;
  capPartsPerSecond: number;
  /** validateProposalRows on the whole CSV (parse, render, transliterate, check every row). */
  validateMs: number;
  /** Heap in use when the check ends, less before it (MiB). */
  validateHeapMiB: number;
  /** Heap its result (the accepted rows) holds after a collection (MiB). */
  validateRetainedMiB: number;
  /** The validate step as the campaign runs it: the check above and the accepted rows written to DynamoDB. */
  validateStepMs: number;
  rowsWritten: number;
  accepted: number;
  parts: number;
  pages: number;
  /** From the first page to the last row handed to the sender (ledger + send queue). */
  handOverSeconds: number;
  /** From the sender's start (every row queued) to the last SMS in the outbox. */
  sendSeconds: number;
  achievedPartsPerSecond: number;
  ratio: number;
  duplicates: number;
  missing: number;
}

const AGENCY = 'BHXH-NGHEAN';
const CAMPAIGN = 'bench-100k';
const TEMPLATE = 'BHXH tỉnh Nghệ An trân trọng mời Ông/Bà ((ten)) dự buổi đối thoại về chính sách BHXH tự nguyện lúc ((gio)) ngày ((ngay)) tại ((diaDiem)).';
/** A working morning, so that quiet hours never stop the send. */
const MORNING = new Date('2018-12-05T08:00:00+07:00');

const csvOf = (rows: number) =>
  ['phone,ten,gio,ngay,diaDiem', ...Array.from({ length: rows }, (_, i) => `091${String(i).padStart(7, '0')},An ${i},8h30,12/12,xã Nghi Phú`)].join('\n');

/** A full garbage collection, without asking the bench's caller to start Node with --expose-gc. */
function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function runProvinceCampaignBench(dynamoEndpoint: string, rows: number, cap: number): Promise<ProvinceCampaignBench> {
  const budgets: CampaignBudgets = { default: rows * 3 };
  const system = await LocalSystem.start({
    dynamoEndpoint,
    tablePrefix: `pcamp${rows}_`,
    recurringSchedules: false,
    receipts: false,
    // Not measured here, and DynamoDB Local's stream slows every ledger write as the send goes on (LocalSystemOptions).
    tableStreams: false,
    context: { 'bhxh:smsPartsPerSecond': cap, 'bhxh:campaignMonthlyParts': budgets },
  });
  try {
    system.setClock(MORNING);
    const csv = csvOf(rows);
    // The domain check alone: its time, the heap in use when it ends (what it allocated, less what a collection
    // during it freed) and the heap its result holds once the garbage is collected.
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let started = performance.now();
    const checked = validateProposalRows(TEMPLATE, csv);
    const validateMs = Math.round(performance.now() - started);
    const validateHeapMiB = mib(process.memoryUsage().heapUsed - heapBefore);
    gc();
    const validateRetainedMiB = mib(process.memoryUsage().heapUsed - heapBefore);
    if (!checked.ok) throw new Error(`bench CSV refused: ${checked.problems.join('; ')}`);

    const files: CampaignFiles = { bucket: 'bench-files', read: async () => csv, write: async () => undefined };
    const clock = { now };
    let rowsWritten = 0;
    const rowStore = new DynamoCampaignRowStore(system.db, system.tableName('ProvinceCampaignsCampaignRowsTable'), clock);
    const putRows = rowStore.putRows.bind(rowStore);
    rowStore.putRows = async (id, stored) => {
      await putRows(id, stored);
      rowsWritten += stored.length;
    };
    const queue = system.queueByLogicalPrefix('SenderSendQueue');
    const deps: ValidatePorts & SendPagePorts = {
      now,
      campaigns: new DynamoProvinceCampaignStore(system.db, system.tableName('ProvinceCampaignsCampaignsTable')),
      rows: rowStore,
      files,
      contacts: new DynamoContactStore(system.db, system.tableName('ContactsTable')),
      ledger: new DynamoLedgerStore(system.db, { tableName: system.tableName('Ledger'), retention: { metadataDays: 400, textDays: 30 } }),
      sendQueue: { enqueue: async (message) => void queue.send(JSON.stringify(message)) },
      events: { publish: async () => undefined },
      answerWait: async () => true,
      budgets,
      quietHours: { start: '07:00', end: '21:00' },
      smsPartsPerSecond: cap,
    };
    const proposal = {
      campaignId: CAMPAIGN,
      agency: AGENCY,
      title: 'bench',
      purpose: 'bench',
      template: TEMPLATE,
      recipients: `s3://bench-files/recipients/${AGENCY}/bench.csv`,
      sendFrom: MORNING.toISOString(),
      proposedBy: 'bench',
    };
    await deps.campaigns.claim(proposal, 'bench-event', now());
    started = performance.now();
    const validated = await validateProposal(CAMPAIGN, deps);
    const validateStepMs = Math.round(performance.now() - started);
    if (validated.status !== 'awaiting-review') throw new Error(`bench proposal ${validated.status}`);
    await deps.campaigns.recordReview(CAMPAIGN, { approved: true, reviewer: 'bench', reason: 'bench', at: now().toISOString() }, now());
    const decision = await applyDecision(CAMPAIGN, deps);
    if (decision.next !== 'wait') throw new Error(`bench campaign ${decision.next}`);

    // The outbox's clock for each part, and the keys it was given.
    const sentAt: number[] = [];
    const sent: string[] = [];
    let lastSms = 0;
    const push = system.outbox.push.bind(system.outbox);
    system.outbox.push = (...lines) => {
      for (const line of lines) {
        for (let p = 0; p < line.segments; p++) sentAt.push(nowMs());
        sent.push(line.key);
        lastSms = performance.now();
      }
      return push(...lines);
    };
    // Every page handed over first (its time alone), then the sender drains the queue at the cap.
    started = performance.now();
    let pages = 0;
    let handedOver = 0;
    const paging = (async () => {
      let input = { campaignId: CAMPAIGN, after: 0, totals: NO_SEND_TOTALS as SendTotals };
      for (;;) {
        const page = await sendCampaignPage(input, deps);
        if (page.next === 'done') break;
        pages += 1;
        input = { campaignId: CAMPAIGN, after: page.after, totals: page.totals };
      }
      handedOver = performance.now();
    })();
    await paging;
    const sending = performance.now();
    await system.drain();

    const unique = new Set(sent);
    const expected = checked.accepted.map((r) => campaignMessageKey(CAMPAIGN, r.row));
    const achieved = steadyRate(sentAt);
    const round = (x: number, digits = 10) => Math.round(x * digits) / digits;
    return {
      rows,
      capPartsPerSecond: cap,
      validateMs,
      validateHeapMiB,
      validateRetainedMiB,
      validateStepMs,
      rowsWritten,
      accepted: checked.counts.accepted,
      parts: checked.counts.parts,
      pages,
      handOverSeconds: round((handedOver - started) / 1000),
      sendSeconds: round((lastSms - sending) / 1000),
      achievedPartsPerSecond: round(achieved),
      ratio: round(achieved / cap, 1000),
      duplicates: sent.length - unique.size,
      missing: expected.filter((k) => !unique.has(k)).length,
    };
  } finally {
    await system.stop();
  }
}
