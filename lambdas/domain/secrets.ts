/** Putting a password or code back into its masked message: small on purpose, the sender imports it. */
import { SECRET_MASK } from './templates.ts';

export function withSecret(maskedText: string, secret: string): string {
  if (!maskedText.includes(SECRET_MASK)) throw new Error('message has no place for its secret');
  return maskedText.replace(SECRET_MASK, () => secret);
}
