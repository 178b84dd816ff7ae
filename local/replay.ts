/**
 * Replays an events file (SPEC "Local run contract") into a local system:
 * EventBridge entries are published at their `Time`, clock lines move the
 * clock; each line is processed to completion before the next. Bad lines are
 * reported with their number and skipped.
 *
 * A `CampaignProposed` line may name its recipients by a file path (SPEC: "a
 * file path in the local run"), relative to the events file: the replay reads
 * it and stands in for the agency's upload (see `withUploadedRecipients`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

export interface ReplayOptions {
  /** The events file's directory: where a CampaignProposed line's recipients path is read from (default: the working directory). */
  baseDir?: string;
  /**
   * Start the clock just before the first line that has a time (an entry's `Time` or a clock line), without
   * firing anything on the way: the replay's history begins with its first line. `npm start` does, because
   * its clock starts at today's date: walking from there to a line a week ahead fired every daily schedule
   * on the way on an empty system (about 2.5 s a day), and the same file behaved differently by the day it
   * was run. A system whose clock a caller has already set (the tests) keeps it by default.
   */
  startAtFirstLine?: boolean;
}

/** 1 ms before the first timed line: a schedule due at that very moment still fires (cron ranges exclude their start). */
function justBeforeFirstLine(lines: readonly (ReplayLine | undefined)[]): Date | undefined {
  for (const line of lines) {
    if (line?.kind === 'clock') return new Date(line.at.getTime() - 1);
    if (line?.kind === 'event' && line.entry.Time) return new Date(line.entry.Time.getTime() - 1);
  }
  return undefined;
}

/**
 * In AWS an agency uploads its recipients CSV under recipients/<agency>/ of the
 * campaign files bucket, then proposes with its s3:// address. A replay line
 * that names a local file instead gets the same upload done for it here, and
 * the event goes on the bus with the s3:// address: the functions' code is the
 * same as in AWS. Returns the entry to deliver, or why the line is bad.
 */
function withUploadedRecipients(system: LocalSystem, entry: PutEventsRequestEntry, baseDir: string): { entry: PutEventsRequestEntry } | { error: string } {
  if (entry.DetailType !== 'CampaignProposed') return { entry };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail ?? '');
  } catch {
    return { entry }; // the bus and the intake say what is wrong with it, as in AWS
  }
  if (typeof detail !== 'object' || detail === null) return { entry };
  const { recipients, agency } = detail as { recipients?: unknown; agency?: unknown };
  // An s3:// address is already what AWS gets; without an agency there is no prefix to upload to, and the intake refuses the event.
  if (typeof recipients !== 'string' || recipients.trim() === '' || recipients.startsWith('s3://') || typeof agency !== 'string' || agency === '') return { entry };
  const file = path.resolve(baseDir, recipients);
  let csv: string;
  try {
    csv = readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `the recipients file ${recipients} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  const address = system.uploadRecipients(agency, path.basename(file), csv);
  return { entry: { ...entry, Detail: JSON.stringify({ ...detail, recipients: address }) } };
}

export async function replay(system: LocalSystem, lines: string[], onBadLine?: (lineNo: number, error: string) => void, options: ReplayOptions = {}): Promise<ReplayReport> {
  const report: ReplayReport = { events: 0, clockLines: 0, badLines: [] };
  const baseDir = options.baseDir ?? process.cwd();
  const parsed = lines.map((text, index) => parseReplayLine(text, index + 1));
  const start = options.startAtFirstLine ? justBeforeFirstLine(parsed) : undefined;
  if (start) system.jumpClock(start);
  for (const line of parsed) {
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
      const ready = withUploadedRecipients(system, line.entry, baseDir);
      if ('error' in ready) {
        report.badLines.push({ lineNo: line.lineNo, error: ready.error });
        onBadLine?.(line.lineNo, ready.error);
        continue;
      }
      if (line.entry.Time) await system.advanceClock(line.entry.Time);
      const result = await system.putEvents([ready.entry], line.producer === undefined ? {} : { producer: line.producer });
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
