/**
 * SDK interception: the AWS SDK calls the handlers (and the ops CLI) make to
 * SQS, EventBridge, Step Functions, Scheduler and S3 are answered by the
 * emulators, through aws-sdk-client-mock (there is no local SQS or EventBridge
 * here); Secrets Manager and KMS are answered by sdk-secrets.ts, with
 * secrets and keys of this system's own. DynamoDB calls go on to DynamoDB Local. SNS is refused unless the
 * system runs with `sms: 'sns'`, where the caller intercepts it.
 *
 * A call made inside a function's invocation is first authorized against that
 * function's role and the target's resource policy (iam/authorizer.ts), with
 * the IAM actions AWS checks for it (iam/requests.ts): denied, it fails with
 * AccessDeniedException as in AWS. Calls outside any invocation are the
 * operator's (tests, the ops CLI) and are not restricted.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { Authorizer, IamRequest } from '../iam/authorizer.ts';
import { currentCaller } from '../iam/callers.ts';
import { checkPutEventsRequest } from '../quotas.ts';
import { dynamoRequests, putEventsRequests, scheduleRequests, sqsRequests, type ArnResolver } from '../iam/requests.ts';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type ChangeMessageVisibilityCommandInput,
  type DeleteMessageCommandInput,
  type GetQueueAttributesCommandInput,
  type ReceiveMessageCommandInput,
  type SendMessageBatchCommandInput,
  type SendMessageCommandInput,
} from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type SendTaskFailureCommandInput,
  type SendTaskSuccessCommandInput,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { GetObjectCommand, PutObjectCommand, S3Client, type GetObjectCommandInput, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type DeleteScheduleCommandInput,
  type GetScheduleCommandInput,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { EventBusEmulator } from './bus.ts';
import type { LocalClock } from './clock.ts';
import { namedError, required } from './errors.ts';
import { kmsStub, secretsManagerStub } from './sdk-secrets.ts';
import type { QueueEmulator } from './queues.ts';
import type { SchedulerEmulator } from './scheduler.ts';
import type { StepFunctionsEmulator } from './step-functions.ts';

export interface Emulators {
  queues: QueueEmulator;
  bus: EventBusEmulator;
  stepFunctions: StepFunctionsEmulator;
  scheduler: SchedulerEmulator;
  /** S3 objects by `bucket/key`. */
  objects: Map<string, string>;
  clock: LocalClock;
}

const sqsRequired = <T>(value: T | undefined, operation: string, parameter: string): T => required(value, operation, parameter, 'MissingParameter');

export class SdkInterception {
  private readonly stubs: Array<{ restore(): void; resetHistory(): void }> = [];
  /** Calls since the stubs' history was last emptied (see forgetCalls). */
  private callsSinceReset = 0;

  constructor(
    private readonly emulators: Emulators,
    private readonly options: { refuseSns: boolean; authorizer: Authorizer; arns: ArnResolver },
  ) {}

  start(): void {
    this.stubs.push(
      this.dynamo(),
      this.sqs(),
      this.eventBridge(),
      this.stepFunctions(),
      this.scheduler(),
      this.s3(),
      secretsManagerStub(this.asCaller),
      kmsStub(this.asCaller, this.options.authorizer),
    );
    if (this.options.refuseSns) {
      // Nothing may reach SNS from a local run: the sender is given the outbox instead.
      const sns = mockClient(SNSClient);
      sns.on(PublishCommand).rejects(new Error('SNS is not available locally; the sender writes to the outbox'));
      this.stubs.push(sns);
    }
  }

  stop(): void {
    for (const stub of this.stubs) stub.restore();
    this.stubs.length = 0;
  }

  /**
   * The stubs (sinon underneath) record every call: its arguments, its result and an Error for its call stack. Nothing
   * here reads that history, and a long run would keep it all: about 28 KB per message of a 12,000-row campaign
   * (heap after the send, 418 MiB against 164 MiB for 3,000 rows), so a 100,000-row bench ran out of its 4 GB heap.
   */
  private forgetCalls(): void {
    if (++this.callsSinceReset < 1_000) return;
    this.callsSinceReset = 0;
    // Sinon refuses a reset while a stub is being invoked: once this call has returned to the event loop, none is.
    queueMicrotask(() => {
      for (const stub of this.stubs) stub.resetHistory();
    });
  }

  /** Authorizes the calling function's requests; calls outside any invocation (the operator's) pass. */
  private readonly asCaller = async (requests: () => IamRequest[]): Promise<void> => {
    this.forgetCalls();
    const caller = currentCaller();
    if (caller) await this.options.authorizer.authorize({ role: caller.role, name: caller.name }, requests());
  };

