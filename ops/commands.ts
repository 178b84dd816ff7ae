/**
 * What operators do from a terminal, as plain functions over an `OpsTarget`
 * (a deployed stack, or the local run): find a message and its history,
 * preview a template, list and redrive quarantined events and dead letters,
 * resend one message on purpose, pause and resume a kind, set its ceiling.
 *
 * Redrive and resume cannot send an SMS twice: they only put ledger keys (or
 * events) back on a queue, and the sender claims a message only while it is
 * queued; an event redriven to the intake meets its business key in the ledger.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Ceilings } from '../lambdas/domain/kind-controls.ts';
import { recipientTail, type LedgerItem } from '../lambdas/domain/ledger.ts';
import { DynamoKindControlStore } from '../lambdas/stores/kind-control-store.ts';
import { DynamoLedgerStore, type LedgerRetention } from '../lambdas/stores/ledger-store.ts';
import { normalizeVnMobile } from '../lambdas/domain/phone.ts';
import { maskPhonesIn, redactSecrets } from '../lambdas/domain/redact.ts';
import { BRAND_PREFIX, MAX_SEGMENTS, renderSms, TEMPLATE_IDS, type TemplateId } from '../lambdas/domain/templates.ts';
import { measureSms } from '../lambdas/domain/text/gsm7.ts';
import { addDays, vietnamDate } from '../lambdas/domain/vietnam-time.ts';
import prices from '../docs/prices.json' with { type: 'json' };
import { SAMPLES } from './samples.ts';

export interface OpsTarget {
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  tables: { ledger: string; control: string };
  /** The stack's retention periods, which a resend is recorded with. */
  retention: LedgerRetention;
  queues: { intake: string; quarantine: string; send: string; urgentSend: string; sendDeadLetter: string };
  ceilings: Ceilings;
  /** Who is at the keyboard: recorded with pauses, resumes and resends. */
  operator: string;
  now(): Date;
  /** How long to wait for a GSI to catch up before a second pass (0 locally). */
  indexSettleMs: number;
  /** Local run: process what the command queued, so its effect shows. */
  settle?(): Promise<void>;
  print(line?: string): void;
  /** Province campaigns (ops/campaigns.ts): their table, their files bucket, the bus; read when a campaign command runs. */
  campaignAccess?(): CampaignAccess;
}

/** What the campaign commands reach: the campaigns table, the agencies' recipients files, the bus. */
export interface CampaignAccess {
  table: string;
  bucket: string;
  /** The recipients file at recipients/<agency>/<fileName> of the campaign files bucket; returns its s3:// address. */
  upload(agency: string, fileName: string, csv: string): Promise<string>;
  /** One catalogue event on the bus, with the operator's own rights (the bus policy binds each source to its producers). */
  publish(source: string, detailType: string, detail: object): Promise<void>;
}

/** The price of one SMS part to Vietnam (USD), from docs/prices.json, which the cost model uses too. */
export const PRICE_PER_PART_USD = prices.smsPerPartVietnam.usd;
const usd = (parts: number) => Math.round(parts * PRICE_PER_PART_USD * 10_000) / 10_000;

export class OpsError extends Error {
  override name = 'OpsError';
}

const ledgerOf = (t: OpsTarget) => new DynamoLedgerStore(t.db, { tableName: t.tables.ledger, retention: t.retention });
const controlsOf = (t: OpsTarget) => new DynamoKindControlStore(t.db, t.tables.control, t.ceilings);

function knownKind(kind: string): TemplateId {
  if (!(TEMPLATE_IDS as string[]).includes(kind)) throw new OpsError(`unknown kind "${kind}"; kinds are: ${TEMPLATE_IDS.join(', ')}`);
  return kind as TemplateId;
}

// ---- find ----

export async function findByKey(t: OpsTarget, key: string): Promise<LedgerItem> {
  const ledger = ledgerOf(t);
  const item = await ledger.get(key);
  if (!item) throw new OpsError(`no message with key "${key}"`);
  const content = await ledger.content(key, t.now());
  t.print(`key       ${item.key}`);
  t.print(`kind      ${item.kind}    status ${item.status}${item.reason ? ` (${item.reason})` : ''}`);
  t.print(`to        ${item.recipientMasked ?? '(no number)'}    parts ${item.segments ?? '-'}    attempts ${item.attempts ?? 0}    duplicates absorbed ${item.duplicates ?? 0}`);
  if (item.providerMessageId)
    t.print(`provider  ${item.providerMessageId}${item.providerResponse ? `: ${item.providerResponse}` : ''}${item.priceInUSD !== undefined ? `, USD ${item.priceInUSD}` : ''}`);
  t.print(`text      ${content ? content.text : '(purged: past the text retention period)'}`);
  if (item.resendOf) t.print(`resend of ${item.resendOf} (${item.resendReason ?? 'no reason recorded'})`);
  t.print('history');
  for (const line of item.history ?? []) t.print(`  ${line}`);
  return item;
}

