/**
 * Messages with an unknown outcome: handed to SNS, and no answer came back
 * (the connection reset or timed out), so SNS may or may not have taken them.
 * The sender never resends one by itself (a password would reach the citizen
 * twice); the SmsOutcomeUnknown alarm calls an operator, who looks at the SNS
 * delivery-status logs (by time and number) and then, for each:
 *
 *   release: SNS did not take it; it is queued again and will be sent.
 *   confirm: SNS took it; it is recorded as sent (with SNS's message id, if
 *            the log shows it, so its delivery receipt still finds it).
 *
 * Both record the operator and the reason in the message's history, and do
 * nothing to a message that is no longer unknown.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { LedgerItem } from '../lambdas/domain/ledger.ts';
import { addDays, vietnamDate } from '../lambdas/domain/vietnam-time.ts';
import { DynamoLedgerStore } from '../lambdas/stores/ledger-store.ts';
import { DynamoUnknownOutcomes } from '../lambdas/stores/unknown-outcome-store.ts';
import { OpsError, type OpsTarget } from './commands.ts';

const outcomesOf = (t: OpsTarget) => new DynamoUnknownOutcomes(t.db, t.tables.ledger);
const ledgerOf = (t: OpsTarget) => new DynamoLedgerStore(t.db, { tableName: t.tables.ledger });

/** Messages whose outcome became unknown on `date` (Vietnam time, default today) and the `days - 1` days before. */
export async function listUnknown(t: OpsTarget, options: { date?: string; days?: number } = {}): Promise<LedgerItem[]> {
  const days = options.days ?? 7;
  const last = options.date ?? vietnamDate(t.now());
  const ledger = ledgerOf(t);
  const found: LedgerItem[] = [];
  for (let back = 0; back < days; back++) {
    for await (const key of outcomesOf(t).keysOn(addDays(last, -back))) {
      const item = await ledger.get(key);
      // The index is eventually consistent: one released or confirmed a moment ago may still be listed there.
      if (item?.status === 'unknown') found.push(item);
    }
  }
  found.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  t.print(`${found.length} message(s) with an unknown outcome, ${addDays(last, -(days - 1))} to ${last} (Vietnam time):`);
  for (const item of found) t.print(`  ${item.updatedAt}  ${item.recipientMasked ?? '(no number)'}  ${item.kind.padEnd(24)} ${item.key}`);
  if (found.length > 0) t.print('check the SNS delivery-status logs, then: ops unknown release <key> --reason "..." | ops unknown confirm <key> --reason "..." [--provider-id ID]');
  return found;
}

async function unknownItem(t: OpsTarget, key: string, reason: string): Promise<LedgerItem> {
  if (reason.trim().length < 5) throw new OpsError('say why (--reason "..."): the reason is recorded with the message');
  const item = await ledgerOf(t).get(key);
  if (!item) throw new OpsError(`no message with key "${key}"`);
  if (item.status !== 'unknown') throw new OpsError(`"${key}" is ${item.status}, not unknown: nothing to release or confirm`);
  return item;
}

/** SNS did not take it: queued again, to be sent. */
export async function releaseUnknown(t: OpsTarget, key: string, reason: string): Promise<void> {
  const item = await unknownItem(t, key, reason);
  // The password or code travelled only on the queue message, which is gone: the publisher must issue a new one.
  if (item.hasSecret)
    throw new OpsError(`"${key}" carried a password or code, which is never stored: it cannot be sent again; confirm it, and have the issuing system issue a new one`);
  if (!(await outcomesOf(t).release(key, t.now(), `by ${t.operator}: ${reason}`))) throw new OpsError(`"${key}" changed meanwhile (another operator?); look again`);
  await t.sqs.send(new SendMessageCommand({ QueueUrl: t.queues.send, MessageBody: JSON.stringify({ key, kind: item.kind, segments: item.segments ?? 1 }) }));
  t.print(`released ${key}: queued again (reason recorded: "${reason}")`);
  await t.settle?.();
}

/** SNS took it: recorded as sent, when it was handed over. */
export async function confirmUnknown(t: OpsTarget, key: string, reason: string, providerMessageId?: string): Promise<void> {
  const item = await unknownItem(t, key, reason);
  if (!(await outcomesOf(t).confirm(key, t.now(), `by ${t.operator}: ${reason}`, new Date(item.updatedAt), providerMessageId))) {
    throw new OpsError(`"${key}" changed meanwhile (another operator?); look again`);
  }
  t.print(`confirmed ${key}: recorded as sent${providerMessageId ? ` (SNS message ${providerMessageId})` : ''} (reason recorded: "${reason}")`);
}
