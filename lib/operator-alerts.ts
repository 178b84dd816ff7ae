/**
 * Where operators hear about trouble: an encrypted SNS topic (optionally with
 * an e-mail subscription) and the alarms that publish to it.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperatorAlertsProps {
  alarmEmail?: string;
}

export class OperatorAlerts extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperatorAlertsProps) {
    super(scope, id);
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the BHXH Notify operator alarm topic' });
    // CloudWatch alarms publish to an encrypted topic only if they may use its key.
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', { displayName: 'BHXH Notify operator alarms', masterKey: key, enforceSSL: true });
    // enforceSSL gives the topic a policy of its own (a Deny), which replaces SNS's default one: CloudWatch may
    // publish only if the policy says so. Only alarms of this account, in this region.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);
  }

  /** A dead-letter or quarantine queue holds something an operator must look at. */
  alarmWhenQueueNotEmpty(id: string, queue: IQueue, description: string): Alarm {
    return this.alarm(id, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 1, description);
  }

  alarmOnFunctionErrors(id: string, fn: IFunction): Alarm {
    return this.alarm(id, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 1, `${fn.node.id} reported errors: look at its logs`);
  }

  /** Any count above zero in the metric's period is worth an operator's look. */
  alarmOnMetric(id: string, metric: IMetric, description: string): Alarm {
    return this.alarm(id, metric, 1, description);
  }

  alarmAbove(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    return this.alarm(id, metric, threshold, description);
  }

  alarmBelow(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    return this.alarm(id, metric, threshold, description, ComparisonOperator.LESS_THAN_THRESHOLD);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string, comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
