/**
 * EventBridge Scheduler: the one-time schedules the handlers create (at(...)
 * expressions) and the stack's recurring ones (cron), fired as the local clock
 * passes them. Their targets are queues, or a function (invoked asynchronously), as in the stack.
 */
import { randomUUID } from 'node:crypto';
import { cronFiresBetween } from '../cron.ts';
import type { Resolver } from '../template.ts';
import type { LocalClock } from './clock.ts';
import { namedError } from './errors.ts';
import type { Instrumentation } from './instrumentation.ts';
import type { RecurringScheduleDef } from './definitions.ts';
import { checkScheduleName } from '../quotas.ts';

export interface LocalSchedule {
  name: string;
  group: string;
  at: Date;
  expression: string;
  timezone: string;
  target: { Arn: string; RoleArn: string; Input?: string };
}

/** What CreateSchedule and UpdateSchedule take (the part the local run reads). */
export interface ScheduleInput {
  Name?: string;
  GroupName?: string;
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  Target?: unknown;
}

/** `at(2026-12-01T08:00:00)` in a time zone; the local run knows Asia/Ho_Chi_Minh (UTC+7, no DST) and UTC. */
function parseAtExpression(expression: string, timezone = 'UTC'): Date {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!match) throw namedError('ValidationException', `Only one-time at(...) schedules are supported locally, got ${expression}`);
  const offset = { 'Asia/Ho_Chi_Minh': '+07:00', UTC: 'Z' }[timezone];
  if (!offset) throw namedError('ValidationException', `Time zone ${timezone} is not known to the local run`);
  return new Date(`${match[1]}${offset}`);
}

const keyOf = (input: ScheduleInput) => `${input.GroupName ?? 'default'}/${input.Name}`;

export class SchedulerEmulator {
  /** One-time schedules by `group/name`, fired when the local clock passes them. */
  readonly schedules = new Map<string, LocalSchedule>();
  /** Local time up to which the recurring schedules have fired. */
  private firedUpTo: number | undefined;

  constructor(
    private readonly recurring: RecurringScheduleDef[],
    private readonly resolver: Resolver,
    /** Delivers to a target: a queue, or a function (LocalSystem routes by the ARN). */
    private readonly queues: { send(arn: string, body: string): void },
    private readonly clock: LocalClock,
    private readonly instrumentation: Instrumentation,
    /**
     * Whether Scheduler may deliver with the schedule's role: it assumes the
     * role (its trust policy must let scheduler.amazonaws.com) and sends with
     * it (the role's policies and the queue's). A schedule that may not fails
     * its invocation: the event never arrives.
     */
    private readonly mayDeliver: (schedule: string, target: { Arn: string; RoleArn: string }) => Promise<boolean> = async () => true,
  ) {}

  create(input: ScheduleInput): { ScheduleArn: string } {
    checkScheduleName(String(input.Name ?? ''));
    if (this.schedules.has(keyOf(input))) throw namedError('ConflictException', `Schedule ${input.Name} already exists`);
    this.schedules.set(keyOf(input), this.scheduleOf(input));
    return { ScheduleArn: this.resolver.arn('scheduler', `schedule/${keyOf(input)}`) };
  }

  update(input: ScheduleInput): { ScheduleArn: string } {
    if (!this.schedules.has(keyOf(input))) throw namedError('ResourceNotFoundException', `Schedule ${input.Name} does not exist`);
    this.schedules.set(keyOf(input), this.scheduleOf(input));
    return { ScheduleArn: this.resolver.arn('scheduler', `schedule/${keyOf(input)}`) };
  }

  get(input: ScheduleInput): { Name: string; GroupName: string; ScheduleExpression: string; ScheduleExpressionTimezone: string; Target: LocalSchedule['target'] } {
    const schedule = this.schedules.get(keyOf(input));
    if (!schedule) throw namedError('ResourceNotFoundException', `Schedule ${input.Name} does not exist`);
    return { Name: schedule.name, GroupName: schedule.group, ScheduleExpression: schedule.expression, ScheduleExpressionTimezone: schedule.timezone, Target: schedule.target };
  }

  delete(input: ScheduleInput): void {
    this.schedules.delete(keyOf(input));
  }

  /**
   * Moves the clock to `to`, firing every schedule due on the way in time order:
   * the clock stands at each one's time while it is delivered and `drain`ed.
   */
  async advance(to: Date, drain: () => Promise<void>): Promise<void> {
    const from = new Date(this.firedUpTo ?? this.clock.now().getTime());
    const ticks = this.recurring.flatMap((r) => cronFiresBetween(r.expression, r.timezone, from, to).map((at) => ({ at, target: r.target, id: r.logicalId })));
    for (;;) {
      const oneTime = [...this.schedules.values()].filter((s) => s.at <= to).sort((a, b) => a.at.getTime() - b.at.getTime())[0];
      ticks.sort((a, b) => a.at.getTime() - b.at.getTime());
      const tick = ticks[0];
      if (tick && (!oneTime || tick.at < oneTime.at)) {
        ticks.shift();
        if (tick.at > this.clock.now()) this.clock.set(tick.at);
        const scheduledTime = tick.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
        const input = (tick.target.Input ?? '{}').replaceAll('<aws.scheduler.scheduled-time>', scheduledTime).replaceAll('<aws.scheduler.execution-id>', randomUUID());
        this.instrumentation.onSchedulerInvocation?.(tick.id, 'recurring');
        if (await this.mayDeliver(tick.id, tick.target)) this.queues.send(tick.target.Arn, input);
      } else if (oneTime) {
        const schedule = oneTime;
        this.schedules.delete(`${schedule.group}/${schedule.name}`);
        if (schedule.at > this.clock.now()) this.clock.set(schedule.at);
        this.instrumentation.onSchedulerInvocation?.(`${schedule.group}/${schedule.name}`, 'one-time');
        if (await this.mayDeliver(`${schedule.group}/${schedule.name}`, schedule.target)) this.queues.send(schedule.target.Arn, schedule.target.Input ?? '{}');
      } else {
        break; // nothing left due by `to`
      }
      await drain();
    }
    this.clock.set(to);
    this.firedUpTo = to.getTime();
    await drain();
  }

  /** Moves the clock without firing the recurring schedules in between. */
  jump(to: Date): void {
    this.clock.set(to);
    this.firedUpTo = to.getTime();
  }

  private scheduleOf(input: ScheduleInput): LocalSchedule {
    if (input.Name === undefined) throw namedError('ValidationException', 'Name is required');
    if (input.ScheduleExpression === undefined) throw namedError('ValidationException', `Schedule ${input.Name}: ScheduleExpression is required`);
    return {
      name: input.Name,
      group: input.GroupName ?? 'default',
      at: parseAtExpression(input.ScheduleExpression, input.ScheduleExpressionTimezone),
      expression: input.ScheduleExpression,
      timezone: input.ScheduleExpressionTimezone ?? 'UTC',
      target: input.Target as LocalSchedule['target'],
    };
  }
}
