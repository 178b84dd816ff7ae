/**
 * Where the ops commands act: a deployed stack (names from its CloudFormation
 * outputs, the operator's own AWS credentials) or the local run (DynamoDB
 * Local and the in-process queues of `npm start`).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseCeilings } from '../lambdas/domain/kind-controls.ts';
import { now } from '../lambdas/runtime/clock.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.ts';
import type { LocalSystem, OutboxLine } from '../local/runtime.ts';
import { maskPhone } from '../lambdas/domain/phone.ts';
import { maskSecretsInSms } from '../lambdas/domain/redact.ts';
import { recipientsPrefix } from '../lambdas/domain/province-campaigns.ts';
import { type CampaignAccess, OpsError, type OpsTarget } from './commands.ts';

/** A retention output: a whole number of days, or the target is refused (no guessed default). */
function wholeDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new Error(`retention output ${JSON.stringify(value)} is not a whole number of days`);
  return days;
}

/** The local run executes the synthesized template: its outputs are what a deploy would output. */
function templateOutput(system: LocalSystem, key: string): string {
  const value = (system.template as { Outputs?: Record<string, { Value?: unknown }> }).Outputs?.[key]?.Value;
  if (typeof value !== 'string') throw new Error(`the synthesized template has no output ${key}`);
  return value;
}

const operator = (by?: string) => by ?? process.env.BHXH_OPERATOR ?? process.env.USER ?? 'operator';

export async function deployedTarget(options: { stack: string; region?: string; by?: string; print: (line?: string) => void }): Promise<OpsTarget> {
  const cfn = new CloudFormationClient(options.region ? { region: options.region } : {});
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: options.stack }));
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const need = (key: string) => {
    const value = outputs[key];
    if (!value) throw new Error(`stack ${options.stack} has no output ${key}; deploy this version of the stack first`);
    return value;
  };
  const clientConfig = options.region ? { region: options.region } : {};
  return {
    db: DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), { marshallOptions: { removeUndefinedValues: true } }),
    sqs: new SQSClient(clientConfig),
    tables: { ledger: need('LedgerTableName'), control: need('SendControlTableName') },
    retention: { metadataDays: wholeDays(need('LedgerRetentionDays')), textDays: wholeDays(need('MessageTextRetentionDays')) },
    queues: {
      intake: need('IntakeQueueUrl'),
      quarantine: need('QuarantineQueueUrl'),
      send: need('SendQueueUrl'),
      urgentSend: need('UrgentSendQueueUrl'),
      sendDeadLetter: need('SendDeadLetterQueueUrl'),
    },
    ceilings: parseCeilings(need('DailyCeilings')),
    operator: operator(options.by),
    now,
    indexSettleMs: 2_000,
    print: options.print,
    // Read only by the campaign commands, so the other commands still work against a stack deployed before campaigns.
    campaignAccess: (): CampaignAccess => {
      const bucket = need('CampaignFilesBucketName');
      const bus = need('EventBusName');
      return {
        table: need('CampaignsTableName'),
        bucket,
        async upload(agency, fileName, csv) {
          const key = `${recipientsPrefix(agency)}${fileName}`;
          await new S3Client(clientConfig).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: 'text/csv; charset=utf-8' }));
          return `s3://${bucket}/${key}`;
        },
        async publish(source, detailType, detail) {
          const result = await new EventBridgeClient(clientConfig).send(
            new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
          );
          const refused = result.Entries?.[0];
          if ((result.FailedEntryCount ?? 0) > 0) throw new OpsError(`the bus refused the ${detailType} event: ${refused?.ErrorCode ?? ''} ${refused?.ErrorMessage ?? ''}`.trim());
        },
      };
    },
  };
}

export function localTarget(system: LocalSystem, options: { by?: string; print: (line?: string) => void }): OpsTarget {
  const queueUrl = (prefix: string) => system.queueByLogicalPrefix(prefix).url;
  return {
    db: system.db,
    // The local run answers SQS calls from its in-process queues.
    sqs: new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    tables: { ledger: system.tableName('Ledger'), control: system.tableName('SenderSendControl') },
    retention: { metadataDays: wholeDays(templateOutput(system, 'LedgerRetentionDays')), textDays: wholeDays(templateOutput(system, 'MessageTextRetentionDays')) },
    queues: {
      intake: queueUrl('EventIntakeIntakeQueue'),
      quarantine: queueUrl('EventIntakeQuarantine'),
      send: queueUrl('SenderSendQueue'),
      urgentSend: queueUrl('SenderUrgentSendQueue'),
      sendDeadLetter: queueUrl('SenderSendDeadLetterQueue'),
    },
    ceilings: system.dailyCeilings,
    operator: operator(options.by),
    now,
    indexSettleMs: 0,
    async settle() {
      const before = system.outbox.length;
      await system.drain();
      for (const line of system.outbox.slice(before) as OutboxLine[]) options.print(`  sms → ${maskPhone(line.to)} [${line.kind}] ${maskSecretsInSms(line.kind, line.text)}`);
    },
    print: options.print,
    campaignAccess: (): CampaignAccess => ({
      table: system.tableName('ProvinceCampaignsCampaignsTable'),
      bucket: system.bucketName('ProvinceCampaignsCampaignFilesBucket'),
      upload: async (agency, fileName, csv) => system.uploadRecipients(agency, fileName, csv),
      async publish(source, detailType, detail) {
        // As a producer's PutEvents: the rules deliver it to the intake; the command's settle() then runs what it started.
        const result = await system.putEvents([{ Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }]);
        if (result.failed > 0) throw new OpsError(`the bus refused the ${detailType} event: ${result.errors.join('; ')}`);
      },
    }),
  };
}
