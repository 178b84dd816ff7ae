/**
 * What an SMS provider's error means for the message: worth another try
 * later, or final; and how long to wait before the next try.
 */
import { redactNumbers } from './redact.ts';

/** Exponential backoff through the queue itself: the message comes back later instead of hammering a throttled provider. */
export function backoffSeconds(receiveCount: number): number {
  return Math.min(900, 5 * 2 ** Math.max(0, receiveCount - 1));
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

// SES: LimitExceeded (sending quota), SendingPaused, AccountSuspended and an unverified MAIL FROM are the account's
// state, not the message's: another try once an operator has fixed it.
const RETRYABLE_NAME =
  /throttl|toomanyrequests|internalerror|serviceunavailable|timeout|kms|authorizationerror|networking|econn|socket|limitexceeded|sendingpaused|accountsuspended|mailfromdomainnotverified/i;

/** SES names the address in some refusals ("…failed the check: ten@example.vn"): never kept in a ledger reason or a log. */
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Throttling, 5xx, network trouble and our own configuration errors (access
 * denied, KMS) are worth another try; a refusal of this message (invalid
 * number, opted out, bad parameter) will not change with retries.
 */
export function isRetryable(error: unknown): boolean {
  const e = (error ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (e.$retryable) return true;
  if (status === undefined || status >= 500 || status === 429) return true;
  return RETRYABLE_NAME.test(e.name ?? '');
}

export function describeProviderError(error: unknown): string {
  const e = (error ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const text = `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`;
  return redactNumbers(text.replace(ADDRESS, '[address]')).slice(0, 500);
}
