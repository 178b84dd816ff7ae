/**
 * Sending one queued message: claim it in the ledger (so two senders never
 * both send it), park it if its kind is paused or over its daily ceiling
 * (one with a password or code is ended instead: it cannot wait), wait for
 * room in the parts-per-second quota, hand it to the SMS provider, and settle
 * the ledger. Provider throttling and 5xx give the
 * message back for a later try; a permanent refusal marks it failed with the
 * provider's reason; no answer at all marks it `unknown`, never resent by
 * itself (the provider may have taken it). The daily ceiling counts what the
 * provider took: a message given back or refused takes its count back.
 */
import { randomUUID } from 'node:crypto';
import { describeProviderError, isRetryable } from '../../domain/provider-errors.ts';
import { campaignOfKey } from '../../domain/province-campaigns.ts';
import { withSecret } from '../../domain/secrets.ts';
import { outcomeUnknown } from './hand-over.ts';
import { testNumberOutcome, type TestNumberOutcome } from '../../domain/test-numbers.ts';
import type { MessageContent } from '../../domain/ledger.ts';
import type { AttachmentStore, Clock, EmailGateway, EmailToSend, KindControlStore, LedgerStore, ParkedReceiptStore, SmsGateway, SmsQuota } from '../ports.ts';

export interface SenderPorts extends Clock {
  ledger: LedgerStore;
  /** Per-kind pause and daily ceiling. */
  controls: KindControlStore;
  quota: SmsQuota;
  gateway: SmsGateway;
  /** Receipts that arrived before this sender recorded `sent`. */
  parkedReceipts: ParkedReceiptStore;
  /** Milliseconds left before the invocation must stop waiting for quota. */
  deadlineMs(): number;
  /** How long a claim protects a message from a second sender; longer than one invocation. */
  leaseSeconds: number;
  /** Why a province campaign's messages must no longer go (cancelled, stopped over budget), or undefined. */
  campaignStop?(campaignId: string): Promise<string | undefined>;
  /** E-mail (SPEC rule 12): SES and its own rate (e-mails per second), and the files e-mails carry. */
  email?: { gateway: EmailGateway; quota: SmsQuota; attachments: AttachmentStore };
}

export type SendOutcome =
  | { outcome: 'sent'; providerMessageId: string; segments: number }
  | { outcome: 'permanent-failure' | 'technical-failure' | 'expired' | 'unknown' | 'skipped'; reason: string }
  | { outcome: 'not-pending'; status: string }
  | { outcome: 'paused'; reason: string; ceilingJustReached: boolean }
  | { outcome: 'retry'; reason: string };

export class LedgerItemMissingError extends Error {
  constructor(key: string) {
    super(`No ledger item for key ${key}; the message will be retried and then kept in the dead-letter queue`);
    this.name = 'LedgerItemMissingError';
  }
}

