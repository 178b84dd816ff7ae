/**
 * Event intake: the `bhxh-notify` bus, one rule per detail-type of the
 * catalogue (plus a catch-all for kinds it does not know), the intake queue,
 * the quarantine, and the function that validates every event and turns it
 * into contact updates and ledger entries.
 */
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Archive, EventBus, Match, Rule, type EventPattern, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ALL_DETAIL_TYPES, EVENT_BUS_NAME, NOTIFY_SOURCE, SECRET_BEARING_DETAIL_TYPES, SOURCE_OF, URGENT_DETAIL_TYPES } from '../lambdas/domain/catalogue.ts';
import type { NotifyConfig } from './config.ts';
import { NotifyFunction } from './notify-function.ts';
import { bindMessaging } from './messaging-grants.ts';
import { INTAKE_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { SECRET_FIELD_SPELLINGS } from '../lambdas/domain/redact.ts';
import { bindSecretKey } from './kms.ts';
import { secureQueue } from './queues.ts';
import { Reminders, REMINDER_SCHEDULE_GROUP } from './reminders.ts';
import { bindLookupCounterKey } from './lookups.ts';
import { grantStartByName } from './workflow.ts';
import { PROVINCE_CAMPAIGN_STATE_MACHINE_NAME } from './province-campaigns.ts';
import { DOSSIER_STATE_MACHINE_NAME } from './dossier-workflow.ts';
import { REGISTRATION_STATE_MACHINE_NAME } from './registration-workflow.ts';
import { CAMPAIGN_STATE_MACHINE_NAME } from './campaigns.ts';
import { publishOwnEvents } from './producers.ts';
import { PENDING_DUE_INDEX } from '../lambdas/stores/table-schema.ts';

export interface EventIntakeProps {
  config: NotifyConfig;
  ledger: Table;
  contacts: Table;
  sendQueue: Queue;
  urgentSendQueue: Queue;
  alerts: OperatorAlerts;
  /** 8079 read models, and the control table that counts look-ups per phone. */
  lookups: Table;
  controlTable: Table;
  /** The dossier lifecycle that DossierReceived starts and DossierResolved resumes. */
  dossiers: { table: Table; stateMachine: IStateMachine };
}

const INTAKE_TIMEOUT = Duration.seconds(30);

export class EventIntake extends Construct {
  readonly bus: EventBus;
  readonly intakeQueue: Queue;
  /** OtpIssued only: a code must not wait behind a burst of other events. */
  readonly urgentIntakeQueue: Queue;
  readonly quarantine: Queue;
  readonly intakeFunction: NotifyFunction;
  readonly reminders: Reminders;
  private readonly targets: { normal: IRuleTarget; urgent: IRuleTarget };

  constructor(scope: Construct, id: string, props: EventIntakeProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: EVENT_BUS_NAME, description: 'Business events from the BHXH line-of-business systems' });
    new Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      // Events that carry a password or a one-time code are not archived: they must not outlive their use. Neither is
      // any event with a field spelt like a secret's, whatever its detail-type (a mistyped `OTPIssued` too).
      eventPattern: {
        account: [this.bus.stack.account],
        detailType: Match.anythingBut(...SECRET_BEARING_DETAIL_TYPES),
        detail: Object.fromEntries(SECRET_FIELD_SPELLINGS.map((field) => [field, Match.doesNotExist()])),
      },
      // The others carry names, phone numbers and BHXH numbers: kept no longer than the ledger keeps texts and numbers.
      retention: Duration.days(props.config.messageTextRetentionDays),
      description: `Every event of the last ${props.config.messageTextRetentionDays} days (bhxh:messageTextRetentionDays), for replay after an incident`,
    });

    // Invalid events are sent here by the intake with their reasons; poison messages arrive by the redrive policy.
    // Operators fix the cause and use "Start DLQ redrive" to send them back to the intake queue.
    this.quarantine = secureQueue(this, 'Quarantine', { retentionPeriod: Duration.days(14) });
    this.intakeQueue = secureQueue(this, 'IntakeQueue', {
      visibilityTimeout: Duration.seconds(INTAKE_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.quarantine, maxReceiveCount: 5 },
    });
    this.urgentIntakeQueue = secureQueue(this, 'UrgentIntakeQueue', {
      visibilityTimeout: Duration.seconds(INTAKE_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.hours(1),
      deadLetterQueue: { queue: this.quarantine, maxReceiveCount: 5 },
    });
    // EventBridge delivers to the intake queues and, when a delivery keeps failing, to the quarantine. CDK's SqsQueue
    // target adds a statement per rule to each queue's policy, and SQS allows 20 statements and 8 KB: instead one
    // statement per queue lets every rule of the bus send, and the targets below are configured as SqsQueue would
    // configure them, without touching the queues' policies.
    const rulesOfTheBus = Stack.of(this).formatArn({ service: 'events', resource: 'rule', resourceName: `${EVENT_BUS_NAME}/*` });
    for (const queue of [this.intakeQueue, this.urgentIntakeQueue, this.quarantine]) {
      queue.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowRulesOfTheBhxhNotifyBus',
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: { ArnLike: { 'aws:SourceArn': rulesOfTheBus } },
        }),
      );
    }
    const toQueue = (queue: Queue, maxEventAge: Duration): IRuleTarget => ({
      bind: () => ({
        arn: queue.queueArn,
        targetResource: queue,
        deadLetterConfig: { arn: this.quarantine.queueArn },
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: maxEventAge.toSeconds() },
      }),
    });
    this.targets = { normal: toQueue(this.intakeQueue, Duration.hours(24)), urgent: toQueue(this.urgentIntakeQueue, Duration.minutes(15)) };

    for (const detailType of ALL_DETAIL_TYPES) {
      this.route(`Route${detailType}`, {
        description: `Routes ${detailType} (published by ${SOURCE_OF[detailType]}) to the intake`,
        // Matched on detail-type only: a wrong source is quarantined by the intake with a reason, not dropped here.
        eventPattern: { detailType: [detailType] },
        urgent: URGENT_DETAIL_TYPES.includes(detailType),
      });
    }
    this.route('RouteUnrecognisedEvents', {
      description: 'Routes events of kinds outside the catalogue to the intake, which quarantines them',
      eventPattern: { detailType: Match.anythingBut(...ALL_DETAIL_TYPES), source: Match.anythingBut(NOTIFY_SOURCE) },
    });

    this.intakeFunction = new NotifyFunction(this, 'IntakeFunction', {
      entry: 'lambdas/functions/intake/handler.ts',
      serviceName: 'intake',
      description: 'Validates bus events, updates contacts, records and queues messages',
      timeout: INTAKE_TIMEOUT,
      logRetention: props.config.logRetention,
      contract: INTAKE_ENVIRONMENT,
    });
    const fn = this.intakeFunction;
    bindMessaging(fn, props);
    // ContactUpdated updates the contact projection in place (an absent e-mail keeps the stored one; the messaging
    // grant only reads it); an 8079 look-up reads the
    // ledger for its own earlier answer (the messaging grant only records).
    fn.bindTable('CONTACTS_TABLE_NAME', props.contacts, ['dynamodb:UpdateItem']).grantTable(props.ledger, ['dynamodb:GetItem']);
    fn.bindQueue('URGENT_SEND_QUEUE_URL', props.urgentSendQueue)
      .bindQueue('QUARANTINE_QUEUE_URL', this.quarantine)
      .bindTable('DOSSIERS_TABLE_NAME', props.dossiers.table, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .bindTable('LOOKUPS_TABLE_NAME', props.lookups, ['dynamodb:GetItem', 'dynamodb:PutItem'])
      // The hourly 8079 look-up counter.
      .bindTable('CONTROL_TABLE_NAME', props.controlTable, ['dynamodb:UpdateItem'])
      .setVariable('LOOKUP_RATE_LIMIT_PER_HOUR', props.config.lookupRateLimitPerHour)
      .setVariable('OTP_MAX_LIFETIME_MINUTES', props.config.otpMaxLifetimeMinutes)
      // What the intake writes to the dossiers and collections tables expires (TTL expiresAt).
      .setVariable('DOSSIER_RETENTION_DAYS', props.config.dossierRetentionDays)
      .setVariable('COLLECTION_RETENTION_DAYS', props.config.collectionRetentionDays)
      .setVariable('ORPHAN_RESOLUTION_REPORT_HOURS', props.config.orphanResolutionReportHours)
      .setVariable('DOSSIER_STATE_MACHINE_ARN', props.dossiers.stateMachine.stateMachineArn)
      .setVariable('SCHEDULE_GROUP_NAME', REMINDER_SCHEDULE_GROUP)
      .setVariable('SCHEDULE_TARGET_QUEUE_ARN', this.intakeQueue.queueArn)
      .setVariable('EVENT_BUS_NAME', this.bus.eventBusName);
    // Seals the password or code of a message it queues (the sender opens it): encrypt only.
    bindSecretKey(fn, 'SECRET_KEY_ARN', 'encrypt');
    bindLookupCounterKey(this, fn);
    this.reminders = new Reminders(this, 'Reminders', { targetQueue: this.intakeQueue });
    this.reminders.grantManage(this.intakeFunction);
    this.intakeFunction.justifyUnused(
      ['scheduler:UpdateSchedule'],
      'Moving a one-time schedule that exists already (CreateSchedule answered ConflictException: a DossierResolved redelivered while its dossier is still missing); no test repeats one yet.',
    );
    this.intakeFunction.setVariable('SCHEDULE_ROLE_ARN', this.reminders.deliveryRole.roleArn);
    // Only the system's own source (PasswordResetRequested, DossierResolutionUnmatched).
    this.intakeFunction.addToRolePolicy(publishOwnEvents(this.bus.eventBusArn));
    const stack = Stack.of(this);
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    Validations.of(this.intakeFunction.ownRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${shown(stack.region, 'AWS::Region')}:${shown(stack.account, 'AWS::AccountId')}:schedule/${REMINDER_SCHEDULE_GROUP}/*]`,
      reason: 'One reminder schedule per person or dossier, named at run time; the wildcard is confined to the reminders schedule group.',
    });
    // Receive, delete, and nothing else: the intake never changes a message's visibility.
    this.intakeFunction.consumeQueue(this.intakeQueue, { batchSize: 10 }).consumeQueue(this.urgentIntakeQueue, { batchSize: 10 });
    grantStartByName(this.intakeFunction, props.dossiers.stateMachine, DOSSIER_STATE_MACHINE_NAME);
    // DossierResolved resumes the waiting execution with SendTaskSuccess, the one task answer the intake gives
    // (grantTaskResponse would add SendTaskFailure and SendTaskHeartbeat).
    this.intakeFunction.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [props.dossiers.stateMachine.stateMachineArn] }));

    props.alerts.alarmWhenQueueNotEmpty(
      'QuarantineNotEmpty',
      this.quarantine,
      'Events were quarantined: read their reason and errors attributes, fix the publisher or the schema, then redrive',
    );
    props.alerts.alarmOnFunctionErrors('IntakeErrors', this.intakeFunction);
    props.alerts.alarmOnMetric(
      'DossierResolutionsUnmatched',
      new Metric({ namespace: 'BhxhNotify', metricName: 'dossier-resolution-unmatched', dimensionsMap: { service: 'intake' }, statistic: 'Sum', period: Duration.hours(1) }),
      `A DossierResolved has waited ${props.config.orphanResolutionReportHours} h for its DossierReceived (DossierResolutionUnmatched on the bus): check the dossier number with TNHS`,
    );
  }

  /**
   * A rule on the bus that delivers to the intake queue (the urgent one for one-time codes), with the
   * quarantine as its dead-letter queue; the queues' policies stay as they are, whatever the number of rules.
   */
  route(id: string, props: { description: string; eventPattern: EventPattern; urgent?: boolean }): Rule {
    return new Rule(this, id, {
      eventBus: this.bus,
      description: props.description,
      eventPattern: props.eventPattern,
      targets: [props.urgent ? this.targets.urgent : this.targets.normal],
    });
  }

  /** Scheduled facts go to the campaigns' due-date index; the campaigns' ticks start their runs. */
  /** Province campaigns: a proposal is recorded and starts its execution; a review or cancellation answers its wait. */
  connectProvinceCampaigns(campaigns: { table: Table; stateMachine: IStateMachine }): void {
    this.intakeFunction
      .bindTable('CAMPAIGNS_TABLE_NAME', campaigns.table, ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .setVariable('PROVINCE_CAMPAIGN_STATE_MACHINE_ARN', campaigns.stateMachine.stateMachineArn);
    grantStartByName(this.intakeFunction, campaigns.stateMachine, PROVINCE_CAMPAIGN_STATE_MACHINE_NAME);
    this.intakeFunction.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [campaigns.stateMachine.stateMachineArn] }));
  }

  /** E-registrations: a submission is recorded and starts its execution; a review is recorded and answers its wait. */
  connectRegistrations(registrations: { table: Table; stateMachine: IStateMachine }): void {
    this.intakeFunction
      .bindTable('REGISTRATIONS_TABLE_NAME', registrations.table, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .setVariable('REGISTRATION_STATE_MACHINE_ARN', registrations.stateMachine.stateMachineArn);
    grantStartByName(this.intakeFunction, registrations.stateMachine, REGISTRATION_STATE_MACHINE_NAME);
    this.intakeFunction.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [registrations.stateMachine.stateMachineArn] }));
  }

  connectCampaigns(campaigns: { dueItems: Table; collections: Table; stateMachine: IStateMachine }): void {
    this.intakeFunction
      .bindTable('COLLECTIONS_TABLE_NAME', campaigns.collections, ['dynamodb:PutItem'])
      .bindTable('DUE_ITEMS_TABLE_NAME', campaigns.dueItems, ['dynamodb:PutItem', 'dynamodb:DeleteItem'])
      .setVariable('CAMPAIGN_STATE_MACHINE_ARN', campaigns.stateMachine.stateMachineArn)
      // A sweep starts a run only if something is pending (one item read per shard).
      .grantIndex(campaigns.dueItems, PENDING_DUE_INDEX);
    // A tick meeting a run of the same name is tested (test/system/campaign-faults.test.ts: the 07:00 release started early).
    grantStartByName(this.intakeFunction, campaigns.stateMachine, CAMPAIGN_STATE_MACHINE_NAME, { exercisedByTests: true });
  }
}
