/**
 * BHXH Notify: the stack DevOps deploys. Each construct is one capability;
 * this file only wires them together.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EmailChannel } from './email.ts';
import { readConfig, type NotifyConfig } from './config.ts';
import { Campaigns } from './campaigns.ts';
import { Contacts } from './contacts.ts';
import { DeliveryReceipts } from './delivery-receipts.ts';
import { DossierWorkflow } from './dossier-workflow.ts';
import { EventIntake } from './event-intake.ts';
import { Ledger } from './ledger.ts';
import { OperationsDashboard } from './operations-dashboard.ts';
import { Lookups } from './lookups.ts';
import { OperatorAlerts } from './operator-alerts.ts';
import { Sender } from './sender.ts';
import { ProducerAccess } from './producers.ts';
import { ProvinceCampaigns } from './province-campaigns.ts';
import { RegistrationWorkflow } from './registration-workflow.ts';
import { StatusEvents } from './status-events.ts';

export class BhxhNotifyStack extends Stack {
  readonly config: NotifyConfig;
  readonly alerts: OperatorAlerts;
  readonly ledger: Ledger;
  readonly contacts: Contacts;
  readonly sender: Sender;
  readonly dossiers: DossierWorkflow;
  readonly lookups: Lookups;
  readonly intake: EventIntake;
  readonly campaigns: Campaigns;
  readonly receipts: DeliveryReceipts;
  readonly provinceCampaigns: ProvinceCampaigns;
  readonly registrations: RegistrationWorkflow;
  readonly statusEvents: StatusEvents;
  readonly email: EmailChannel;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'BHXH Notify: SMS notifications for Vietnam Social Security (bus bhxh-notify, ledger, sender)', ...props });
    this.config = readConfig(this.node);
    this.alerts = new OperatorAlerts(this, 'OperatorAlerts', { alarmEmail: this.config.alarmEmail });
    this.ledger = new Ledger(this, 'Ledger');
    this.contacts = new Contacts(this, 'Contacts');
    this.sender = new Sender(this, 'Sender', { config: this.config, ledger: this.ledger.table, alerts: this.alerts });
    this.lookups = new Lookups(this, 'Lookups');
    this.dossiers = new DossierWorkflow(this, 'Dossiers', {
      config: this.config,
      ledger: this.ledger.table,
      contacts: this.contacts.table,
      sendQueue: this.sender.queue,
      alerts: this.alerts,
    });
    this.intake = new EventIntake(this, 'EventIntake', {
      config: this.config,
      ledger: this.ledger.table,
      contacts: this.contacts.table,
      sendQueue: this.sender.queue,
      urgentSendQueue: this.sender.urgentQueue,
      alerts: this.alerts,
      dossiers: { table: this.dossiers.table, stateMachine: this.dossiers.stateMachine },
      lookups: this.lookups.table,
      controlTable: this.sender.controlTable,
    });
    this.campaigns = new Campaigns(this, 'Campaigns', {
      config: this.config,
      busName: this.intake.bus.eventBusName,
      ledger: this.ledger.table,
      contacts: this.contacts.table,
      sendQueue: this.sender.queue,
      alerts: this.alerts,
      scheduleTarget: { queue: this.intake.intakeQueue, role: this.intake.reminders.deliveryRole, group: this.intake.reminders.group },
    });
    this.provinceCampaigns = new ProvinceCampaigns(this, 'ProvinceCampaigns', {
      config: this.config,
      busName: this.intake.bus.eventBusName,
      ledger: this.ledger.table,
      contacts: this.contacts.table,
      sendQueue: this.sender.queue,
      alerts: this.alerts,
      accessLogs: this.campaigns.accessLogs,
    });
    this.intake.connectProvinceCampaigns(this.provinceCampaigns);
    this.registrations = new RegistrationWorkflow(this, 'Registrations', {
      config: this.config,
      ledger: this.ledger.table,
      contacts: this.contacts.table,
      sendQueue: this.sender.queue,
      alerts: this.alerts,
    });
    this.intake.connectRegistrations(this.registrations);
    this.sender.connectProvinceCampaigns(this.provinceCampaigns.table);
    // Every message's final status, from the ledger's stream to the bus (NotificationStatusChanged).
    this.statusEvents = new StatusEvents(this, 'StatusEvents', {
      ledger: this.ledger.table,
      busName: this.intake.bus.eventBusName,
      busArn: this.intake.bus.eventBusArn,
      logRetention: this.config.logRetention,
      alerts: this.alerts,
    });
    // Producers bound to their source; the system alone publishes vn.gov.bhxh.notify.
    new ProducerAccess(this, 'Producers', {
      bus: this.intake.bus,
      systemRoles: [
        this.intake.intakeFunction.ownRole,
        this.dossiers.stepFunction.ownRole,
        this.campaigns.pageFunction.ownRole,
        this.provinceCampaigns.stepFunction.ownRole,
        this.statusEvents.statusFunction.ownRole,
      ],
    });
    this.intake.connectCampaigns(this.campaigns);
    this.receipts = new DeliveryReceipts(this, 'DeliveryReceipts', {
      ledger: this.ledger.table,
      controlTable: this.sender.controlTable,
      logRetention: this.config.logRetention,
      successSamplingRate: this.config.deliveryStatusSuccessSamplingRate,
      alerts: this.alerts,
      scheduleGroup: this.intake.reminders.group,
    });
    this.dossiers.connectDueItems(this.campaigns.dueItems);
    this.registrations.connectDueItems(this.campaigns.dueItems);
    this.email = new EmailChannel(this, 'Email', {
      config: this.config,
      ledger: this.ledger.table,
      contacts: this.contacts.table,
      controlTable: this.sender.controlTable,
      reports: this.campaigns.reports,
      sender: this.sender.senderFunction,
      alerts: this.alerts,
    });
    new OperationsDashboard(this, 'Operations', {
      partsPerSecond: this.config.smsPartsPerSecond,
      deliveryRateThreshold: this.config.deliveryRateAlarmThreshold,
      ...(this.config.monthlySmsBudgetUsd !== undefined ? { monthlySmsBudgetUsd: this.config.monthlySmsBudgetUsd } : {}),
      queues: {
        quarantine: this.intake.quarantine,
        sendDeadLetter: this.sender.deadLetterQueue,
        send: this.sender.queue,
        urgentSend: this.sender.urgentQueue,
        emailEventsDeadLetter: this.email.eventsDeadLetterQueue,
      },
      stateMachines: { dossiers: this.dossiers.stateMachine, campaigns: this.campaigns.stateMachine, registrations: this.registrations.stateMachine },
      alerts: this.alerts,
    });

    new CfnOutput(this, 'EventBusName', { value: this.intake.bus.eventBusName, description: 'Publish events here' });
    new CfnOutput(this, 'QuarantineQueueUrl', { value: this.intake.quarantine.queueUrl, description: 'Quarantined events, with reason and errors attributes' });
    new CfnOutput(this, 'SendQueueUrl', { value: this.sender.queue.queueUrl });
    new CfnOutput(this, 'SendDeadLetterQueueUrl', { value: this.sender.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'UrgentSendQueueUrl', { value: this.sender.urgentQueue.queueUrl });
    new CfnOutput(this, 'FailedReceiptsQueueUrl', {
      value: this.receipts.failedReceipts.queueUrl,
      description: 'Batches of delivery receipts that failed every attempt (ops CLI: receipts redrive)',
    });
    new CfnOutput(this, 'FailedStatusBatchesQueueUrl', {
      value: this.statusEvents.failedBatches.queueUrl,
      description: 'Ledger stream positions whose NotificationStatusChanged events failed every attempt',
    });
    new CfnOutput(this, 'IntakeQueueUrl', { value: this.intake.intakeQueue.queueUrl, description: 'Where quarantined events are redriven' });
    new CfnOutput(this, 'SendControlTableName', { value: this.sender.controlTable.tableName, description: 'Per-kind pause, daily ceilings and counters' });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledger.table.tableName });
    new CfnOutput(this, 'ContactsTableName', { value: this.contacts.table.tableName });
    new CfnOutput(this, 'DossierStateMachineArn', { value: this.dossiers.stateMachine.stateMachineArn, description: 'One execution per dossier' });
    new CfnOutput(this, 'CampaignStateMachineArn', { value: this.campaigns.stateMachine.stateMachineArn, description: 'One execution per kind and day' });
    new CfnOutput(this, 'ProvinceCampaignStateMachineArn', {
      value: this.provinceCampaigns.stateMachine.stateMachineArn,
      description: 'One execution per province campaign, campaign-<id>',
    });
    new CfnOutput(this, 'RegistrationStateMachineArn', {
      value: this.registrations.stateMachine.stateMachineArn,
      description: 'One execution per e-registration, registration-<number>',
    });
    new CfnOutput(this, 'CampaignsTableName', { value: this.provinceCampaigns.table.tableName, description: "Province campaigns, their status and the agencies' monthly budgets" });
    new CfnOutput(this, 'CampaignFilesBucketName', {
      value: this.provinceCampaigns.files.bucketName,
      description: 'Recipients files, recipients/<agency>/<file>.csv, and their .refused.csv and .outcomes.csv reports',
    });
    new CfnOutput(this, 'ReportsBucketName', { value: this.campaigns.reports.bucketName, description: 'Form 01-XN CSV files, 01-XN/<collector>/<date>.csv' });
    new CfnOutput(this, 'LedgerRetentionDays', { value: String(this.config.ledgerRetentionDays), description: "Days a message's status is kept (ops CLI: resend)" });
    new CfnOutput(this, 'MessageTextRetentionDays', {
      value: String(this.config.messageTextRetentionDays),
      description: "Days a message's text and number are kept (ops CLI: resend)",
    });
    new CfnOutput(this, 'DailyCeilings', {
      value: JSON.stringify(this.config.dailyCeilings),
      description: 'Messages per kind per day before the kind pauses itself (ops CLI: ceiling)',
    });
    new CfnOutput(this, 'EmailDomain', { value: this.config.emailDomain, description: 'E-mails come from thongbao@ this domain (SES identity)' });
    for (const [i, record] of this.email.identity.dkimRecords.entries()) {
      new CfnOutput(this, `EmailDkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: 'Add to the DNS of the e-mail domain (DKIM): SES verifies the domain from it',
      });
    }
    new CfnOutput(this, 'EmailEventsDeadLetterQueueUrl', {
      value: this.email.eventsDeadLetterQueue.queueUrl,
      description: 'SES events that could not be applied (message ids only)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alerts.topic.topicArn });
  }
}
