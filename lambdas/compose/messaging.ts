/**
 * Composition shared by the functions that record and queue messages: the
 * ledger, the contacts, the send queue, and quiet hours that park a message
 * in the due-date index until the next 07:00 release.
 */
import type { EnvironmentOf, MESSAGING_ENVIRONMENT } from '../aws/environment.ts';
import type { MessagingPorts, QueuedMessage } from '../flows/messaging/record-and-queue.ts';
import { vietnamDate } from '../domain/vietnam-time.ts';
import { now } from '../runtime/clock.ts';
import { DynamoContactStore } from '../stores/contact-store.ts';
import { DynamoEmailSuppressions } from '../stores/email-suppressions.ts';
import { DynamoDueItemStore } from '../stores/due-item-store.ts';
import { DynamoLedgerStore } from '../stores/ledger-store.ts';
import { dynamo } from '../aws/clients.ts';
import { SqsSendQueue } from '../aws/send-queue.ts';
import { KmsSecretEnvelope } from '../aws/secret-envelope.ts';

/** The intake also queues urgent messages, and messages with a password or code (sealed with SECRET_KEY_ARN). */
type MessagingEnvironment = EnvironmentOf<typeof MESSAGING_ENVIRONMENT> & { URGENT_SEND_QUEUE_URL?: string; SECRET_KEY_ARN?: string };

export function messagingPorts(env: MessagingEnvironment): MessagingPorts {
  const dueItems = new DynamoDueItemStore(dynamo(), env.DUE_ITEMS_TABLE_NAME);
  return {
    ledger: new DynamoLedgerStore(dynamo(), {
      tableName: env.LEDGER_TABLE_NAME,
      retention: { metadataDays: env.LEDGER_RETENTION_DAYS, textDays: env.MESSAGE_TEXT_RETENTION_DAYS },
    }),
    contacts: new DynamoContactStore(dynamo(), env.CONTACTS_TABLE_NAME),
    // Suppressed addresses live in the contacts table, which every messaging function already reads.
    emailSuppressions: new DynamoEmailSuppressions(dynamo(), env.CONTACTS_TABLE_NAME),
    sendQueue: new SqsSendQueue(
      { send: env.SEND_QUEUE_URL, ...(env.URGENT_SEND_QUEUE_URL ? { urgent: env.URGENT_SEND_QUEUE_URL } : {}) },
      env.SECRET_KEY_ARN ? new KmsSecretEnvelope(env.SECRET_KEY_ARN) : undefined,
    ),
    now,
    brandedKinds: env.BRANDED_KINDS,
    quietHours: {
      start: env.QUIET_HOURS_START,
      end: env.QUIET_HOURS_END,
      async defer(message: QueuedMessage, until: Date) {
        // Released by the quiet-hours-release run at the start of the window; never holds a secret (those go at any hour).
        await dueItems.put({
          pk: `quiet-hours-release#${message.key}`,
          kind: 'quiet-hours-release',
          dueDate: vietnamDate(until),
          payload: { ...message },
          eventId: message.key,
          asOf: now().toISOString(),
        });
      },
    },
  };
}