  /** DynamoDB Local answers; the function's calls are authorized first (each transaction item with its own action and table). */
  private dynamo(): { restore(): void; resetHistory(): void } {
    const stub = mockClient(DynamoDBDocumentClient);
    const original = stub.send.wrappedMethod as (this: DynamoDBDocumentClient, command: unknown) => Promise<unknown>;
    const arns = this.options.arns;
    const asCaller = (requests: () => IamRequest[]) => this.asCaller(requests);
    // The stub's own type is the mock's view of send; this fake passes the real command on.
    const passThrough = async function (this: DynamoDBDocumentClient, command: { constructor: { name: string }; input: Record<string, unknown> }) {
      await asCaller(() => dynamoRequests(command.constructor.name, command.input, arns));
      return original.call(this, command);
    };
    stub.send.callsFake(passThrough as never);
    return stub;
  }

  private sqs(): AwsClientStub<SQSClient> {
    const { queues } = this.emulators;
    const sqs = mockClient(SQSClient);
    const arns = this.options.arns;
    const guarded =
      <I extends { QueueUrl?: string }, R>(command: string, run: (input: I) => R) =>
      async (input: I): Promise<R> => {
        await this.asCaller(() => sqsRequests(command, input as Record<string, unknown>, arns));
        return run(input);
      };
    sqs.on(SendMessageCommand).callsFake(
      guarded('SendMessageCommand', (input: SendMessageCommandInput) => ({
        MessageId: queues.send(
          sqsRequired(input.QueueUrl, 'SendMessage', 'QueueUrl'),
          sqsRequired(input.MessageBody, 'SendMessage', 'MessageBody'),
          input.MessageAttributes,
          input.DelaySeconds,
        ),
      })),
    );
    sqs.on(SendMessageBatchCommand).callsFake(
      guarded('SendMessageBatchCommand', (input: SendMessageBatchCommandInput) => {
        const entries = input.Entries ?? [];
        const ids = queues.sendBatch(
          sqsRequired(input.QueueUrl, 'SendMessageBatch', 'QueueUrl'),
          entries.map((e) => ({
            body: sqsRequired(e.MessageBody, 'SendMessageBatch', `MessageBody of entry ${e.Id}`),
            messageAttributes: e.MessageAttributes,
            delaySeconds: e.DelaySeconds,
          })),
        );
        return { Successful: entries.map((e, i) => ({ Id: e.Id, MessageId: ids[i] })), Failed: [] };
      }),
    );
    sqs.on(ChangeMessageVisibilityCommand).callsFake(
      guarded('ChangeMessageVisibilityCommand', (input: ChangeMessageVisibilityCommandInput) => {
        queues.changeVisibility(
          sqsRequired(input.QueueUrl, 'ChangeMessageVisibility', 'QueueUrl'),
          sqsRequired(input.ReceiptHandle, 'ChangeMessageVisibility', 'ReceiptHandle'),
          sqsRequired(input.VisibilityTimeout, 'ChangeMessageVisibility', 'VisibilityTimeout'),
        );
        return {};
      }),
    );
    // What the ops CLI uses on the quarantine and the dead-letter queue (no function consumes those).
    sqs.on(ReceiveMessageCommand).callsFake(
      guarded('ReceiveMessageCommand', (input: ReceiveMessageCommandInput) => ({
        Messages: queues.receive(sqsRequired(input.QueueUrl, 'ReceiveMessage', 'QueueUrl'), input.MaxNumberOfMessages ?? 1, input.VisibilityTimeout).map((m) => ({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          Body: m.body,
          MessageAttributes: m.messageAttributes,
          Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
        })),
      })),
    );
    sqs.on(DeleteMessageCommand).callsFake(
      guarded('DeleteMessageCommand', (input: DeleteMessageCommandInput) => {
        queues.delete(sqsRequired(input.QueueUrl, 'DeleteMessage', 'QueueUrl'), sqsRequired(input.ReceiptHandle, 'DeleteMessage', 'ReceiptHandle'));
        return {};
      }),
    );
    sqs.on(GetQueueAttributesCommand).callsFake(
      guarded('GetQueueAttributesCommand', (input: GetQueueAttributesCommandInput) => ({
        Attributes: { ApproximateNumberOfMessages: String(queues.approximateNumberOfMessages(sqsRequired(input.QueueUrl, 'GetQueueAttributes', 'QueueUrl'))) },
      })),
    );
    return sqs;
  }

