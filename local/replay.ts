/**
 * Replays an events file (SPEC "Local run contract") into a local system:
 * EventBridge entries are published at their `Time`, clock lines move the
 * clock; each line is processed to completion before the next. Bad lines are
 * reported with their number and skipped.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { EVENT_BUS_NAME } from './function-code.ts';
import type { LocalSystem } from './runtime.ts';

const isoWithOffset = z.iso.datetime({ offset: true });

const eventLine = z.object({
  Source: z.string().min(1),
  DetailType: z.string().min(1),
  Detail: z.union([z.record(z.string(), z.unknown()), z.string()]),
  Time: isoWithOffset.optional(),
  EventBusName: z.string().optional(),
  /** Who publishes (a principal ARN); without it, the source's registered producer (SPEC "Local run contract"). */
  Producer: z.string().startsWith('arn:').optional(),
});
const clockLine = z.object({ clock: isoWithOffset }).strict();

export type ReplayLine =
  | { kind: 'event'; lineNo: number; entry: PutEventsRequestEntry; producer?: string }
  | { kind: 'clock'; lineNo: number; at: Date }
  | { kind: 'bad'; lineNo: number; error: string };

export function parseReplayLine(text: string, lineNo: number): ReplayLine | undefined {
  if (text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', lineNo, error: `not valid JSON (${(error as Error).message})` };
  }
  const clock = clockLine.safeParse(raw);
  if (clock.success) return { kind: 'clock', lineNo, at: new Date(clock.data.clock) };
  const event = eventLine.safeParse(raw);
  if (!event.success) {
    const problems = event.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ');
    return { kind: 'bad', lineNo, error: `neither an EventBridge entry nor a clock line (${problems})` };
  }
  const e = event.data;
  return {
    kind: 'event',
    lineNo,
    entry: {
      Source: e.Source,
      DetailType: e.DetailType,
      Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail),
      EventBusName: e.EventBusName ?? EVENT_BUS_NAME,
      ...(e.Time ? { Time: new Date(e.Time) } : {}),
    },
    ...(e.Producer ? { producer: e.Producer } : {}),
  };
}

export interface ReplayReport {
  events: number;
  clockLines: number;
  badLines: Array<{ lineNo: number; error: string }>;
}

export async function replay(system: LocalSystem, lines: string[], onBadLine?: (lineNo: number, error: string) => void): Promise<ReplayReport> {
  const report: ReplayReport = { events: 0, clockLines: 0, badLines: [] };
  for (const [index, text] of lines.entries()) {
    const line = parseReplayLine(text, index + 1);
    if (!line) continue;
    if (line.kind === 'bad') {
      report.badLines.push({ lineNo: line.lineNo, error: line.error });
      onBadLine?.(line.lineNo, line.error);
      continue;
    }
    if (line.kind === 'clock') {
      await system.advanceClock(line.at);
      report.clockLines += 1;
    } else {
      if (line.entry.Time) await system.advanceClock(line.entry.Time);
      const result = await system.putEvents([line.entry], line.producer === undefined ? {} : { producer: line.producer });
      if (result.failed > 0) {
        const error = `rejected by the bus: ${result.errors.join('; ')}`;
        report.badLines.push({ lineNo: line.lineNo, error });
        onBadLine?.(line.lineNo, error);
        continue;
      }
      report.events += 1;
    }
    await system.drain();
  }
  return report;
}
