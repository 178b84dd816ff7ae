/**
 * `receipts failed` and `receipts redrive`: the batches of delivery receipts
 * the receipts function failed to apply after every attempt, which Lambda
 * keeps on its on-failure queue (`FailedReceiptsQueueUrl`). A redrive applies
 * each batch with the receipts flow itself (the same code the function runs,
 * with the operator's credentials) and deletes it once applied; a batch that
 * fails again stays on the queue. Applying a receipt twice changes nothing,
 * so a redrive is safe to repeat.
 *
 * Only counts and times are printed: the batches' log lines hold phone numbers.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { parseFailedInvocation, subscriptionLines } from '../lambdas/flows/receipts/log-batch.ts';
import { reapplyFailedBatch } from '../lambdas/flows/receipts/redrive.ts';
import type { ReceiptCounts } from '../lambdas/flows/receipts/apply-receipt.ts';
import { DynamoLedgerStore } from '../lambdas/stores/ledger-store.ts';
import { DynamoParkedReceiptStore } from '../lambdas/stores/parked-receipt-store.ts';
import type { LocalSystem } from '../local/runtime.ts';
import { OpsError, type OpsTarget } from './commands.ts';

/** Where the failed batches are: the local run's queue, or the deployed stack's output. */
export async function failedReceiptsQueueUrl(where: { local?: LocalSystem; stack?: string; region?: string }): Promise<string> {
  if (where.local) return where.local.queueByLogicalPrefix('DeliveryReceiptsUnappliedReceipts').url;
  const cfn = new CloudFormationClient(where.region ? { region: where.region } : {});
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: where.stack ?? 'BhxhNotify' }));
  const url = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'FailedReceiptsQueueUrl')?.OutputValue;
  if (!url) throw new OpsError(`stack ${where.stack ?? 'BhxhNotify'} has no output FailedReceiptsQueueUrl; deploy this version of the stack first`);
  return url;
}

/** Every message on the queue, each held for `holdSeconds` so none shows twice. */
async function receiveAll(t: OpsTarget, queueUrl: string, holdSeconds: number): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const page = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: holdSeconds, WaitTimeSeconds: 0 }));
    const messages = page.Messages ?? [];
    if (messages.length === 0) return all;
    all.push(...messages);
  }
}

/** Lists the failed batches: when, why, how many lines; never a line itself. */
export async function listFailedReceipts(t: OpsTarget, queueUrl: string): Promise<number> {
  const messages = await receiveAll(t, queueUrl, 30);
  for (const m of messages) await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  t.print(`failed receipt batches: ${messages.length}`);
  for (const m of messages) {
    try {
      const failed = parseFailedInvocation(m.Body ?? '');
      const lines = failed.batch ? `${subscriptionLines(failed.batch).length} receipt line(s)` : 'no batch (too large for the queue)';
      t.print(`- ${m.MessageId}  ${failed.timestamp}  ${failed.condition} after ${failed.attempts} attempt(s), ${failed.errorType}; ${lines}`);
    } catch (error) {
      t.print(`- ${m.MessageId}  not a Lambda failure record: ${(error as Error).message}`);
    }
  }
  return messages.length;
}

export interface ReceiptRedrive {
  reapplied: number;
  left: number;
  counts: ReceiptCounts;
}

/** Applies every failed batch (or the given message ids) again; deletes each one applied. */
export async function redriveFailedReceipts(t: OpsTarget, queueUrl: string, only?: readonly string[]): Promise<ReceiptRedrive> {
  const deps = {
    ledger: new DynamoLedgerStore(t.db, { tableName: t.tables.ledger, retention: t.retention }),
    parkedReceipts: new DynamoParkedReceiptStore(t.db, t.tables.control),
  };
  const messages = await receiveAll(t, queueUrl, 300);
  const result: ReceiptRedrive = { reapplied: 0, left: 0, counts: { applied: 0, unchanged: 0, parked: 0, unreadable: 0 } };
  for (const m of messages) {
    if (only && !only.includes(m.MessageId ?? '')) {
      await t.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      continue;
    }
    try {
      const outcome = await reapplyFailedBatch(m.Body ?? '', deps);
      if (!outcome.reapplied) {
        t.print(`- ${m.MessageId} left on the queue: ${outcome.why}`);
        result.left++;
        continue;
      }
      for (const [k, v] of Object.entries(outcome.counts) as Array<[keyof ReceiptCounts, number]>) result.counts[k] += v;
      await t.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      result.reapplied++;
    } catch (error) {
      // The error's name only: a message may quote a receipt.
      t.print(`- ${m.MessageId} failed again (${(error as Error).name}); left on the queue`);
      result.left++;
    }
  }
  const c = result.counts;
  t.print(
    `applied ${result.reapplied} failed receipt batch(es) again: ${c.applied} receipt(s) applied, ${c.unchanged} unchanged, ${c.parked} parked, ${c.unreadable} unreadable line(s); ${result.left} left on the queue`,
  );
  return result;
}

/** `receipts failed | receipts redrive [--id ID ...]`. */
export async function receiptsCommand(t: OpsTarget, sub: string | undefined, where: { local?: LocalSystem; stack?: string; region?: string; only?: string[] }): Promise<void> {
  const queueUrl = await failedReceiptsQueueUrl(where);
  if (sub === 'failed') await listFailedReceipts(t, queueUrl);
  else if (sub === 'redrive') await redriveFailedReceipts(t, queueUrl, where.only);
  else throw new OpsError('receipts failed | receipts redrive [--id ID ...]');
}
