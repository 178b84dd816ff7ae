/**
 * Collection services (seed 004): each confirmation is kept per collector and
 * day; before 08:00 the next morning the collector gets the day's form 01-XN:
 * an SMS with the count and total, the CSV in the reports bucket, and a
 * CollectionDailySummaryReady event for the software that collects it.
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import { subjectKey } from '../../domain/contacts.ts';
import { collectorDayOf, form01Xn } from '../../domain/form-01xn.ts';
import type { MessagePlan } from '../../domain/messages.ts';
import type { DetailOf } from '../../domain/schemas.ts';
import { addDays, vietnamDate } from '../../domain/vietnam-time.ts';
import { recordAndQueue, type MessagingPorts, type OutboundOutcome } from '../messaging/record-and-queue.ts';
import type { CollectionStore, DueItemStore, EventPublisher, ReportStore } from '../ports.ts';

export interface CollectionPorts extends MessagingPorts {
  dueItems: DueItemStore;
  collections: CollectionStore;
  reports: ReportStore;
  events: EventPublisher;
}

/** Keeps the confirmation for the collector's daily summary; the participant's SMS is sent by the caller. */
export async function recordConfirmation(
  d: DetailOf<'CollectionPaymentConfirmed'>,
  eventId: string,
  deps: { collections: CollectionStore; dueItems: DueItemStore },
): Promise<void> {
  const date = vietnamDate(new Date(d.paidAt));
  await deps.collections.put({
    collectorDay: collectorDayOf(d.collectorCode, date),
    confirmationCode: d.confirmationCode,
    personId: d.personId,
    fullName: d.fullName,
    paidAt: d.paidAt,
    amount: d.amount,
    scheme: d.scheme,
    months: d.months,
  });
  // One summary per collector and day, however many confirmations: the same item, put again.
  await deps.dueItems.put({
    pk: `collector-summary#${d.collectorCode}#${date}`,
    kind: 'collector-summary',
    dueDate: addDays(date, 1),
    payload: { collectorCode: d.collectorCode, date },
    eventId,
    asOf: date,
  });
}

/** The ledger key of a collector's form for a day: the first, then supplementary forms 1, 2... */
const formKey = (collectorCode: string, date: string, supplement: number) => `collector-summary#${collectorCode}#${date}${supplement ? `#bs${supplement}` : ''}`;

/**
 * The collector's form 01-XN for a day, from every confirmation not yet reported: the first form, or, for
 * confirmations that arrived after it went out, a supplementary form (its own SMS, CSV and event).
 *
 * Crash-safe and sent once: the form being built is the first whose key is not in the ledger yet. Every
 * unreported confirmation is marked with that key before anything is sent, so a re-run rebuilds the same form
 * (with any confirmation that arrived meanwhile) and a finished form is never rebuilt.
 */
export async function sendCollectorSummary(p: { collectorCode: string; date: string }, eventId: string, deps: CollectionPorts): Promise<OutboundOutcome> {
  let supplement = 0;
  while (await deps.ledger.get(formKey(p.collectorCode, p.date, supplement))) supplement += 1;
  const key = formKey(p.collectorCode, p.date, supplement);
  const all = await deps.collections.day(p.collectorCode, p.date);
  const unreported = all.filter((r) => r.reportedIn === undefined).map((r) => r.confirmationCode);
  if (unreported.length > 0) await deps.collections.markReported(p.collectorCode, p.date, unreported, key);
  const rows = (await deps.collections.day(p.collectorCode, p.date)).filter((r) => r.reportedIn === key);
  if (rows.length === 0) return { outcome: 'duplicate', key: formKey(p.collectorCode, p.date, Math.max(0, supplement - 1)), kind: 'collector-summary', status: 'reported' };
  const total = rows.reduce((n, r) => n + r.amount, 0);
  const file = `01-XN/${p.collectorCode}/${p.date}${supplement ? `-bs${supplement}` : ''}.csv`;
  const report = await deps.reports.save(file, form01Xn(rows));
  await deps.events.publish(NotifyDetailType.CollectionDailySummaryReady, {
    collectorCode: p.collectorCode,
    date: p.date,
    count: rows.length,
    total,
    ...(supplement ? { supplement } : {}),
    ...report,
  });
  const plan: MessagePlan<'collector-summary'> = {
    kind: 'collector-summary',
    key,
    subject: subjectKey('collector', p.collectorCode),
    data: { collectorCode: p.collectorCode, date: p.date, count: rows.length, total, ...(supplement ? { supplement } : {}) },
    // The e-mail carries the form itself (seed 004); the SMS says where it is.
    attachments: [{ name: `01-XN_${p.collectorCode}_${p.date}${supplement ? `_bs${supplement}` : ''}.csv`, key: report.key }],
  };
  return recordAndQueue(plan, eventId, deps);
}