/** Messages to numbers ending in `suffix` (as shown masked), recorded on `date` and the `days - 1` days before. */
export async function findByPhone(t: OpsTarget, suffixOrNumber: string, options: { date?: string; days?: number } = {}): Promise<LedgerItem[]> {
  let suffix = suffixOrNumber.replace(/\D/g, '');
  let exact: string | undefined;
  if (suffix.length > 3) {
    const phone = normalizeVnMobile(suffixOrNumber);
    if (!phone.ok) throw new OpsError(`not a usable number: ${phone.detail}`);
    exact = phone.e164;
    suffix = phone.e164.slice(-3);
  }
  if (!/^\d{3}$/.test(suffix)) throw new OpsError('give the last three digits of the number (as in +84******678), or the whole number');
  const days = options.days ?? 7;
  const last = options.date ?? vietnamDate(t.now());
  const ledger = ledgerOf(t);
  const found: LedgerItem[] = [];
  for (let back = 0; back < days; back++) {
    for (const key of await ledger.keysByRecipientTail(recipientTail(suffix, addDays(last, -back)))) {
      const item = await ledger.get(key);
      if (!item) continue;
      if (exact && (await ledger.content(key, t.now()))?.recipient !== exact) continue;
      found.push(item);
    }
  }
  found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  t.print(`${found.length} message(s) to numbers ending ${suffix}${exact ? ` (exactly ${maskOf(exact)})` : ''}, ${addDays(last, -(days - 1))} to ${last}:`);
  for (const item of found) t.print(`  ${item.createdAt}  ${item.recipientMasked}  ${item.kind.padEnd(24)} ${item.status.padEnd(17)} ${item.key}`);
  return found;
}

const maskOf = (e164: string) => `${e164.slice(0, 3)}${'*'.repeat(e164.length - 6)}${e164.slice(-3)}`;

// ---- preview ----

export function preview(t: OpsTarget, kind: string, dataJson?: string): { text: string; segments: number; costUsd: number; brandedSegments: number; brandExtraCostUsd: number } {
  const id = knownKind(kind);
  let data: unknown = SAMPLES[id];
  if (dataJson !== undefined) {
    try {
      data = { ...(SAMPLES[id] as object), ...JSON.parse(dataJson) };
    } catch {
      throw new OpsError('--data must be a JSON object');
    }
  }
  const sms = renderSms(id, data as never);
  const costUsd = usd(sms.segments);
  // bhxh:brandInText: what the brand in the text would cost this message (measured, not refused: this is a preview).
  const branded = measureSms(`${BRAND_PREFIX}${sms.text}`);
  const brandExtraCostUsd = usd(branded.segments - sms.segments);
  t.print(`template  ${id}`);
  t.print(`text      ${sms.text}`);
  t.print(`length    ${sms.text.length} characters, ${sms.septets} GSM-7 septets → ${sms.segments} part(s) (160 in one part, 153 per part when split)`);
  t.print(`cost      ≈ USD ${costUsd.toFixed(4)} at USD ${PRICE_PER_PART_USD} per part (Vietnam, docs/prices.json)`);
  t.print(
    `brand     with "${BRAND_PREFIX.trim()}" in the text (bhxh:brandInText): ${branded.septets} septets → ${branded.segments} part(s), +${branded.segments - sms.segments} part(s), ≈ USD +${brandExtraCostUsd.toFixed(4)}${branded.segments > MAX_SEGMENTS ? ` (over ${MAX_SEGMENTS} parts: could not be sent)` : ''}`,
  );
  return { text: sms.text, segments: sms.segments, costUsd, brandedSegments: branded.segments, brandExtraCostUsd };
}

// ---- queues: quarantine and dead letters ----

export interface ListedMessage {
  messageId: string;
  body: string;
  reason?: string;
  errors?: string;
  at?: string;
  receiveCount: number;
}

/** Reads up to `limit` messages without removing them: they become visible again after `holdSeconds`. */
async function peek(t: OpsTarget, queueUrl: string, limit: number, holdSeconds: number): Promise<Array<ListedMessage & { receiptHandle: string }>> {
  const seen: Array<ListedMessage & { receiptHandle: string }> = [];
  while (seen.length < limit) {
    const page = await t.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, limit - seen.length),
        VisibilityTimeout: holdSeconds,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) break;
    seen.push(...messages.map(listed));
  }
  return seen;
}