  private eventBridge(): AwsClientStub<EventBridgeClient> {
    const events = mockClient(EventBridgeClient);
    events.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => {
      const entries = input.Entries ?? [];
      checkPutEventsRequest(entries);
      await this.asCaller(() => putEventsRequests(entries as Array<Record<string, unknown>>, this.options.arns));
      const errors: Array<string | undefined> = [];
      for (const entry of entries as PutEventsRequestEntry[]) errors.push(await this.emulators.bus.put(entry));
      return {
        FailedEntryCount: errors.filter(Boolean).length,
        Entries: errors.map((e: string | undefined) => (e ? { ErrorCode: 'Local', ErrorMessage: e } : { EventId: randomUUID() })),
      };
    });
    return events;
  }

  private stepFunctions(): AwsClientStub<SFNClient> {
    const { stepFunctions, clock } = this.emulators;
    const states = mockClient(SFNClient);
    states.on(StartExecutionCommand).callsFake(async (input: StartExecutionCommandInput) => {
      const stateMachineArn = required(input.stateMachineArn, 'StartExecution', 'stateMachineArn');
      const name = input.name ?? randomUUID();
      await this.asCaller(() => [{ action: 'states:StartExecution', resource: stateMachineArn }]);
      // An execution of that name may exist already (StartExecution is idempotent by name): AWS then also checks states:DescribeExecution on it.
      const existing = stepFunctions.existingExecutionArn(stateMachineArn, name);
      if (existing) await this.asCaller(() => [{ action: 'states:DescribeExecution', resource: existing }]);
      const execution = stepFunctions.startExecution(stateMachineArn, name, JSON.parse(input.input ?? '{}'));
      return { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${execution.name}`, startDate: clock.now() };
    });
    const onTaskOf = (action: string, token: string) => {
      const machine = stepFunctions.stateMachineOfToken(token);
      if (!machine) throw namedError('InvalidToken', 'Invalid token');
      return this.asCaller(() => [{ action, resource: machine }]);
    };
    states.on(SendTaskSuccessCommand).callsFake(async (input: SendTaskSuccessCommandInput) => {
      const token = required(input.taskToken, 'SendTaskSuccess', 'taskToken');
      await onTaskOf('states:SendTaskSuccess', token);
      stepFunctions.completeTask(token, { output: JSON.parse(input.output ?? 'null') });
      return {};
    });
    states.on(SendTaskFailureCommand).callsFake(async (input: SendTaskFailureCommandInput) => {
      const token = required(input.taskToken, 'SendTaskFailure', 'taskToken');
      await onTaskOf('states:SendTaskFailure', token);
      stepFunctions.completeTask(token, { error: namedError(input.error ?? 'TaskFailed', input.cause ?? '') });
      return {};
    });
    return states;
  }

  private scheduler(): AwsClientStub<SchedulerClient> {
    const { scheduler } = this.emulators;
    const stub = mockClient(SchedulerClient);
    const guarded =
      <I, R>(command: string, run: (input: I) => R) =>
      async (input: I): Promise<R> => {
        await this.asCaller(() => scheduleRequests(command, input as Record<string, unknown>, this.options.arns));
        return run(input);
      };
    stub.on(CreateScheduleCommand).callsFake(guarded('CreateScheduleCommand', (input: CreateScheduleCommandInput) => scheduler.create(input)));
    stub.on(UpdateScheduleCommand).callsFake(guarded('UpdateScheduleCommand', (input: UpdateScheduleCommandInput) => scheduler.update(input)));
    stub.on(GetScheduleCommand).callsFake(guarded('GetScheduleCommand', (input: GetScheduleCommandInput) => scheduler.get(input)));
    stub.on(DeleteScheduleCommand).callsFake(
      guarded('DeleteScheduleCommand', (input: DeleteScheduleCommandInput) => {
        scheduler.delete(input);
        return {};
      }),
    );
    return stub;
  }

  private s3(): AwsClientStub<S3Client> {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      await this.asCaller(() => [{ action: 's3:PutObject', resource: `arn:aws:s3:::${input.Bucket}/${input.Key}` }]);
      this.emulators.objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
      return { ETag: randomUUID() };
    });
    s3.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => {
      await this.asCaller(() => [{ action: 's3:GetObject', resource: `arn:aws:s3:::${input.Bucket}/${input.Key}` }]);
      const body = this.emulators.objects.get(`${input.Bucket}/${input.Key}`);
      // S3 says NoSuchKey only to a caller that may also list the bucket (s3:ListBucket); no role of the stack may, so a
      // missing object is AccessDenied, as in AWS.
      if (body === undefined) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      return {
        Body: { transformToString: async () => body, transformToByteArray: async () => new Uint8Array(Buffer.from(body, 'utf8')) } as never,
        ContentLength: Buffer.byteLength(body),
      };
    });
    return s3;
  }
}
