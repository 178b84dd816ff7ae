/**
 * The shapes receipts travel in: the batch a CloudWatch Logs subscription
 * hands the receipts function (gzipped, base64), and the record Lambda puts on
 * the function's on-failure queue when a batch failed every attempt (the batch
 * itself is its `requestPayload`).
 */
import { gunzipSync } from 'node:zlib';

/** What a CloudWatch Logs subscription delivers. */
export interface LogSubscriptionEvent {
  awslogs: { data: string };
}

/** The log lines of a subscription delivery. */
export function subscriptionLines(event: LogSubscriptionEvent): string[] {
  const batch = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents?: Array<{ message: string }> };
  return (batch.logEvents ?? []).map((e) => e.message);
}

/** A failed asynchronous invocation, as Lambda records it on the on-failure destination (the parts we read). */
export interface FailedInvocation {
  /** When the last attempt failed. */
  timestamp: string;
  /** `RetriesExhausted`, `EventAgeExceeded`… */
  condition: string;
  attempts: number;
  /** The error of the last attempt: its type only (a message may quote data). */
  errorType: string;
  /** The batch, unless Lambda left it out (a record over the queue's size limit loses its payload). */
  batch?: LogSubscriptionEvent;
}

const isSubscriptionEvent = (value: unknown): value is LogSubscriptionEvent => typeof (value as LogSubscriptionEvent | undefined)?.awslogs?.data === 'string';

/** Reads an on-failure record; throws on a body that is not one. */
export function parseFailedInvocation(body: string): FailedInvocation {
  const record = JSON.parse(body) as {
    timestamp?: string;
    requestContext?: { condition?: string; approximateInvokeCount?: number };
    requestPayload?: unknown;
    responsePayload?: { errorType?: string } | null;
  };
  if (!record.requestContext) throw new Error('not a Lambda invocation record (no requestContext)');
  return {
    timestamp: String(record.timestamp ?? ''),
    condition: String(record.requestContext.condition ?? 'unknown'),
    attempts: Number(record.requestContext.approximateInvokeCount ?? 0),
    errorType: String(record.responsePayload?.errorType ?? 'unknown'),
    ...(isSubscriptionEvent(record.requestPayload) ? { batch: record.requestPayload } : {}),
  };
}
