/**
 * The ops CLI against a deployed stack: the names come from the stack's
 * CloudFormation outputs (mocked here: there is no AWS account on this machine).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app.ts';
import { deployedTarget } from '../../ops/target.ts';

const cfn = mockClient(CloudFormationClient);
afterEach(() => cfn.reset());

const outputs = {
  LedgerTableName: 'BhxhNotify-LedgerTable-1',
  SendControlTableName: 'BhxhNotify-SendControl-1',
  IntakeQueueUrl: 'https://sqs/intake',
  QuarantineQueueUrl: 'https://sqs/quarantine',
  SendQueueUrl: 'https://sqs/send',
  UrgentSendQueueUrl: 'https://sqs/urgent',
  SendDeadLetterQueueUrl: 'https://sqs/dlq',
  DailyCeilings: '{"default":500000,"otp":900000}',
  LedgerRetentionDays: '400',
  MessageTextRetentionDays: '30',
};

describe('ops CLI against a deployed stack', () => {
  it('reads table names, queue URLs and ceilings from the outputs the stack declares', async () => {
    // Prepare: every output the CLI reads is one the stack has
    const declared = Object.keys(Template.fromStack(buildApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false }).stack).toJSON().Outputs);
    expect(declared).toEqual(expect.arrayContaining(Object.keys(outputs)));
    cfn.on(DescribeStacksCommand, { StackName: 'BhxhNotify' }).resolves({
      Stacks: [
        {
          StackName: 'BhxhNotify',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });

    // Act
    const target = await deployedTarget({ stack: 'BhxhNotify', region: 'ap-southeast-1', by: 'nguyen.van.a', print: () => undefined });

    // Assess
    expect(target.tables).toEqual({ ledger: 'BhxhNotify-LedgerTable-1', control: 'BhxhNotify-SendControl-1' });
    expect(target.queues).toEqual({
      intake: 'https://sqs/intake',
      quarantine: 'https://sqs/quarantine',
      send: 'https://sqs/send',
      urgentSend: 'https://sqs/urgent',
      sendDeadLetter: 'https://sqs/dlq',
    });
    expect(target.ceilings).toEqual({ default: 500_000, otp: 900_000 });
    // A resend is recorded with the stack's own retention, not one guessed from the original item.
    expect(target.retention).toEqual({ metadataDays: 400, textDays: 30 });
    expect(target.operator).toBe('nguyen.van.a');
  });

  it('says which output is missing when the deployed stack is older than the CLI', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'BhxhNotify', CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'LedgerTableName', OutputValue: 'x' }] }] });
    await expect(deployedTarget({ stack: 'BhxhNotify', region: 'ap-southeast-1', print: () => undefined })).rejects.toThrow(
      'stack BhxhNotify has no output SendControlTableName; deploy this version of the stack first',
    );
  });

  it('refuses a retention output that is not a whole number of days, instead of guessing one', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'BhxhNotify',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: Object.entries({ ...outputs, MessageTextRetentionDays: 'thirty' }).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });

    // Act
    const target = deployedTarget({ stack: 'BhxhNotify', region: 'ap-southeast-1', print: () => undefined });

    // Assess
    await expect(target).rejects.toThrow('retention output "thirty" is not a whole number of days');
  });
});
