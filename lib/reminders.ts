/**
 * One-time reminders the system sends itself (password change due, a
 * resolution still without its dossier): EventBridge Scheduler schedules in
 * one group, in Asia/Ho_Chi_Minh, that deliver an event to the intake queue
 * and delete themselves.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { NOTIFY_SOURCE, type InternalDetailType } from '../lambdas/domain/catalogue.ts';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantSendOnly } from './queues.ts';

export const REMINDER_SCHEDULE_GROUP = 'bhxh-notify-reminders';

export class Reminders extends Construct {
  readonly group: ScheduleGroup;
  /** The role Scheduler uses to deliver to the target queue. */
  readonly deliveryRole: Role;

  constructor(scope: Construct, id: string, props: { targetQueue: IQueue }) {
    super(scope, id);
    // Deleted with the stack (CDK would retain it): a group of this fixed name left behind by a rollback or a destroy
    // would fail the next deploy. Its pending one-time reminders go with it.
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: REMINDER_SCHEDULE_GROUP, removalPolicy: RemovalPolicy.DESTROY });
    this.deliveryRole = new Role(this, 'DeliveryRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler deliver BHXH Notify reminders to the intake queue',
    });
    // Scheduler only sends (no GetQueueAttributes or GetQueueUrl, which CDK's grantSendMessages would add).
    grantSendOnly(this.deliveryRole, props.targetQueue);
  }

  /** Who may create and move one-time schedules (the intake). */
  grantManage(grantee: IGrantable): void {
    const schedules = Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${REMINDER_SCHEDULE_GROUP}/*` });
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'], resources: [schedules] }));
    this.deliveryRole.grantPassRole(grantee.grantPrincipal);
  }
}

/** Where recurring ticks go: the intake queue, with the Scheduler role and group. */
export interface TickTarget {
  queue: IQueue;
  role: IRole;
  /** The group construct, not its name: a schedule must be created after its group. */
  group: ScheduleGroup;
}

/**
 * A recurring schedule in Asia/Ho_Chi_Minh that delivers an internal event to
 * the intake queue, shaped like an EventBridge event so the intake treats it
 * like any other.
 */
export function recurringTick(
  scope: Construct,
  id: string,
  props: { target: TickTarget; cron: string; description: string; detailType: InternalDetailType; idPrefix: string; detail: Record<string, unknown> },
): CfnSchedule {
  const schedule = new CfnSchedule(scope, id, {
    groupName: props.target.group.scheduleGroupName,
    description: props.description,
    scheduleExpression: props.cron,
    scheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: props.target.queue.queueArn,
      roleArn: props.target.role.roleArn,
      input: JSON.stringify({
        version: '0',
        id: `${props.idPrefix}-<aws.scheduler.execution-id>`,
        'detail-type': props.detailType,
        source: NOTIFY_SOURCE,
        time: '<aws.scheduler.scheduled-time>',
        detail: { ...props.detail, scheduledTime: '<aws.scheduler.scheduled-time>' },
      }),
    },
  });
  // The group's name is a plain string in the template (the group has a fixed name), which makes no dependency by itself.
  schedule.node.addDependency(props.target.group);
  return schedule;
}
