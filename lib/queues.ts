/** The settings every queue shares: encrypted at rest with the stack's queue key, TLS only; and the one grant a producer needs. */
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption, type IQueue, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { queueKey } from './kms.ts';

/**
 * Every queue of the stack holds message bodies (events with names and numbers, queued messages, quarantined and dead
 * letters): a customer-managed key whose policy names each role that may read or write through SQS (lib/kms.ts), rather
 * than an SQS-managed key that any principal of the account with sqs:ReceiveMessage can read through.
 */
export function secureQueue(scope: Construct, id: string, props: QueueProps = {}): Queue {
  return new Queue(scope, id, { encryption: QueueEncryption.KMS, encryptionMasterKey: queueKey(scope), enforceSSL: true, ...props });
}

/**
 * sqs:SendMessage on the queue, nothing more: CDK's grantSendMessages adds
 * GetQueueAttributes and GetQueueUrl, which neither our functions (they have
 * the URL in their environment) nor Scheduler ever call. With the queue's
 * customer key, SQS also needs the key to encrypt for the sender
 * (GenerateDataKey, and Decrypt to reuse a cached data key), granted in the key
 * policy by name and through SQS only.
 */
export function grantSendOnly(grantee: IGrantable, queue: IQueue): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  queue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
}
