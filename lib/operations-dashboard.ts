/**
 * What operators watch: one CloudWatch dashboard (messages and outcomes,
 * parts per day, sender throughput against the quota, queue depths, failed
 * executions of the dossier, campaign and e-registration machines, overdue
 * dossiers, delivery rate) and the alarms that page them
 * beyond the per-queue ones (delivery rate, throttling, spend).
 */
import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type HorizontalAnnotation, MathExpression, Metric, SingleValueWidget, TextWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OperatorAlerts } from './operator-alerts.ts';

export interface OperationsDashboardProps {
  partsPerSecond: number;
  /** Alarm when the share of delivered messages among receipts falls below this (0..1). */
  deliveryRateThreshold: number;
  /** Monthly SMS budget in USD; the spend alarm fires at 80 % of it. Omitted: no spend alarm. */
  monthlySmsBudgetUsd?: number;
  queues: { quarantine: IQueue; sendDeadLetter: IQueue; send: IQueue; urgentSend: IQueue; emailEventsDeadLetter: IQueue };
  stateMachines: { dossiers: IStateMachine; campaigns: IStateMachine; registrations: IStateMachine };
  alerts: OperatorAlerts;
}

const ns = 'BhxhNotify';
const app = (metricName: string, service: string, period = Duration.minutes(5)) => new Metric({ namespace: ns, metricName, dimensionsMap: { service }, statistic: 'Sum', period });

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const delivered = app('receipt-delivered', 'receipts', Duration.hours(1));
    const permanent = app('receipt-permanent-failure', 'receipts', Duration.hours(1));
    const temporary = app('receipt-temporary-failure', 'receipts', Duration.hours(1));
    const deliveryRate = new MathExpression({
      expression: 'IF(d + p + t > 0, d / (d + p + t), 1)',
      usingMetrics: { d: delivered, p: permanent, t: temporary },
      label: 'Delivery rate (receipts)',
      period: Duration.hours(1),
    });
    const partsPerSecond = new MathExpression({
      expression: 'parts / 60',
      usingMetrics: { parts: app('sms-parts-sent', 'sender', Duration.minutes(1)) },
      label: 'SMS parts per second',
      period: Duration.minutes(1),
    });
    const depth = (queue: IQueue, label: string): IMetric => queue.metricApproximateNumberOfMessagesVisible({ label, period: Duration.minutes(1), statistic: 'Maximum' });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'BhxhNotify-Operations', defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# BHXH Notify\nQuarantine or send DLQ not empty: `npm run ops -- quarantine list` (or `dlq list`) shows the reasons; fix, then `quarantine redrive` / `dlq redrive` (redrives never send twice). A kind paused by its daily ceiling: `npm run ops -- status`, then `resume <kind>`.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Messages: sender outcomes',
        left: ['sent', 'paused', 'permanent-failure', 'technical-failure', 'retry', 'expired', 'unknown', 'not-pending'].map((o) =>
          app(`sender-${o}`, 'sender').with({ label: o }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Events: intake outcomes',
        left: ['queued', 'deferred', 'skipped', 'duplicate', 'quarantined', 'lifecycle-started', 'registration-started', 'campaign-started'].map((o) =>
          app(`intake-${o}`, 'intake').with({ label: o }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Sender throughput against the quota (parts/s)',
        left: [partsPerSecond],
        leftAnnotations: [{ value: props.partsPerSecond, label: 'SMS quota' } satisfies HorizontalAnnotation],
        width: 12,
      }),
      new GraphWidget({ title: 'SMS parts per day (cost)', left: [app('sms-parts-sent', 'sender', Duration.days(1)).with({ label: 'parts' })], width: 6 }),
      new SingleValueWidget({ title: 'Delivery rate, last hour', metrics: [deliveryRate], width: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Messages by kind and outcome (per hour)',
        // One line per kind and outcome the sender has seen, whatever kinds exist.
        left: [new MathExpression({ expression: `SEARCH('{${ns},kind,outcome,service} MetricName="messages"', 'Sum', 3600)`, label: '', period: Duration.hours(1) })],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depths',
        left: [depth(props.queues.send, 'send'), depth(props.queues.urgentSend, 'urgent send')],
        right: [depth(props.queues.quarantine, 'quarantine'), depth(props.queues.sendDeadLetter, 'send DLQ'), depth(props.queues.emailEventsDeadLetter, 'e-mail events DLQ')],
        width: 12,
      }),
      new GraphWidget({
        title: 'Failed executions, overdue dossiers',
        left: [
          props.stateMachines.dossiers.metricFailed({ label: 'dossier executions failed' }),
          props.stateMachines.campaigns.metricFailed({ label: 'campaign runs failed' }),
          props.stateMachines.registrations.metricFailed({ label: 'e-registration executions failed' }),
        ],
        right: [app('dossier-overdue', 'dossier', Duration.hours(1)).with({ label: 'dossiers overdue' })],
        width: 12,
      }),
    );

    props.alerts.alarmBelow(
      'DeliveryRateLow',
      deliveryRate,
      props.deliveryRateThreshold,
      `Fewer than ${Math.round(props.deliveryRateThreshold * 100)} % of receipts in the last hour say delivered: check carrier responses in the ledger`,
    );
    props.alerts.alarmAbove(
      'SenderRetriesHigh',
      app('sender-retry', 'sender'),
      50,
      'SNS throttled or failed 50 or more sends in 5 minutes; messages are retried with backoff. If it persists, check the SMS quota (bhxh:smsPartsPerSecond) and SNS health',
    );
    if (props.monthlySmsBudgetUsd !== undefined) {
      props.alerts.alarmAbove(
        'SmsSpendNearBudget',
        new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: 'Maximum', period: Duration.hours(1) }),
        props.monthlySmsBudgetUsd * 0.8,
        `SMS spend this month passed 80 % of the budget of ${props.monthlySmsBudgetUsd} USD`,
      );
    }
  }
}
