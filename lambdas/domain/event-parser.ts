/**
 * Reads an EventBridge event against the catalogue (schemas.ts), never
 * throwing: every failure is a quarantine reason and readable errors that
 * name the field.
 *
 * SPEC rule 11: given the event's arrival, an event dated more than
 * MAX_FUTURE_MINUTES after it is quarantined (`future-time`), and updates are
 * ordered by `orderingTime`, the earlier of the event's time and its arrival.
 */
import * as z from 'zod';
import { NOTIFY_SOURCE, sourcesOf, type DetailType as DetailTypeName, type InternalDetailType } from './catalogue.ts';
import { MAX_FUTURE_MINUTES, OTP_MAX_LIFETIME_MINUTES } from './schema-fields.ts';
import { type CatalogueEvent, detailSchemas, type InternalEvent, internalSchemas } from './schemas.ts';

/** The EventBridge envelope, as delivered to targets. */
const envelope = z.object({
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  time: z
    .string()
    .min(1)
    .refine((t) => !Number.isNaN(Date.parse(t)), 'must be a timestamp, e.g. 2018-12-03T02:00:00Z'),
  detail: z.record(z.string(), z.unknown()),
});

export type ParseResult = { ok: true; event: CatalogueEvent | InternalEvent } | { ok: false; reason: QuarantineReason; errors: string[] };

export type QuarantineReason = 'not-json' | 'not-an-event' | 'unknown-detail-type' | 'wrong-source' | 'invalid-detail' | 'future-time';

/** Where the event is read: its arrival, which the producer does not control (SPEC rule 11). */
export interface Arrival {
  receivedAt: Date;
  /** The longest a one-time code may live (bhxh:otpMaxLifetimeMinutes, at most OTP_MAX_LIFETIME_MINUTES). */
  otpMaxLifetimeMinutes?: number;
}

/**
 * SPEC rule 11: the time by which updates of the same subject are ordered (the
 * contact projection, cards, histories, due items): the earlier of the
 * event's `time` and its arrival, so that a producer cannot push an update
 * ahead of later ones by dating it in the future.
 */
export function orderingTime(time: string, receivedAt: Date): string {
  return new Date(Math.min(Date.parse(time), receivedAt.getTime())).toISOString();
}

const minutes = (n: number) => n * 60_000;

/** An event dated more than MAX_FUTURE_MINUTES after its arrival is refused: the errors, or empty. */
function futureTimeErrors(time: string, { receivedAt }: Arrival): string[] {
  if (Date.parse(time) - receivedAt.getTime() <= minutes(MAX_FUTURE_MINUTES)) return [];
  return [`time: ${time.slice(0, 40)} is more than ${MAX_FUTURE_MINUTES} minutes after the event's arrival (${receivedAt.toISOString()}); an event cannot be dated in the future`];
}

/** SPEC rule 10: a one-time code lives at most OTP_MAX_LIFETIME_MINUTES after it was issued (its ordering time). */
function otpLifetimeErrors(event: CatalogueEvent, arrival: Arrival): string[] {
  if (event.detailType !== 'OtpIssued') return [];
  const issuedAt = orderingTime(event.time, arrival.receivedAt);
  const lifetime = Math.min(arrival.otpMaxLifetimeMinutes ?? OTP_MAX_LIFETIME_MINUTES, OTP_MAX_LIFETIME_MINUTES);
  if (Date.parse(event.detail.expiresAt) - Date.parse(issuedAt) <= minutes(lifetime)) return [];
  return [`detail.expiresAt: is more than ${lifetime} minutes after the code was issued (${issuedAt}); a one-time code lives at most ${lifetime} minutes`];
}

/** One readable line per problem, naming the field: `detail.unitName: must not be empty`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string[] {
  return issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const missing = ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code) && !('input' in issue && issue.input !== undefined);
    return `${field}: ${missing ? 'is required' : issue.message}`;
  });
}

/**
 * Validates an EventBridge event (already JSON-parsed) against the catalogue.
 * Never throws: every failure becomes a reason and readable errors. Given its
 * arrival (the intake's clock), it also applies the rules that need one: an
 * event dated in the future is refused (`future-time`, SPEC rule 11), and so
 * is a one-time code that lives longer than OTP_MAX_LIFETIME_MINUTES.
 */
export function parseCatalogueEvent(raw: unknown, arrival?: Arrival): ParseResult {
  const env = envelope.safeParse(raw, { reportInput: true });
  if (!env.success) return { ok: false, reason: 'not-an-event', errors: describeIssues(env.error.issues, '') };
  const { id, source, time, detail } = env.data;
  const future = arrival ? futureTimeErrors(time, arrival) : [];
  if (future.length > 0) return { ok: false, reason: 'future-time', errors: future };
  const detailType = env.data['detail-type'];
  if (source === NOTIFY_SOURCE && Object.hasOwn(internalSchemas, detailType)) {
    const internal = internalSchemas[detailType as InternalDetailType].safeParse(detail, { reportInput: true });
    if (!internal.success) return { ok: false, reason: 'invalid-detail', errors: describeIssues(internal.error.issues, 'detail') };
    return { ok: true, event: { id, detailType, source, time, detail: internal.data } as InternalEvent };
  }
  if (!Object.hasOwn(detailSchemas, detailType)) {
    return { ok: false, reason: 'unknown-detail-type', errors: [`detail-type: "${detailType.slice(0, 80)}" is not in the event catalogue`] };
  }
  const known = detailType as DetailTypeName;
  const allowed = sourcesOf(known);
  if (!(allowed as readonly string[]).includes(source)) {
    return {
      ok: false,
      reason: 'wrong-source',
      errors: [`source: ${known} must come from ${allowed.join(' or ')}, not "${source.slice(0, 80)}"`],
    };
  }
  const parsed = detailSchemas[known].safeParse(detail, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: 'invalid-detail', errors: describeIssues(parsed.error.issues, 'detail') };
  const event = { id, detailType: known, source, time, detail: parsed.data } as CatalogueEvent;
  const lifetime = arrival ? otpLifetimeErrors(event, arrival) : [];
  if (lifetime.length > 0) return { ok: false, reason: 'invalid-detail', errors: lifetime };
  return { ok: true, event };
}
