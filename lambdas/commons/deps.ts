/** The AWS-backed implementations of the dependencies the domain functions take. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { dynamo, env, sqs } from './aws-clients.ts';
import { now } from './clock.ts';
import { Contacts } from './contacts.ts';
import { Ledger } from './ledger.ts';
import type { OutboundDeps } from './outbound.ts';

export function outboundDeps(): OutboundDeps {
  return {
    ledger: new Ledger(dynamo(), env('LEDGER_TABLE_NAME'), Number(env('LEDGER_RETENTION_DAYS'))),
    contacts: new Contacts(dynamo(), env('CONTACTS_TABLE_NAME')),
    now,
    async enqueue(message) {
      const queueUrl = message.urgent ? env('URGENT_SEND_QUEUE_URL') : env('SEND_QUEUE_URL');
      await sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
    },
  };
}