function listed(m: Message): ListedMessage & { receiptHandle: string } {
  const attribute = (name: string) => m.MessageAttributes?.[name]?.StringValue;
  return {
    // SQS always returns both for a received message.
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    ...(attribute('reason') ? { reason: attribute('reason') } : {}),
    ...(attribute('errors') ? { errors: attribute('errors') } : {}),
    at: attribute('quarantinedAt') ?? (m.Attributes?.SentTimestamp ? new Date(Number(m.Attributes.SentTimestamp)).toISOString() : undefined),
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
  } as ListedMessage & { receiptHandle: string };
}

/** The part of a message worth reading: an event's detail-type and detail, or the whole body. */
function shown(body: string): string {
  try {
    const event = JSON.parse(body) as { 'detail-type'?: string; detail?: unknown };
    if (event['detail-type'] && event.detail !== undefined) return `${event['detail-type']} ${JSON.stringify(event.detail)}`;
  } catch {
    // not JSON: shown as it is
  }
  return body;
}

export type QueueName = 'quarantine' | 'dlq';

const sourceOf = (t: OpsTarget, queue: QueueName) => (queue === 'quarantine' ? t.queues.quarantine : t.queues.sendDeadLetter);

export async function listQueue(t: OpsTarget, queue: QueueName, limit = 50): Promise<ListedMessage[]> {
  const depth = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: sourceOf(t, queue), AttributeNames: ['ApproximateNumberOfMessages'] }));
  // Held while paging (so no message shows twice), then made visible again at once.
  const messages = await peek(t, sourceOf(t, queue), limit, 30);
  for (const m of messages) await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: sourceOf(t, queue), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 }));
  t.print(
    `${queue === 'quarantine' ? 'quarantine' : 'send dead-letter queue'}: ${depth.Attributes?.ApproximateNumberOfMessages ?? '?'} message(s)${messages.length < Number(depth.Attributes?.ApproximateNumberOfMessages ?? 0) ? `, showing ${messages.length}` : ''}`,
  );
  for (const m of messages) {
    t.print(`- ${m.messageId}  ${m.at ?? ''}${m.reason ? `  ${m.reason}` : `  received ${m.receiveCount} times`}`);
    if (m.errors) for (const e of JSON.parse(m.errors) as string[]) t.print(`    ${redactSecrets(e)}`);
    // Never a password or code on a terminal (or in its scrollback): every field named like a secret's is redacted
    // first, whatever the message (an event, a queued message and its sealed secret, a body that is not JSON).
    t.print(`    ${maskPhonesIn(shown(redactSecrets(m.body))).slice(0, 600)}`);
  }
  return messages;
}

/**
 * Moves messages back for another try: quarantined events to the intake
 * queue, dead letters to their send queue. Each is sent before it is
 * deleted, so a crash in between leaves a copy, never a loss; a copy is
 * harmless (business keys in the ledger, claims in the sender).
 */
export async function redrive(t: OpsTarget, queue: QueueName, only?: string[]): Promise<{ moved: number; left: number }> {
  const source = sourceOf(t, queue);
  const messages = await peek(t, source, 10_000, 60);
  let moved = 0;
  for (const m of messages) {
    if (only && !only.includes(m.messageId)) continue;
    const target = queue === 'quarantine' ? t.queues.intake : (JSON.parse(m.body) as { urgent?: boolean }).urgent ? t.queues.urgentSend : t.queues.send;
    await t.sqs.send(new SendMessageCommand({ QueueUrl: target, MessageBody: m.body }));
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: source, ReceiptHandle: m.receiptHandle }));
    moved++;
  }
  t.print(
    `redrove ${moved} message(s) from the ${queue === 'quarantine' ? 'quarantine to the intake queue' : 'send dead-letter queue to the send queue'}${only ? ` (${only.length} asked for)` : ''}`,
  );
  await t.settle?.();
  return { moved, left: messages.length - moved };
}

// ---- resend ----

