/**
 * Collection services (seed 004): each confirmation is kept per collector and
 * day; before 08:00 the next morning the collector gets the day's form 01-XN:
 * an SMS with the count and total, the CSV in the reports bucket, and a
 * CollectionDailySummaryReady event for the software that collects it.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DetailOf } from '../commons/schemas.ts';
import { subjectKey } from '../commons/contacts.ts';
import type { MessagePlan } from '../commons/messages.ts';
import { recordAndQueue, type OutboundOutcome } from '../commons/outbound.ts';
import { formatDate } from '../commons/text/format.ts';
import { addDays, vietnamDate } from '../commons/vietnam-time.ts';
import type { ScheduleDeps } from './scheduled.ts';

export interface Confirmation {
  collectorDay: string;
  confirmationCode: string;
  personId: string;
  fullName: string;
  paidAt: string;
  amount: number;
  scheme: 'voluntary-social' | 'household-health';
  months: number;
}

export class Collections {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(c: Confirmation): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: c }));
  }

  async day(collectorCode: string, date: string): Promise<Confirmation[]> {
    const items: Confirmation[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'collectorDay = :k', ExpressionAttributeValues: { ':k': `${collectorCode}#${date}` }, ExclusiveStartKey: start }),
      );
      items.push(...((page.Items ?? []) as Confirmation[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

export interface CollectionDeps extends ScheduleDeps {
  collections: Collections;
  /** Stores the CSV of form 01-XN; returns where. */
  saveReport(key: string, csv: string): Promise<{ bucket: string; key: string }>;
  /** Publishes CollectionDailySummaryReady. */
  announceSummary(detail: Record<string, unknown>): Promise<void>;
}

/** Keeps the confirmation for the collector's daily summary; the participant's SMS is sent by the caller. */
export async function recordConfirmation(d: DetailOf<'CollectionPaymentConfirmed'>, eventId: string, deps: Pick<CollectionDeps, 'collections' | 'dueItems'>): Promise<void> {
  const date = vietnamDate(new Date(d.paidAt));
  await deps.collections.put({ collectorDay: `${d.collectorCode}#${date}`, confirmationCode: d.confirmationCode, personId: d.personId, fullName: d.fullName, paidAt: d.paidAt, amount: d.amount, scheme: d.scheme, months: d.months });
  // One summary per collector and day, however many confirmations: the same item, put again.
  await deps.dueItems.put({ pk: `collector-summary#${d.collectorCode}#${date}`, kind: 'collector-summary', dueDate: addDays(date, 1), payload: { collectorCode: d.collectorCode, date }, eventId, asOf: date });
}

const csvCell = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

/** Form 01-XN as CSV: one row per confirmation, then the total. UTF-8 with BOM so Excel shows Vietnamese. */
export function form01Xn(rows: Confirmation[]): string {
  const header = ['STT', 'Mã xác nhận', 'Họ và tên', 'Mã số BHXH', 'Ngày nộp tiền', 'Số tiền đóng', 'Loại hình tham gia', 'Số tháng đóng'];
  const sorted = [...rows].sort((a, b) => a.paidAt.localeCompare(b.paidAt) || a.confirmationCode.localeCompare(b.confirmationCode));
  const lines = sorted.map((r, i) =>
    [i + 1, r.confirmationCode, r.fullName, r.personId, formatDate(r.paidAt), r.amount, r.scheme === 'voluntary-social' ? 'BHXH tự nguyện' : 'BHYT hộ gia đình', r.months].map(csvCell).join(','),
  );
  const total = rows.reduce((n, r) => n + r.amount, 0);
  return `\uFEFF${[header.join(','), ...lines, ['', 'Tổng cộng', '', '', '', total, '', ''].map(csvCell).join(',')].join('\r\n')}\r\n`;
}

export async function sendCollectorSummary(p: { collectorCode: string; date: string }, eventId: string, deps: CollectionDeps): Promise<OutboundOutcome> {
  const rows = await deps.collections.day(p.collectorCode, p.date);
  const total = rows.reduce((n, r) => n + r.amount, 0);
  const report = await deps.saveReport(`01-XN/${p.collectorCode}/${p.date}.csv`, form01Xn(rows));
  await deps.announceSummary({ collectorCode: p.collectorCode, date: p.date, count: rows.length, total, ...report });
  const plan: MessagePlan<'collector-summary'> = {
    kind: 'collector-summary',
    key: `collector-summary#${p.collectorCode}#${p.date}`,
    subject: subjectKey('collector', p.collectorCode),
    data: { collectorCode: p.collectorCode, date: p.date, count: rows.length, total },
  };
  return recordAndQueue(plan, eventId, deps);
}
