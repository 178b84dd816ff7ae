/**
 * SDK interception: the AWS SDK calls the handlers (and the ops CLI) make to
 * SQS, EventBridge, Step Functions, Scheduler and S3 are answered by the
 * emulators, through aws-sdk-client-mock (there is no local SQS or EventBridge
 * here). DynamoDB calls are not intercepted: they go to DynamoDB Local. SNS is
 * refused unless the system runs with `sms: 'sns'`, where the caller
 * intercepts it.
 */
import { randomUUID } from 'node:crypto';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
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
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
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
import { namedError } from './errors.ts';
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

/**
 * A parameter the API requires (the SDK types it `T | undefined`): missing, the
 * call is refused, as AWS refuses it (SQS says MissingParameter, the others ValidationException).
 */
function required<T>(value: T | undefined, operation: string, parameter: string, errorName = 'ValidationException'): T {
  if (value === undefined) throw namedError(errorName, `${operation}: ${parameter} is required`);
  return value;
}

const sqsRequired = <T>(value: T | undefined, operation: string, parameter: string): T => required(value, operation, parameter, 'MissingParameter');

export class SdkInterception {
  private readonly stubs: Array<{ restore(): void }> = [];

  constructor(
    private readonly emulators: Emulators,
    private readonly options: { refuseSns: boolean },
  ) {}

  start(): void {
    this.stubs.push(this.sqs(), this.eventBridge(), this.stepFunctions(), this.scheduler(), this.s3());
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

  private sqs(): AwsClientStub<SQSClient> {
    const { queues } = this.emulators;
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => ({
      MessageId: queues.send(
        sqsRequired(input.QueueUrl, 'SendMessage', 'QueueUrl'),
        sqsRequired(input.MessageBody, 'SendMessage', 'MessageBody'),
        input.MessageAttributes,
        input.DelaySeconds,
      ),
    }));
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
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
    });
    sqs.on(ChangeMessageVisibilityCommand).callsFake((input: ChangeMessageVisibilityCommandInput) => {
      queues.changeVisibility(
        sqsRequired(input.QueueUrl, 'ChangeMessageVisibility', 'QueueUrl'),
        sqsRequired(input.ReceiptHandle, 'ChangeMessageVisibility', 'ReceiptHandle'),
        sqsRequired(input.VisibilityTimeout, 'ChangeMessageVisibility', 'VisibilityTimeout'),
      );
      return {};
    });
    // What the ops CLI uses on the quarantine and the dead-letter queue (no function consumes those).
    sqs.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => ({
      Messages: queues.receive(sqsRequired(input.QueueUrl, 'ReceiveMessage', 'QueueUrl'), input.MaxNumberOfMessages ?? 1, input.VisibilityTimeout).map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        Body: m.body,
        MessageAttributes: m.messageAttributes,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
      })),
    }));
    sqs.on(DeleteMessageCommand).callsFake((input: DeleteMessageCommandInput) => {
      queues.delete(sqsRequired(input.QueueUrl, 'DeleteMessage', 'QueueUrl'), sqsRequired(input.ReceiptHandle, 'DeleteMessage', 'ReceiptHandle'));
      return {};
    });
    sqs.on(GetQueueAttributesCommand).callsFake((input: GetQueueAttributesCommandInput) => ({
      Attributes: { ApproximateNumberOfMessages: String(queues.approximateNumberOfMessages(sqsRequired(input.QueueUrl, 'GetQueueAttributes', 'QueueUrl'))) },
    }));
    return sqs;
  }

  private eventBridge(): AwsClientStub<EventBridgeClient> {
    const events = mockClient(EventBridgeClient);
    events.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => {
      const errors = (input.Entries ?? []).map((e: PutEventsRequestEntry) => this.emulators.bus.put(e));
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
    states.on(StartExecutionCommand).callsFake((input: StartExecutionCommandInput) => {
      const stateMachineArn = required(input.stateMachineArn, 'StartExecution', 'stateMachineArn');
      const execution = stepFunctions.startExecution(stateMachineArn, input.name ?? randomUUID(), JSON.parse(input.input ?? '{}'));
      return { executionArn: `${stateMachineArn}:${execution.name}`, startDate: clock.now() };
    });
    states.on(SendTaskSuccessCommand).callsFake((input: SendTaskSuccessCommandInput) => {
      stepFunctions.completeTask(required(input.taskToken, 'SendTaskSuccess', 'taskToken'), { output: JSON.parse(input.output ?? 'null') });
      return {};
    });
    states.on(SendTaskFailureCommand).callsFake((input: SendTaskFailureCommandInput) => {
      stepFunctions.completeTask(required(input.taskToken, 'SendTaskFailure', 'taskToken'), { error: namedError(input.error ?? 'TaskFailed', input.cause ?? '') });
      return {};
    });
    return states;
  }

  private scheduler(): AwsClientStub<SchedulerClient> {
    const { scheduler } = this.emulators;
    const stub = mockClient(SchedulerClient);
    stub.on(CreateScheduleCommand).callsFake((input: CreateScheduleCommandInput) => scheduler.create(input));
    stub.on(UpdateScheduleCommand).callsFake((input: UpdateScheduleCommandInput) => scheduler.update(input));
    stub.on(GetScheduleCommand).callsFake((input: GetScheduleCommandInput) => scheduler.get(input));
    stub.on(DeleteScheduleCommand).callsFake((input: DeleteScheduleCommandInput) => {
      scheduler.delete(input);
      return {};
    });
    return stub;
  }

  private s3(): AwsClientStub<S3Client> {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      this.emulators.objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
      return { ETag: randomUUID() };
    });
    return s3;
  }
}
