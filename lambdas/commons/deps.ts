/** The AWS-backed implementations of the dependencies the domain functions take. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ActionAfterCompletion, CreateScheduleCommand, FlexibleTimeWindowMode, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { dynamo, env, scheduler, sqs } from './aws-clients.ts';
import { NOTIFY_SOURCE } from './catalogue.ts';
import { vietnamLocalDateTime, type Schedules } from './schedules.ts';
import { DueItems } from './due-items.ts';
import { vietnamDate } from './vietnam-time.ts';
import { now } from './clock.ts';
import { Contacts } from './contacts.ts';
import { Ledger } from './ledger.ts';
import type { OutboundDeps } from './outbound.ts';

export function outboundDeps(): OutboundDeps {
  const start = process.env.QUIET_HOURS_START;
  const end = process.env.QUIET_HOURS_END;
  return {
    ...(start && end
      ? {
          quietHours: {
            start,
            end,
            async defer(message, until) {
              // Released by the quiet-hours-release run at the start of the window; never holds a secret (those go at any hour).
              await new DueItems(dynamo(), env('DUE_ITEMS_TABLE_NAME')).put({
                pk: `quiet-hours-release#${message.key}`,
                kind: 'quiet-hours-release',
                dueDate: vietnamDate(until),
                payload: { ...message },
                eventId: message.key,
                asOf: now().toISOString(),
              });
            },
          },
        }
      : {}),
    ledger: new Ledger(dynamo(), env('LEDGER_TABLE_NAME'), Number(env('LEDGER_RETENTION_DAYS')), Number(env('MESSAGE_TEXT_RETENTION_DAYS'))),
    contacts: new Contacts(dynamo(), env('CONTACTS_TABLE_NAME')),
    now,
    async enqueue(message) {
      const queueUrl = message.urgent ? env('URGENT_SEND_QUEUE_URL') : env('SEND_QUEUE_URL');
      await sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
    },
  };
}

/** One-time schedules on EventBridge Scheduler, delivering to the intake queue. */
export function schedulerSchedules(): Schedules {
  const group = () => env('SCHEDULE_GROUP_NAME');
  return {
    async scheduleOnce(name, at, event) {
      const input = {
        Name: name,
        GroupName: group(),
        ScheduleExpression: `at(${vietnamLocalDateTime(at)})`,
        ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
        FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
        ActionAfterCompletion: ActionAfterCompletion.DELETE,
        Target: {
          Arn: env('SCHEDULE_TARGET_QUEUE_ARN'),
          RoleArn: env('SCHEDULE_ROLE_ARN'),
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
    },
  };
}
