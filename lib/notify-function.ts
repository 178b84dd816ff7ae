/**
 * Every Lambda of the system, with its runtime defaults fixed once: Node 22 on
 * ARM, bundled and minified (source map alongside), X-Ray tracing, its own log group
 * with a retention, and its own role that can write only to that log group
 * (no AWS managed policies).
 */
import { type Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Role, ServicePrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import path from 'node:path';
import type { Construct } from 'constructs';
import type { EnvironmentContract } from '../lambdas/aws/environment.ts';
import { grantSendOnly } from './queues.ts';
import { justifyUnusedGrants } from './unused-grants.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Node builtins the SDK imports that are cheaper loaded with require than with
 * import: an ESM import makes Node build a facade that reads every export,
 * lazy ones included (node:http's load undici). 20-35 ms less per cold start,
 * measured by `npm run bench`. Each alias points at a one-line CommonJS shim.
 */
export const REQUIRED_BUILTINS = ['http', 'https', 'http2', 'crypto', 'zlib'];
export const BUILTINS_BY_REQUIRE: Record<string, string> = Object.fromEntries(
  REQUIRED_BUILTINS.flatMap((m) => [
    [`--alias:${m}`, `./lambdas/runtime/builtins/${m}.cjs`],
    [`--alias:node:${m}`, `./lambdas/runtime/builtins/${m}.cjs`],
  ]),
);

export interface NotifyFunctionProps<C extends EnvironmentContract> {
  /** The variables the handler reads (lambdas/aws/environment.ts): each must be set, with `bind*` or `setVariable`, and no other. */
  contract: C;
  /** Handler file, relative to the repository root, e.g. `lambdas/functions/intake/handler.ts`. */
  entry: string;
  /** Powertools service name: the `service` key of every log line. */
  serviceName: string;
  description: string;
  timeout: Duration;
  memorySize?: number;
  logRetention: RetentionDays;
}

export class NotifyFunction<C extends EnvironmentContract = EnvironmentContract> extends NodejsFunction {
  /** The contract's variables set so far (the POWERTOOLS_ ones are the runtime's, not the handler's). */
  private readonly variables = new Set<string>();
  /** The function's own role (created here, never shared), for acknowledgements that name it. */
  readonly ownRole: Role;

  constructor(scope: Construct, id: string, props: NotifyFunctionProps<C>) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.serviceName} function`,
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // The AWS SDK is bundled (tree-shaken) rather than taken from the runtime: smaller cold starts, pinned versions.
        externalModules: [],
        banner: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
        esbuildArgs: BUILTINS_BY_REQUIRE,
      },
      // No NODE_OPTIONS=--enable-source-maps: parsing a 2-3 MB source map costs 20-30 ms of every cold
      // start (npm run bench). The .map file ships in the asset to read a minified stack trace offline.
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'BhxhNotify',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    // A function gets exactly the variables its handler reads: a missing one would fail its cold start, an extra one is a leak.
    this.node.addValidation({
      validate: () => [
        ...Object.keys(props.contract)
          .filter((name) => !this.variables.has(name))
          .map((name) => `${this.node.path}: ${name} is in the function's environment contract but is never set`),
        ...[...this.variables].filter((name) => !(name in props.contract)).map((name) => `${this.node.path}: ${name} is set but is not in the function's environment contract`),
      ],
    });
    // Lets the local run find the TypeScript source behind each function of the synthesized template.
    (this.node.defaultChild as CfnFunction).addMetadata('bhxh:entry', props.entry);

    this.ownRole = role;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime line this project targets and tests on (package.json engines, .nvmrc); moving to a newer line is a deliberate, tested change.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions; CDK adds exactly these for active tracing.',
    });
    this.justifyUnused(['logs:CreateLogStream', 'logs:PutLogEvents'], "The Lambda runtime writes the function's logs to its log group, not the handler's code.");
    this.justifyUnused(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], 'Active tracing: the Lambda runtime sends the trace segments, not the handler.');
  }

  /**
   * Invoked by its unqualified ARN only (Step Functions tasks, the log subscription): no version or alias is ever
   * published, so a grant to invoke it names that ARN, not CDK's default `<arn>` and `<arn>:*` (any version).
   */
  override get resourceArnsForGrantInvoke(): string[] {
    return [this.functionArn];
  }

  override addEnvironment(key: string, value: string, options?: Parameters<NodejsFunction['addEnvironment']>[2]): this {
    if (!key.startsWith('POWERTOOLS_')) this.variables.add(key);
    return super.addEnvironment(key, value, options);
  }

  /** Sets a variable of the contract to a plain value. */
  setVariable(name: keyof C & string, value: string | number | boolean): this {
    return this.addEnvironment(name, String(value));
  }

  /** The table's name in `name`, and exactly these actions on the table (an index's Query is granted with `grantIndex`). */
  bindTable(name: keyof C & string, table: ITable, actions: readonly string[]): this {
    return this.grantTable(table, actions).addEnvironment(name, table.tableName);
  }

  /** More actions on a table the function has bound (or been given by a shared binding such as bindMessaging). */
  grantTable(table: ITable, actions: readonly string[]): this {
    this.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }));
    return this;
  }

  /** Queries on one index of a table. */
  grantIndex(table: ITable, indexName: string): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${indexName}`] }));
    return this;
  }

  /** The queue's URL in `name`, and the right to send to it (sqs:SendMessage only, see grantSendOnly). */
  bindQueue(name: keyof C & string, queue: IQueue): this {
    grantSendOnly(this, queue);
    return this.addEnvironment(name, queue.queueUrl);
  }

  /**
   * An SQS event source mapping, with partial batch failures reported, and exactly what the mapping needs on the
   * queue: ReceiveMessage, DeleteMessage and GetQueueAttributes (what CreateEventSourceMapping checks), plus
   * `alsoAllow` for what the handler itself does to its messages. It replaces CDK's SqsEventSource, which also grants
   * sqs:ChangeMessageVisibility and sqs:GetQueueUrl to every consumer (the mapping has the same construct id, so the
   * same logical id). A queue with a customer key would also need kms:Decrypt.
   */
  consumeQueue(queue: IQueue, options: { batchSize: number; maxConcurrency?: number; alsoAllow?: readonly string[] }): this {
    this.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`, {
      eventSourceArn: queue.queueArn,
      batchSize: options.batchSize,
      reportBatchItemFailures: true,
      ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    });
    const actions = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...(options.alsoAllow ?? [])];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [queue.queueArn] }));
    queue.encryptionMasterKey?.grantDecrypt(this);
    return this;
  }

  /**
   * Grants of this function's role that the tests never use, kept for the reason given (lib/unused-grants.ts,
   * `npm run iam-report`); `resources` (the grants' own ARNs) narrows it to those resources.
   */
  justifyUnused(actions: readonly string[], reason: string, resources?: readonly string[]): this {
    justifyUnusedGrants(this.ownRole, actions, reason, resources);
    return this;
  }
}
