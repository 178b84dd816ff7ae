/**
 * Putting a password or code back into its masked message: small on purpose, the sender imports it.
 *
 * The secret must go where the template put SECRET_MASK, and only there. Two
 * guards make the first mask in a ledger text always the template's slot:
 * - no field value can hold the mask: the schemas refuse a run of asterisks in
 *   every free-text field (schema-fields.ts), a login name is 10 digits, a code 4 to 8;
 * - a message is recorded only if its rendered text holds the mask exactly
 *   once (`assertOneSecretSlot`, called when the plan is rendered at intake),
 *   overlapping matches counted, so `*********` is two.
 * The sender then fills the first (and only) mask.
 */
import { SECRET_MASK } from './templates.ts';

export class SecretSlotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretSlotError';
  }
}

/** Every place in `text` where SECRET_MASK starts, overlapping ones included. */
function maskPositions(text: string): number[] {
  const positions: number[] = [];
  for (let at = text.indexOf(SECRET_MASK); at >= 0; at = text.indexOf(SECRET_MASK, at + 1)) positions.push(at);
  return positions;
}

/** Refuses a masked text that does not hold exactly one place for its secret: a field value took the form of the mask. */
export function assertOneSecretSlot(maskedText: string): void {
  const count = maskPositions(maskedText).length;
  if (count === 0) throw new SecretSlotError('message has no place for its secret');
  if (count > 1) throw new SecretSlotError(`message holds the secret mask ${count} times: a field value took the form of the mask, and the secret would not go only to its slot`);
}

export function withSecret(maskedText: string, secret: string): string {
  const at = maskedText.indexOf(SECRET_MASK);
  if (at < 0) throw new SecretSlotError('message has no place for its secret');
  return `${maskedText.slice(0, at)}${secret}${maskedText.slice(at + SECRET_MASK.length)}`;
}
