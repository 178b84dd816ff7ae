/**
 * What a function that records and queues messages needs (the messaging part
 * of lambdas/aws/environment.ts): the ledger and its content items, the
 * contacts, the send queue, the retention periods and quiet hours. The
 * due-date index, where quiet-hours messages wait, is bound by whoever owns it.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { MESSAGING_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { NotifyConfig } from './config.ts';
import type { NotifyFunction } from './notify-function.ts';

export interface MessagingResources {
  config: NotifyConfig;
  ledger: ITable;
  contacts: ITable;
  sendQueue: IQueue;
  /** Given when the caller owns the due-items table; otherwise bound later (connectDueItems). */
  dueItems?: ITable;
}

export function bindMessaging(fn: NotifyFunction<typeof MESSAGING_ENVIRONMENT>, r: MessagingResources): void {
  // Recording a message puts it (content, then metadata) and, for a fact already recorded, counts the duplicate: no reads.
  fn.bindTable('LEDGER_TABLE_NAME', r.ledger, ['dynamodb:PutItem', 'dynamodb:UpdateItem'])
    .bindTable('CONTACTS_TABLE_NAME', r.contacts, ['dynamodb:GetItem'])
    .bindQueue('SEND_QUEUE_URL', r.sendQueue)
    .setVariable('LEDGER_RETENTION_DAYS', r.config.ledgerRetentionDays)
    .setVariable('MESSAGE_TEXT_RETENTION_DAYS', r.config.messageTextRetentionDays)
    .setVariable('QUIET_HOURS_START', r.config.quietHoursStart)
    .setVariable('QUIET_HOURS_END', r.config.quietHoursEnd)
    .setVariable('BRANDED_KINDS', JSON.stringify(r.config.brandedKinds));
  if (r.dueItems) fn.bindTable('DUE_ITEMS_TABLE_NAME', r.dueItems, ['dynamodb:PutItem']);
}

/**
 * A lifecycle's step records its messages once; only a Task that Step Functions retries after a timeout or a crash
 * finds its message recorded and counts the duplicate (UpdateItem), a path no local scene takes.
 */
export function justifyRetriedStepDuplicates(fn: NotifyFunction<typeof MESSAGING_ENVIRONMENT>, ledger: ITable): void {
  fn.justifyUnused(
    ['dynamodb:UpdateItem'],
    'Counting a duplicate when a step records a message the ledger already has (a Task retried after a timeout or a crash); no test retries a step yet.',
    [ledger.tableArn],
  );
}