/** `secret` is the password or code of a message whose ledger text holds SECRET_MASK; it comes only from the queue. */
export async function sendQueuedMessage(key: string, deps: SenderPorts, secret?: string): Promise<SendOutcome> {
  const token = randomUUID();
  const item = await deps.ledger.claim(key, token, deps.now(), deps.leaseSeconds);
  if (!item) {
    // Already sent, failed or skipped, or held by another sender: this copy of the queue message is spare.
    const current = await deps.ledger.get(key);
    if (!current) throw new LedgerItemMissingError(key);
    return { outcome: 'not-pending', status: current.status };
  }
  const segments = item.segments ?? 1;
  const content = await deps.ledger.content(key, deps.now());
  if (!content?.recipient) {
    const reason = 'no text or number kept for this message (past the retention period, or never recorded)';
    await deps.ledger.settle(key, token, deps.now(), { status: 'technical-failure', reason });
    return { outcome: 'technical-failure', reason };
  }
  const { recipient } = content;
  if (item.hasSecret && secret === undefined) {
    // Never send the mask in place of a password; the publisher must issue a new one.
    await deps.ledger.settle(key, token, deps.now(), { status: 'technical-failure', reason: 'secret missing from the queue message' });
    return { outcome: 'technical-failure', reason: 'secret missing from the queue message' };
  }
  // A campaign cancelled after its page queued this row: nothing more is sent (SPEC "Province campaigns").
  const campaignId = campaignOfKey(key);
  const stop = campaignId !== undefined ? await deps.campaignStop?.(campaignId) : undefined;
  if (stop !== undefined) {
    await deps.ledger.settle(key, token, deps.now(), { status: 'skipped', reason: stop });
    return { outcome: 'skipped', reason: stop };
  }
  const sendBy = item.sendBy ? new Date(item.sendBy).getTime() : Number.POSITIVE_INFINITY;
  if (deps.now().getTime() >= sendBy) return expire(key, token, deps);
  const admittedAt = deps.now();
  const admission = await deps.controls.admit(item.kind, admittedAt);
  if (!admission.admitted) {
    // A password or code cannot wait: not in the ledger (it is never stored), and not on the queue either, where it
    // would go round until the dead-letter queue kept it for two weeks. It ends here; the publisher issues a new one.
    if (item.hasSecret) return expire(key, token, deps, SECRET_CANNOT_WAIT);
    if (await deps.ledger.holdWhilePaused(key, token, deps.now(), item.kind, admission.reason)) {
      return { outcome: 'paused', reason: admission.reason, ceilingJustReached: admission.ceilingJustReached };
    }
    await deps.ledger.release(key, token, deps.now(), `kind paused: ${admission.reason}`);
    return { outcome: 'retry', reason: 'kind paused' };
  }
  const email = item.channel === 'email' ? deps.email : undefined;
  if (item.channel === 'email' && !email) {
    await deps.controls.refund(item.kind, admittedAt);
    await deps.ledger.release(key, token, deps.now(), 'this sender has no e-mail provider configured');
    return { outcome: 'retry', reason: 'no e-mail provider' };
  }
  const testOutcome = email ? undefined : testNumberOutcome(recipient);
  if (testOutcome) return sendToTestNumber(key, token, testOutcome, segments, deps);
  // An e-mail takes one slot of the e-mail rate; an SMS its parts of the SMS quota (SPEC rule 9).
  if (!(await (email ? email.quota.acquire(1, deps.deadlineMs()) : deps.quota.acquire(segments, Math.min(deps.deadlineMs(), sendBy))))) {
    await deps.controls.refund(item.kind, admittedAt);
    if (deps.now().getTime() >= sendBy - 1000) return expire(key, token, deps);
    await deps.ledger.release(key, token, deps.now(), 'quota: no room before the invocation deadline');
    return { outcome: 'retry', reason: 'quota' };
  }
  // A message with a secret and none on the queue was settled above.
  const text = item.hasSecret && secret !== undefined ? withSecret(content.text, secret) : content.text;
  let emailToSend: EmailToSend | undefined;
  try {
    // Read before the hand-over: a file that cannot be read now is a reason to try later, never an unknown outcome.
    emailToSend = email ? await emailOf(key, item.kind, content, email.attachments) : undefined;
  } catch (error) {
    const reason = `attachment not readable: ${describeProviderError(error)}`;
    await deps.controls.refund(item.kind, admittedAt);
    await deps.ledger.release(key, token, deps.now(), reason);
    return { outcome: 'retry', reason };
  }
  let providerMessageId: string;
  try {
    ({ messageId: providerMessageId } =
      email && emailToSend ? await email.gateway.sendEmail(emailToSend) : await deps.gateway.publish({ to: recipient, text, key, kind: item.kind, segments }));
  } catch (error) {
    const reason = describeProviderError(error);
    if (outcomeUnknown(error)) {
      // The request may have reached SNS: another try could send it twice. It stays counted against the ceiling.
      await deps.ledger.settle(key, token, deps.now(), { status: 'unknown', reason: `no answer from the provider: ${reason}` });
      return { outcome: 'unknown', reason };
    }
    await deps.controls.refund(item.kind, admittedAt);
    if (isRetryable(error)) {
      await deps.ledger.release(key, token, deps.now(), reason);
      return { outcome: 'retry', reason };
    }
    // The provider refused this message (bad or opted-out number, invalid parameter): retries cannot help.
    await deps.ledger.settle(key, token, deps.now(), { status: 'permanent-failure', reason });
    return { outcome: 'permanent-failure', reason };
  }
  // If this write is lost (crash), the lease runs out and the message could be sent again: the one at-least-once
  // window left, from SNS's answer to this write (measured in the README).
  await deps.ledger.settle(key, token, deps.now(), { status: 'sent', providerMessageId });
  const early = await deps.parkedReceipts.take(providerMessageId);
  if (early) await deps.ledger.applyReceipt(key, early);
  return { outcome: 'sent', providerMessageId, segments };
}

/** The e-mail as SES takes it, its attachments read from the reports bucket now (they are not kept in the ledger). */
async function emailOf(key: string, kind: string, content: MessageContent, store: AttachmentStore): Promise<EmailToSend> {
  const attachments = await Promise.all((content.attachments ?? []).map(async (a) => ({ name: a.name, content: await store.read(a.key) })));
  return { to: content.recipient ?? '', subject: content.emailSubject ?? '', text: content.text, attachments, key, kind };
}

/** Never reaches SNS: recorded as sent, then given the receipt the test number stands for. */
async function sendToTestNumber(key: string, token: string, outcome: TestNumberOutcome, segments: number, deps: SenderPorts): Promise<SendOutcome> {
  const providerMessageId = `test-${token}`;
  await deps.ledger.settle(key, token, deps.now(), { status: 'sent', providerMessageId });
  await deps.ledger.applyReceipt(key, { ...outcome, at: deps.now().toISOString() });
  return { outcome: 'sent', providerMessageId, segments };
}

/** Why a message with a password or code of a paused kind is not sent. */
export const SECRET_CANNOT_WAIT = 'kind paused: a password or code cannot wait';

async function expire(key: string, token: string, deps: SenderPorts, reason = 'could not be handed to the provider before it expired'): Promise<SendOutcome> {
  await deps.ledger.settle(key, token, deps.now(), { status: 'expired', reason });
  return { outcome: 'expired', reason };
}
