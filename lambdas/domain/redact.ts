import { SECRET_FIELDS, type DetailType } from './catalogue.ts';
/**
 * Provider error messages can echo the destination number; anything that
 * looks like a phone number is masked before it is stored or logged.
 */
export function redactNumbers(text: string): string {
  return text.replace(/\+?\d[\d .-]{6,}\d/g, (match) => {
    const digits = match.replace(/\D/g, '');
    return `***${digits.slice(-3)}`;
  });
}

/**
 * A quarantined copy of an event that carries a password or a one-time code
 * keeps everything but the secret: operators can read why it was refused, and
 * the secret does not sit in a queue for two weeks (the publisher issues a new one).
 */
export function redactSecrets(body: string): string {
  let event: { 'detail-type'?: unknown; detail?: Record<string, unknown> };
  try {
    event = JSON.parse(body);
  } catch {
    return body;
  }
  const fields = SECRET_FIELDS[event['detail-type'] as DetailType];
  if (!fields || typeof event.detail !== 'object' || event.detail === null) return body;
  const detail = { ...event.detail };
  for (const field of fields) if (field in detail) detail[field] = '[redacted]';
  return JSON.stringify({ ...event, detail });
}

/**
 * For showing an event to an operator: Vietnamese phone numbers (and anything
 * shaped like one) keep their last three digits; dates, amounts and codes stay readable.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<![\d\w])(?:\+?84|0)[\d .-]{7,14}\d(?!\d)/g, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 9 && digits.length <= 12 ? `***${digits.slice(-3)}` : match;
  });
}
