/**
 * SDK clients, created once per Lambda process (outside the handler) so warm
 * invocations reuse their connections; created on first use, so a function
 * only pays for the clients it calls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';

// Marked pure so that esbuild drops the clients a function never uses.
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const dynamo = /* @__PURE__ */ once(() => DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }));
export const sqs = /* @__PURE__ */ once(() => new SQSClient({}));
// Publish is tried once: a retry after a reset or a timeout may send the SMS (a password) a second time. A failure
// with no answer is recorded as unknown for an operator (flows/sending/hand-over.ts). A call that hangs is cut off
// after 1 + 4 s, inside the sender's safety margin before its Lambda timeout, so its outcome is always recorded:
// a function killed mid-call would leave the claim to run out and the message to be sent again.
export const sns = /* @__PURE__ */ once(() => new SNSClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, requestTimeout: 4_000, throwOnRequestTimeout: true } }));
export const sfn = /* @__PURE__ */ once(() => new SFNClient({}));
export const eventBridge = /* @__PURE__ */ once(() => new EventBridgeClient({}));
export const scheduler = /* @__PURE__ */ once(() => new SchedulerClient({}));
export const s3 = /* @__PURE__ */ once(() => new S3Client({}));
// SendEmail, like Publish, is tried once, with the same cut-off: a retry could send the e-mail twice.
export const ses = /* @__PURE__ */ once(
  () => new SESv2Client({ maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, requestTimeout: 4_000, throwOnRequestTimeout: true } }),
);
