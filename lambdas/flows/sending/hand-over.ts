/**
 * What a failed hand-over to the SMS provider says about the message. An
 * answer with an HTTP status is the provider's verdict: a 5xx or throttling
 * means it did not take the message (worth another try), a 4xx that it
 * refused it. No answer at all (the connection reset or timed out after the
 * request left, or a 200 without a message id) means the provider may have
 * taken it: sending again could send the SMS (a password) twice, so the
 * outcome is recorded as unknown for an operator instead.
 */

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Failures that happen before a request leaves this machine: the provider cannot have taken the message. */
const NEVER_LEFT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|CredentialsProviderError)$/;

/** True when the provider may have taken the message although the call failed. */
export function outcomeUnknown(error: unknown): boolean {
  const e = (error ?? {}) as ErrorShape;
  if (e.$metadata?.httpStatusCode !== undefined) return false;
  if (NEVER_LEFT.test(e.code ?? '') || NEVER_LEFT.test(e.name ?? '')) return false;
  // The SDK's connection timeout (no connection, so no request); its request timeout, after the request left, is ambiguous.
  return !(e.name === 'TimeoutError' && /without establishing a connection/.test(e.message ?? ''));
}