/** Sends a message again on purpose, as a new ledger entry `<key>#resend-<n>` that records the reason; the original notes it. */
export async function resend(t: OpsTarget, key: string, reason: string): Promise<string> {
  if (reason.trim().length < 5) throw new OpsError('say why (--reason "..."): the reason is recorded with the message');
  const ledger = ledgerOf(t);
  const original = await ledger.get(key);
  if (!original) throw new OpsError(`no message with key "${key}"`);
  if (['queued', 'sending', 'paused'].includes(original.status)) throw new OpsError(`"${key}" is ${original.status}: it has not been sent yet, so there is nothing to resend`);
  if (original.hasSecret) throw new OpsError('this message carried a password or code, which is never stored; the issuing system must issue a new one');
  const content = await ledger.content(key, t.now());
  if (!content?.recipient) throw new OpsError(`the text or number of "${key}" is no longer kept (retention), so it cannot be resent`);
  const resendKey = `${key}#resend-${(original.resends?.length ?? 0) + 1}`;
  const at = t.now();
  const recorded = await ledger.record(
    {
      key: resendKey,
      kind: original.kind,
      subject: original.subject,
      status: 'queued',
      text: content.text,
      recipient: content.recipient,
      ...(original.recipientMasked ? { recipientMasked: original.recipientMasked } : {}),
      segments: original.segments ?? 1,
      eventId: `ops:${t.operator}`,
      resendOf: key,
      resendReason: `resent by ${t.operator}: ${reason}`,
    },
    at,
  );
  if (!recorded.created) throw new OpsError(`${resendKey} exists already (another operator resent it at the same moment)`);
  await ledger.noteResend(key, resendKey, `${t.operator}: ${reason}`, at);
  await t.sqs.send(new SendMessageCommand({ QueueUrl: t.queues.send, MessageBody: JSON.stringify({ key: resendKey, kind: original.kind, segments: original.segments ?? 1 }) }));
  t.print(`queued ${resendKey} (a resend of ${key}, reason recorded: "${reason}")`);
  await t.settle?.();
  return resendKey;
}

// ---- safety limits ----

export async function pause(t: OpsTarget, kind: string, reason: string): Promise<void> {
  knownKind(kind);
  if (reason.trim().length < 5) throw new OpsError('say why (--reason "..."): the reason is shown to other operators');
  const paused = await controlsOf(t).pause(kind, reason, t.operator, t.now(), true);
  t.print(paused ? `paused ${kind}: its messages now wait in the ledger (status paused) until resume` : `${kind} was paused already; nothing changed`);
}

export async function resume(t: OpsTarget, kind: string): Promise<{ requeued: number }> {
  knownKind(kind);
  const controls = controlsOf(t);
  const before = await controls.resume(kind, t.operator, t.now());
  const ledger = ledgerOf(t);
  let requeued = 0;
  // Two passes: the index is eventually consistent, and a sender may park a message just as the kind resumes.
  for (const pass of [0, 1]) {
    if (pass === 1) await new Promise((r) => setTimeout(r, t.indexSettleMs));
    for await (const key of ledger.pausedKeys(kind)) {
      if (!(await ledger.unpause(key, t.now()))) continue;
      const item = await ledger.get(key);
      await t.sqs.send(new SendMessageCommand({ QueueUrl: t.queues.send, MessageBody: JSON.stringify({ key, kind, segments: item?.segments ?? 1 }) }));
      requeued++;
    }
  }
  t.print(
    `resumed ${kind}${before.paused ? ` (was paused by ${before.pausedBy}: ${before.pausedReason})` : ' (it was not paused)'}; ${requeued} waiting message(s) queued again${before.pausedBy === 'ceiling' ? '; the daily ceiling is lifted for the rest of today' : ''}`,
  );
  await t.settle?.();
  return { requeued };
}

export async function setCeiling(t: OpsTarget, kind: string, value: string): Promise<void> {
  knownKind(kind);
  const ceiling = value === 'default' ? undefined : Number(value);
  if (ceiling !== undefined && (!Number.isInteger(ceiling) || ceiling < 1)) throw new OpsError(`a ceiling is a whole number ≥ 1 or "default", got "${value}"`);
  await controlsOf(t).setCeiling(kind, ceiling);
  const control = await controlsOf(t).get(kind, true);
  t.print(`${kind}: daily ceiling ${controlsOf(t).ceilingOf(control)} messages${ceiling === undefined ? ' (the deployed setting)' : ''}`);
}

/** Every kind: paused or running, today's count against its ceiling; queue depths. */
export async function status(t: OpsTarget): Promise<void> {
  const controls = controlsOf(t);
  const today = vietnamDate(t.now());
  t.print(`kinds on ${today} (Vietnam time):`);
  for (const kind of TEMPLATE_IDS) {
    const control = await controls.get(kind, true);
    const count = await controls.countOn(kind, today);
    const lifted = control.ceilingLiftedOn === today;
    t.print(
      `  ${kind.padEnd(26)} ${control.paused ? `PAUSED by ${control.pausedBy} at ${control.pausedAt}: ${control.pausedReason}` : 'running'.padEnd(8)}  ${String(count).padStart(7)} / ${lifted ? 'lifted' : controls.ceilingOf(control)}`,
    );
  }
  for (const [name, url] of [
    ['quarantine', t.queues.quarantine],
    ['send DLQ', t.queues.sendDeadLetter],
    ['send queue', t.queues.send],
  ] as const) {
    const depth = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    t.print(`${name.padEnd(11)} ${depth.Attributes?.ApproximateNumberOfMessages ?? '?'} message(s)`);
  }
}
