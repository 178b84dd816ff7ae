/**
 * Which IAM action(s) AWS checks for each SDK command the functions send, on
 * which resource, with which request context (Service Authorization
 * Reference): a transaction needs each item's action on each item's table; a
 * Query or Scan on an index is checked against the index ARN; PutEvents
 * carries events:source and events:detail-type; creating a schedule passes
 * its target role.
 */
import type { IamRequest } from './authorizer.ts';

export interface ArnResolver {
  tableArn(tableName: string): string;
  queueArn(queueUrl: string): string;
  busArn(nameOrArn: string): string;
  scheduleArn(group: string, name: string): string;
}

type Input = Record<string, unknown>;

const DOCUMENT_ACTIONS: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  GetItemCommand: 'dynamodb:GetItem',
  PutItemCommand: 'dynamodb:PutItem',
  UpdateItemCommand: 'dynamodb:UpdateItem',
  DeleteItemCommand: 'dynamodb:DeleteItem',
};

const TRANSACT_ACTIONS: Record<string, string> = {
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  Get: 'dynamodb:GetItem',
};

function tableRequest(arns: ArnResolver, action: string, input: Input): IamRequest {
  const table = arns.tableArn(String(input.TableName));
  return { action, resource: typeof input.IndexName === 'string' ? `${table}/index/${input.IndexName}` : table };
}

export function dynamoRequests(command: string, input: Input, arns: ArnResolver): IamRequest[] {
  const single = DOCUMENT_ACTIONS[command];
  if (single) return [tableRequest(arns, single, input)];
  if (command === 'TransactWriteCommand' || command === 'TransactGetCommand' || command === 'TransactWriteItemsCommand' || command === 'TransactGetItemsCommand') {
    return ((input.TransactItems ?? []) as Input[]).flatMap((item) =>
      Object.entries(item).map(([kind, body]) => {
        const action = TRANSACT_ACTIONS[kind];
        if (!action) throw new Error(`Transaction item ${kind} has no IAM mapping`);
        return tableRequest(arns, action, body as Input);
      }),
    );
  }
  if (command === 'BatchWriteCommand' || command === 'BatchWriteItemCommand')
    return Object.keys((input.RequestItems ?? {}) as Input).map((t) => ({ action: 'dynamodb:BatchWriteItem', resource: arns.tableArn(t) }));
  if (command === 'BatchGetCommand' || command === 'BatchGetItemCommand')
    return Object.keys((input.RequestItems ?? {}) as Input).map((t) => ({ action: 'dynamodb:BatchGetItem', resource: arns.tableArn(t) }));
  throw new Error(`DynamoDB ${command} has no IAM mapping in the local run`);
}

const SQS_ACTIONS: Record<string, string> = {
  SendMessageCommand: 'sqs:SendMessage',
  SendMessageBatchCommand: 'sqs:SendMessage',
  ReceiveMessageCommand: 'sqs:ReceiveMessage',
  DeleteMessageCommand: 'sqs:DeleteMessage',
  DeleteMessageBatchCommand: 'sqs:DeleteMessage',
  ChangeMessageVisibilityCommand: 'sqs:ChangeMessageVisibility',
  GetQueueAttributesCommand: 'sqs:GetQueueAttributes',
};

export function sqsRequests(command: string, input: Input, arns: ArnResolver): IamRequest[] {
  const action = SQS_ACTIONS[command];
  if (!action) throw new Error(`SQS ${command} has no IAM mapping in the local run`);
  return [{ action, resource: arns.queueArn(String(input.QueueUrl)) }];
}

/** One request per bus, carrying every source and detail-type sent to it (multivalued keys, as AWS evaluates them). */
export function putEventsRequests(entries: readonly Input[], arns: ArnResolver): IamRequest[] {
  const byBus = new Map<string, { sources: Set<string>; detailTypes: Set<string> }>();
  for (const entry of entries) {
    const bus = arns.busArn(String(entry.EventBusName ?? 'default'));
    const keys = byBus.get(bus) ?? { sources: new Set(), detailTypes: new Set() };
    keys.sources.add(String(entry.Source));
    keys.detailTypes.add(String(entry.DetailType));
    byBus.set(bus, keys);
  }
  return [...byBus].map(([resource, keys]) => ({
    action: 'events:PutEvents',
    resource,
    context: { 'events:source': [...keys.sources], 'events:detail-type': [...keys.detailTypes] },
  }));
}

export function scheduleRequests(command: string, input: Input, arns: ArnResolver): IamRequest[] {
  const action = {
    CreateScheduleCommand: 'scheduler:CreateSchedule',
    UpdateScheduleCommand: 'scheduler:UpdateSchedule',
    DeleteScheduleCommand: 'scheduler:DeleteSchedule',
    GetScheduleCommand: 'scheduler:GetSchedule',
  }[command];
  if (!action) throw new Error(`Scheduler ${command} has no IAM mapping in the local run`);
  const requests: IamRequest[] = [{ action, resource: arns.scheduleArn(String(input.GroupName ?? 'default'), String(input.Name)) }];
  const roleArn = (input.Target as Input | undefined)?.RoleArn;
  // Creating or updating a schedule hands its role to Scheduler: iam:PassRole on that role.
  if (typeof roleArn === 'string' && action !== 'scheduler:GetSchedule' && action !== 'scheduler:DeleteSchedule') {
    requests.push({ action: 'iam:PassRole', resource: roleArn, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  }
  return requests;
}

/** Secrets Manager GetSecretValue: authorized on the secret's ARN (the functions name their secrets by ARN). */
export function secretRequests(command: string, input: Input): IamRequest[] {
  if (command !== 'GetSecretValueCommand') throw new Error(`Secrets Manager ${command} has no IAM mapping in the local run`);
  const secretId = String(input.SecretId);
  if (!secretId.startsWith('arn:')) throw new Error(`Secrets Manager ${command}: the local run expects a secret ARN, got ${JSON.stringify(secretId)}`);
  return [{ action: 'secretsmanager:GetSecretValue', resource: secretId }];
}

const KMS_ACTIONS: Record<string, string> = {
  EncryptCommand: 'kms:Encrypt',
  DecryptCommand: 'kms:Decrypt',
  GenerateDataKeyCommand: 'kms:GenerateDataKey',
};

/**
 * KMS Encrypt, Decrypt and GenerateDataKey: authorized on the key's ARN (which the local run reads from the
 * ciphertext for a Decrypt, as KMS does), with the request's encryption context as condition keys.
 */
export function kmsRequests(command: string, keyArn: string, encryptionContext: Readonly<Record<string, string>> = {}): IamRequest[] {
  const action = KMS_ACTIONS[command];
  if (!action) throw new Error(`KMS ${command} has no IAM mapping in the local run`);
  const context: Record<string, string | string[]> = Object.fromEntries(Object.entries(encryptionContext).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]));
  if (Object.keys(encryptionContext).length > 0) context['kms:EncryptionContextKeys'] = Object.keys(encryptionContext);
  return [{ action, resource: keyArn, context }];
}
