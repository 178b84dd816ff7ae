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

export async function sendCollectorSummary(p: { collectorCode: string; date: string }, eventId: string, deps: CollectionPorts): Promise<OutboundOutcome> {
  const rows = await deps.collections.day(p.collectorCode, p.date);
  const total = rows.reduce((n, r) => n + r.amount, 0);
  const report = await deps.reports.save(`01-XN/${p.collectorCode}/${p.date}.csv`, form01Xn(rows));
  await deps.events.publish(NotifyDetailType.CollectionDailySummaryReady, { collectorCode: p.collectorCode, date: p.date, count: rows.length, total, ...report });
  const plan: MessagePlan<'collector-summary'> = {
    kind: 'collector-summary',
    key: `collector-summary#${p.collectorCode}#${p.date}`,
    subject: subjectKey('collector', p.collectorCode),
    data: { collectorCode: p.collectorCode, date: p.date, count: rows.length, total },
  };
  return recordAndQueue(plan, eventId, deps);
}
