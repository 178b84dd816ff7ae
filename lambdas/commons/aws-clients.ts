/**
 * SDK clients, created once per Lambda process (outside the handler) so warm
 * invocations reuse their connections.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';

let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;
let snsClient: SNSClient | undefined;
let sfnClient: SFNClient | undefined;
let eventsClient: EventBridgeClient | undefined;
let schedulerClient: SchedulerClient | undefined;

export function dynamo(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function sqs(): SQSClient {
  sqsClient ??= new SQSClient({});
  return sqsClient;
}

export function sns(): SNSClient {
  snsClient ??= new SNSClient({});
  return snsClient;
}

export function sfn(): SFNClient {
  sfnClient ??= new SFNClient({});
  return sfnClient;
}

export function eventBridge(): EventBridgeClient {
  eventsClient ??= new EventBridgeClient({});
  return eventsClient;
}

export function scheduler(): SchedulerClient {
  schedulerClient ??= new SchedulerClient({});
  return schedulerClient;
}

/** Reads a required environment variable at call time, with a clear error when the stack forgot it. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
