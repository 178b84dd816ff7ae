/**
 * SES's events about e-mails, applied like SMS receipts (the same ledger
 * rules: parked when early, never moving a message back, but a complaint after
 * a delivery); a hard bounce or a complaint suppresses the address, read from
 * the message's kept content (the event itself names no address).
 */
import { parseEmailEvent } from '../../domain/email-receipts.ts';
import type { Receipt } from '../../domain/receipts.ts';
import type { Clock, EmailSuppressions } from '../ports.ts';
import { applyReceipt, type ReceiptCounts, type ReceiptDeps } from './apply-receipt.ts';

export interface EmailReceiptDeps extends ReceiptDeps, Clock {
  suppressions: EmailSuppressions;
}

export type EmailReceiptCounts = ReceiptCounts & { suppressed: number };

export async function applyEmailEvents(bodies: readonly string[], deps: EmailReceiptDeps): Promise<{ counts: EmailReceiptCounts; statuses: Receipt['status'][] }> {
  const counts: EmailReceiptCounts = { applied: 0, unchanged: 0, parked: 0, unreadable: 0, suppressed: 0 };
  const statuses: Receipt['status'][] = [];
  for (const body of bodies) {
    const parsed = parseEmailEvent(body);
    if (!parsed) {
      counts.unreadable += 1;
      continue;
    }
    counts[await applyReceipt(parsed.receipt, deps)] += 1;
    statuses.push(parsed.receipt.status);
    if (parsed.suppress && (await suppressAddress(parsed.receipt, deps))) counts.suppressed += 1;
  }
  return { counts, statuses };
}

/** False when the message or its content is no longer known (SES's own suppression list still holds the address). */
async function suppressAddress(receipt: Receipt, deps: EmailReceiptDeps): Promise<boolean> {
  const key = await deps.ledger.keyOfProviderMessage(receipt.providerMessageId);
  const address = key ? (await deps.ledger.content(key, deps.now()))?.recipient : undefined;
  if (!address) return false;
  await deps.suppressions.suppress(address, receipt.providerResponse, deps.now());
  return true;
}
