/**
 * SDK interception: the AWS SDK calls the handlers (and the ops CLI) make to
 * SQS, EventBridge, Step Functions, Scheduler and S3 are answered by the
 * emulators, through aws-sdk-client-mock (there is no local SQS or EventBridge
 * here). DynamoDB calls are not intercepted: they go to DynamoDB Local. SNS is
 * refused unless the system runs with `sms: 'sns'`, where the caller
 * intercepts it.
 */
import { randomUUID } from 'node:crypto';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
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

export class SdkInterception {
  private readonly stubs: AwsStub<any, any, any>[] = [];

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

  private sqs(): AwsStub<any, any, any> {
    const { queues } = this.emulators;
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).callsFake((input) => ({
      MessageId: queues.send(input.QueueUrl, input.MessageBody, input.MessageAttributes, input.DelaySeconds),
    }));
    sqs.on(SendMessageBatchCommand).callsFake((input) => {
      const entries = input.Entries ?? [];
      const ids = queues.sendBatch(
        input.QueueUrl,
        entries.map((e: any) => ({ body: e.MessageBody, messageAttributes: e.MessageAttributes, delaySeconds: e.DelaySeconds })),
      );
      return { Successful: entries.map((e: any, i: number) => ({ Id: e.Id, MessageId: ids[i] })), Failed: [] };
    });
    sqs.on(ChangeMessageVisibilityCommand).callsFake((input) => {
      queues.changeVisibility(input.QueueUrl, input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    });
    // What the ops CLI uses on the quarantine and the dead-letter queue (no function consumes those).
    sqs.on(ReceiveMessageCommand).callsFake((input) => ({
      Messages: queues.receive(input.QueueUrl, input.MaxNumberOfMessages ?? 1, input.VisibilityTimeout).map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        Body: m.body,
        MessageAttributes: m.messageAttributes,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
      })),
    }));
    sqs.on(DeleteMessageCommand).callsFake((input) => {
      queues.delete(input.QueueUrl, input.ReceiptHandle);
      return {};
    });
    sqs.on(GetQueueAttributesCommand).callsFake((input) => ({
      Attributes: { ApproximateNumberOfMessages: String(queues.approximateNumberOfMessages(input.QueueUrl)) },
    }));
    return sqs;
  }

  private eventBridge(): AwsStub<any, any, any> {
    const events = mockClient(EventBridgeClient);
    events.on(PutEventsCommand).callsFake(async (input) => {
      const errors = (input.Entries ?? []).map((e: PutEventsRequestEntry) => this.emulators.bus.put(e));
      return {
        FailedEntryCount: errors.filter(Boolean).length,
        Entries: errors.map((e: string | undefined) => (e ? { ErrorCode: 'Local', ErrorMessage: e } : { EventId: randomUUID() })),
      };
    });
    return events;
  }

  private stepFunctions(): AwsStub<any, any, any> {
    const { stepFunctions, clock } = this.emulators;
    const states = mockClient(SFNClient);
    states.on(StartExecutionCommand).callsFake((input) => {
      const execution = stepFunctions.startExecution(input.stateMachineArn, input.name ?? randomUUID(), JSON.parse(input.input ?? '{}'));
      return { executionArn: `${input.stateMachineArn}:${execution.name}`, startDate: clock.now() };
    });
    states.on(SendTaskSuccessCommand).callsFake((input) => {
      stepFunctions.completeTask(input.taskToken, { output: JSON.parse(input.output ?? 'null') });
      return {};
    });
    states.on(SendTaskFailureCommand).callsFake((input) => {
      stepFunctions.completeTask(input.taskToken, { error: namedError(input.error ?? 'TaskFailed', input.cause ?? '') });
      return {};
    });
    return states;
  }

  private scheduler(): AwsStub<any, any, any> {
    const { scheduler } = this.emulators;
    const stub = mockClient(SchedulerClient);
    stub.on(CreateScheduleCommand).callsFake((input) => scheduler.create(input));
    stub.on(UpdateScheduleCommand).callsFake((input) => scheduler.update(input));
    stub.on(GetScheduleCommand).callsFake((input) => scheduler.get(input));
    stub.on(DeleteScheduleCommand).callsFake((input) => {
      scheduler.delete(input);
      return {};
    });
    return stub;
  }

  private s3(): AwsStub<any, any, any> {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).callsFake((input) => {
      this.emulators.objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
      return { ETag: randomUUID() };
    });
    return s3;
  }
}
