/**
 * E-mail beside SMS (SPEC rule 12): an SES domain identity (DKIM-signed), a
 * configuration set that suppresses addresses that bounce hard or complain and
 * publishes deliveries, bounces and complaints to EventBridge, a rule on the
 * default bus that keeps only what a receipt needs (message id, event type,
 * bounce type: never the address) and queues it for the e-mail receipts
 * function, and the sender's grant to send through that identity and
 * configuration set only.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, EmailSendingEvent, EventDestination, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EMAIL_RECEIPTS_ENVIRONMENT } from '../lambdas/aws/environment.ts';
import { SES_EVENT_TYPES } from '../lambdas/domain/email-receipts.ts';
import { PROVIDER_MESSAGE_INDEX } from '../lambdas/stores/table-schema.ts';
import type { NotifyConfig } from './config.ts';
import { NotifyFunction } from './notify-function.ts';
import type { OperatorAlerts } from './operator-alerts.ts';
import { acknowledgeWildcardResource } from './nag.ts';
import { secureQueue } from './queues.ts';

export interface EmailChannelProps {
  config: NotifyConfig;
  ledger: Table;
  contacts: Table;
  controlTable: Table;
  /** Form 01-XN's CSV files, attached to the collector's e-mail. */
  reports: Bucket;
  sender: NotifyFunction;
  alerts: OperatorAlerts;
}

/** Fixed: SES events name their configuration set, and the rule matches on it. */
export const EMAIL_CONFIGURATION_SET = 'bhxh-notify';

export class EmailChannel extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly eventsQueue: Queue;
  readonly eventsDeadLetterQueue: Queue;
  readonly receiptsFunction: NotifyFunction;

  constructor(scope: Construct, id: string, props: EmailChannelProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: EMAIL_CONFIGURATION_SET,
      // SES's own account-level list stands behind ours (stores/email-suppressions.ts) for events we never saw.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
    });
    this.identity = new EmailIdentity(this, 'Domain', { identity: Identity.domain(props.config.emailDomain), configurationSet: this.configurationSet });
    // SES can publish to the default bus only; the rule below takes the events of this configuration set from there.
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: [EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT, EmailSendingEvent.RENDERING_FAILURE],
    });

    this.eventsDeadLetterQueue = secureQueue(this, 'EmailEventsDeadLetterQueue', { retentionPeriod: Duration.days(14) });
    this.eventsQueue = secureQueue(this, 'EmailEventsQueue', {
      visibilityTimeout: Duration.seconds(180),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.eventsDeadLetterQueue, maxReceiveCount: 5 },
    });
    new Rule(this, 'SesEventsRule', {
      eventBus: defaultBus,
      description: "SES deliveries, bounces and complaints of the stack's configuration set, without the address",
      eventPattern: { source: ['aws.ses'], detail: { eventType: [...SES_EVENT_TYPES], mail: { tags: { 'ses:configuration-set': [EMAIL_CONFIGURATION_SET] } } } },
      targets: [
        new SqsQueue(this.eventsQueue, {
          deadLetterQueue: this.eventsDeadLetterQueue,
          // Only what a receipt needs reaches the queue: the event's mail.destination (the address) never does.
          message: RuleTargetInput.fromObject({
            messageId: EventField.fromPath('$.detail.mail.messageId'),
            eventType: EventField.fromPath('$.detail.eventType'),
            bounceType: EventField.fromPath('$.detail.bounce.bounceType'),
            bounceSubType: EventField.fromPath('$.detail.bounce.bounceSubType'),
            complaintFeedbackType: EventField.fromPath('$.detail.complaint.complaintFeedbackType'),
            time: EventField.time,
          }),
        }),
      ],
    });

    this.receiptsFunction = new NotifyFunction(this, 'EmailReceiptsFunction', {
      entry: 'lambdas/functions/email-receipts/handler.ts',
      serviceName: 'email-receipts',
      description: 'Applies SES deliveries, bounces and complaints to the ledger; suppresses hard-bounced and complaining addresses',
      timeout: Duration.seconds(30),
      logRetention: props.config.logRetention,
      contract: EMAIL_RECEIPTS_ENVIRONMENT,
    });
    this.receiptsFunction
      .bindTable('LEDGER_TABLE_NAME', props.ledger, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .grantIndex(props.ledger, PROVIDER_MESSAGE_INDEX)
      .bindTable('CONTROL_TABLE_NAME', props.controlTable, ['dynamodb:PutItem'])
      .bindTable('CONTACTS_TABLE_NAME', props.contacts, ['dynamodb:PutItem'])
      .consumeQueue(this.eventsQueue, { batchSize: 10 });
    this.receiptsFunction.justifyUnused(['dynamodb:PutItem'], 'Parking an SES event that overtakes the sender (no ledger match yet): a race the local run does not produce.', [
      props.controlTable.tableArn,
    ]);

    // The sender: SendEmail through this identity and configuration set, nothing else; the 01-XN files it attaches.
    const arn = (resource: string, name: string) => stack.formatArn({ service: 'ses', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    props.sender.addToRolePolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [arn('identity', props.config.emailDomain), arn('configuration-set', EMAIL_CONFIGURATION_SET)] }),
    );
    props.sender.justifyUnused(['ses:SendEmail'], 'E-mail: the local run gives the sender an outbox instead of SES, so no local call reaches SES.');
    props.sender
      .setVariable('EMAIL_FROM', `"Bảo hiểm xã hội Việt Nam" <thongbao@${props.config.emailDomain}>`)
      .setVariable('EMAIL_CONFIGURATION_SET', EMAIL_CONFIGURATION_SET)
      .setVariable('EMAILS_PER_SECOND', props.config.emailsPerSecond)
      .setVariable('REPORTS_BUCKET_NAME', props.reports.bucketName);
    const forms = props.reports.arnForObjects('01-XN/*');
    props.sender.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [forms] }));
    acknowledgeWildcardResource(
      props.sender.ownRole,
      forms,
      'The form 01-XN files, named by collector and day when the form is made: the wildcard is that prefix of the reports bucket, read only.',
    );

    props.alerts.alarmWhenQueueNotEmpty(
      'EmailEventsDeadLetterQueueNotEmpty',
      this.eventsDeadLetterQueue,
      'SES events (delivery, bounce, complaint) that could not be applied after 5 tries: they name only the message id; fix the cause, then redrive',
    );
    props.alerts.alarmOnFunctionErrors('EmailReceiptsErrors', this.receiptsFunction);
  }
}
