/** One-time schedules on EventBridge Scheduler, delivering to the intake queue. */
import { ActionAfterCompletion, CreateScheduleCommand, FlexibleTimeWindowMode, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { NOTIFY_SOURCE } from '../domain/catalogue.ts';
import type { ScheduledEvent } from '../domain/schedules.ts';
import { VIETNAM_TIME_ZONE, vietnamLocalDateTime } from '../domain/vietnam-time.ts';
import type { Schedules } from '../flows/ports.ts';
import { scheduler } from './clients.ts';

export interface ScheduleTarget {
  groupName: string;
  /** The intake queue. */
  queueArn: string;
  /** The role Scheduler delivers with. */
  roleArn: string;
}

export class SchedulerSchedules implements Schedules {
  constructor(private readonly target: ScheduleTarget) {}

  async scheduleOnce(name: string, at: Date, event: ScheduledEvent): Promise<void> {
    const input = {
      Name: name,
      GroupName: this.target.groupName,
      ScheduleExpression: `at(${vietnamLocalDateTime(at)})`,
      ScheduleExpressionTimezone: VIETNAM_TIME_ZONE,
      FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
      ActionAfterCompletion: ActionAfterCompletion.DELETE,
      Target: {
        Arn: this.target.queueArn,
        RoleArn: this.target.roleArn,
        // Shaped like an EventBridge event, so the intake treats it like any other.
        Input: JSON.stringify({ version: '0', id: `schedule-${name}`, 'detail-type': event.detailType, source: NOTIFY_SOURCE, time: at.toISOString(), detail: event.detail }),
      },
    };
    try {
      await scheduler().send(new CreateScheduleCommand(input));
    } catch (error) {
      if ((error as Error).name !== 'ConflictException') throw error;
      await scheduler().send(new UpdateScheduleCommand(input));
    }
  }
}
