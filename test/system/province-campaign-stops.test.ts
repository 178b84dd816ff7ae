/**
 * Province campaigns that must not send, or not everything (SPEC "Province
 * campaigns", seed 001): a copy of the central payment message (refused, and
 * still refused once approved), a rejected proposal, one cancelled before its
 * window, one cancelled while its messages wait on the send queue, one
 * cancelled between two pages, and a CSV with bad rows. One local system for
 * the file; each scene has its own agency (its own monthly budget) and days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import type { Outbox } from '../../local/emulators/outbox.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { campaign, campaignSms, execution, reportLines, statesEntered, statusChanges, statusesPublished, until } from '../support/province-campaigns.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
type Entry = ReturnType<typeof entry>;

const HEADER = 'phone,ten,gio,ngay,diaDiem';
/** `count` distinct mobiles of series `series` (0-9), each with clean values. */
const goodRows = (series: number, count: number) =>
  Array.from({ length: count }, (_, i) => `091${series}${String(i).padStart(6, '0')},Nguyễn Văn ${String.fromCharCode(65 + (i % 26))},8 giờ 30,12/12/2018,Nhà văn hóa xã Nghi Phú`);

/**
 * The sender, held from its second batch on while `holdSender` is armed (the
 * first goes out), and the intake, which says when it handled a cancellation.
 */
let senderCalls = 0;
let senderHeld: { reached: () => void; released: Promise<void> } | undefined;
const cancellationsHandled: Array<() => void> = [];
let realSender: Handler | undefined;
let realIntake: Handler | undefined;
const sender: Handler = async (event, context) => {
  if (senderHeld && ++senderCalls > 1) {
    senderHeld.reached();
    await senderHeld.released;
  }
  // The sender writing to this system's outbox, as the emulator builds it for a sender it runs itself (an override is
  // run as given): the outbox is private to the local system, read here and only here.
  realSender ??= (await import('../../lambdas/functions/sender/handler.ts')).createHandler((system as unknown as { sms: Outbox }).sms.gateway()) as Handler;
  return realSender(event, context);
};
const intake: Handler = async (event, context) => {
  realIntake ??= (await import('../../lambdas/functions/intake/handler.ts')).handler as Handler;
  try {
    return await realIntake(event, context);
  } finally {
    if (JSON.stringify(event).includes('CampaignCancelled')) cancellationsHandled.shift()?.();
  }
};

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({
    recurringSchedules: false,
    handlerOverrides: { 'lambdas/functions/sender/handler.ts': sender, 'lambdas/functions/intake/handler.ts': intake },
  });
}, 120_000);
afterAll(async () => system?.stop());

/** Uploads the CSV under the agency's prefix and proposes the campaign at `time`. */
async function propose(time: string, id: string, agency: string, csv: string, extra: Record<string, unknown> = {}): Promise<void> {
  const recipients = system.uploadRecipients(agency, `${id}.csv`, csv);
  await atTime(system, time, entry('CampaignProposed', { ...sampleDetails.CampaignProposed, campaignId: id, agency, recipients, ...extra }));
}
const reviewed = (id: string, approved: boolean, reason = sampleDetails.CampaignReviewed.reason) =>
  entry('CampaignReviewed', { ...sampleDetails.CampaignReviewed, campaignId: id, approved, reason });
const cancelled = (id: string): Entry => entry('CampaignCancelled', { ...sampleDetails.CampaignCancelled, campaignId: id });
const ledgerOf = async (id: string) => (await system.scan<LedgerItem>('Ledger')).filter((m) => m.key.startsWith(`campaign#${id}#`));
const budgetItem = async (agency: string) =>
  (await system.scan<{ campaignId: string; parts?: number }>('ProvinceCampaignsCampaignsTable')).find((i) => i.campaignId === `budget#${agency}#2018-12`);
/** The outcomes report as `status` per row (header dropped). */
const outcomeStatuses = (id: string) =>
  reportLines(system, `${id}.outcomes.csv`)
    ?.slice(1)
    .map((line) => line.split(',')[1]);

describe('a copy of the central payment message', () => {
  const id = 'HT-2018-12-copy';
  // The unit-payment-received wording, lightly reworded, its values as placeholders.
  const copy = 'Kính gửi ((tenDonVi)), mã ((maDonVi)): đơn vị đã nộp ((soTien)) đồng. Thông tin liên hệ để được trợ giúp tại ((coQuan)).';

  beforeAll(async () => {
    const csv = [
      'phone,tenDonVi,maDonVi,soTien,coQuan',
      ...Array.from({ length: 3 }, (_, i) => `091100000${i},Công ty TNHH Hà Tĩnh ${i},HT1801${i},10.000.000,BHXH tỉnh Hà Tĩnh`),
    ].join('\n');
    await propose('2018-12-03T09:00:00+07:00', id, 'BHXH-HATINH', csv, { template: copy });
  });

  it('is refused at validation, naming the central kind', async () => {
    const c = await campaign(system, id);
    expect(c?.status).toBe('refused');
    expect(c?.copyOf?.kind).toBe('unit-payment-received');
    expect(c?.problems?.join(' ')).toContain('unit-payment-received');
    expect(statusChanges(system).find((d) => d.campaignId === id && d.status === 'refused')?.reason).toContain('unit-payment-received');
  });

  it('stays refused when the IT Centre approves it anyway, and sends nothing', async () => {
    await atTime(system, '2018-12-03T10:00:00+07:00', reviewed(id, true));
    await until(system, '2018-12-05T10:00:00+07:00');
    const c = await campaign(system, id);
    expect(c).toMatchObject({ status: 'refused', ignoredReviews: 1 });
    expect(c?.review).toBeUndefined();
    expect(campaignSms(system, id)).toHaveLength(0);
    expect(execution(system, id)?.status).toBe('SUCCEEDED');
    expect(statesEntered(system, id).at(-1)).toBe('Proposal refused');
    expect(statusesPublished(system, id)).toEqual(['validating', 'refused']);
  });
});

describe('a rejected proposal', () => {
  const id = 'QB-2018-12-rejected';
  const why = 'Nội dung trùng với thông báo của huyện';

  beforeAll(async () => {
    await propose('2018-12-04T09:00:00+07:00', id, 'BHXH-QUANGBINH', [HEADER, ...goodRows(2, 3)].join('\n'), { sendFrom: '2018-12-05T09:00:00+07:00' });
    await atTime(system, '2018-12-04T10:00:00+07:00', reviewed(id, false, why));
  });

  it('is rejected with the reviewer and the reason, and the rejection is published', async () => {
    expect(await campaign(system, id)).toMatchObject({ status: 'rejected', review: { approved: false, reviewer: 'Trung tâm CNTT', reason: why } });
    expect(statusesPublished(system, id)).toEqual(['validating', 'awaiting-review', 'rejected']);
    expect(statusChanges(system).find((d) => d.campaignId === id && d.status === 'rejected')?.reason).toBe(why);
  });

  it('sends nothing, even once its window has passed', async () => {
    await until(system, '2018-12-05T12:00:00+07:00');
    expect(campaignSms(system, id)).toHaveLength(0);
    expect(execution(system, id)?.status).toBe('SUCCEEDED');
    expect(statesEntered(system, id).at(-1)).toBe('Proposal rejected');
    expect(await budgetItem('BHXH-QUANGBINH')).toBeUndefined();
  });
});

describe('a campaign cancelled after its approval, before its window', () => {
  const id = 'TH-2018-12-before';
  const agency = 'BHXH-THANHHOA';

  beforeAll(async () => {
    await propose('2018-12-06T09:00:00+07:00', id, agency, [HEADER, ...goodRows(3, 5)].join('\n'), { sendFrom: '2018-12-08T09:00:00+07:00' });
    await atTime(system, '2018-12-06T10:00:00+07:00', reviewed(id, true));
  });

  it('has reserved its parts of the agency budget once approved', async () => {
    expect((await campaign(system, id))?.status).toBe('scheduled');
    expect((await budgetItem(agency))?.parts).toBeGreaterThan(0);
  });

  it('is cancelled at once, and its execution finishes with a report of rows not sent', async () => {
    await atTime(system, '2018-12-07T09:00:00+07:00', cancelled(id));
    const c = await campaign(system, id);
    expect(c).toMatchObject({ status: 'cancelled', cancellation: { cancelledBy: sampleDetails.CampaignCancelled.cancelledBy, reason: sampleDetails.CampaignCancelled.reason } });
    expect(execution(system, id)?.status).toBe('SUCCEEDED');
    expect(outcomeStatuses(id)).toEqual(['not-sent', 'not-sent', 'not-sent', 'not-sent', 'not-sent']);
    expect(statusesPublished(system, id)).toEqual(['validating', 'awaiting-review', 'scheduled', 'cancelled']);
  });

  it('sends nothing at its window, and gives the budget back', async () => {
    await until(system, '2018-12-08T10:00:00+07:00');
    expect(campaignSms(system, id)).toHaveLength(0);
    expect(await ledgerOf(id)).toHaveLength(0);
    expect((await budgetItem(agency))?.parts).toBe(0);
  });
});

describe('a campaign cancelled while its messages wait on the send queue', () => {
  const id = 'NB-2018-12-queued';
  const rows = 20;
  let sentWhenCancelled = 0;
  let cancelledAt = '';

  beforeAll(async () => {
    await propose('2018-12-10T09:00:00+07:00', id, 'BHXH-NINHBINH', [HEADER, ...goodRows(4, rows)].join('\n'), { sendFrom: '2018-12-10T11:00:00+07:00' });
    await atTime(system, '2018-12-10T10:00:00+07:00', reviewed(id, true));
    // Prepare: the window opens, the page queues every row; the sender's first batch goes, the rest is held.
    let reached!: () => void;
    let release!: () => void;
    const senderReached = new Promise<void>((r) => (reached = r));
    senderHeld = { reached, released: new Promise<void>((r) => (release = r)) };
    senderCalls = 0;
    // A minute past the window: its wait is due a fraction of a second after 11:00 (the local clock flows).
    const moving = atTime(system, '2018-12-10T11:01:00+07:00');
    try {
      const held = await Promise.race([senderReached.then(() => true), moving.then(() => false)]);
      if (!held) throw new Error('the send ended without a second sender batch to hold');
      // Act: cancelled while the held batch waits (another drain runs the intake meanwhile).
      const handled = new Promise<void>((r) => cancellationsHandled.push(r));
      await system.putEvents([cancelled(id)]);
      const draining = system.drain();
      await handled;
      sentWhenCancelled = campaignSms(system, id).length;
      cancelledAt = (await campaign(system, id))?.cancellation?.at ?? '';
      release();
      await draining;
    } finally {
      // Never leave the sender held for the scenes after this one.
      release();
      senderHeld = undefined;
      await moving;
    }
    // The pace's wait after the page, then the next page finds the campaign cancelled, and the report.
    await until(system, '2018-12-10T11:10:00+07:00');
  }, 60_000);

  it('sent some rows before the cancellation, and none after it', async () => {
    expect(sentWhenCancelled).toBeGreaterThan(0);
    expect(sentWhenCancelled).toBeLessThan(rows);
    expect(campaignSms(system, id)).toHaveLength(sentWhenCancelled);
    expect(campaignSms(system, id).every((m) => Date.parse(m.at) <= Date.parse(cancelledAt))).toBe(true);
  });

  it('skips the queued rest at the sender, saying why, and reports them', async () => {
    const skipped = (await ledgerOf(id)).filter((m) => m.status === 'skipped');
    expect(skipped).toHaveLength(rows - sentWhenCancelled);
    expect(skipped.every((m) => m.reason?.startsWith('campaign cancelled'))).toBe(true);
    const statuses = outcomeStatuses(id) ?? [];
    expect(statuses).toHaveLength(rows);
    expect(statuses.filter((s) => s === 'skipped')).toHaveLength(rows - sentWhenCancelled);
    const c = await campaign(system, id);
    expect(c?.status).toBe('cancelled');
    expect(execution(system, id)?.status).toBe('SUCCEEDED');
    expect(statusesPublished(system, id)).toEqual(['validating', 'awaiting-review', 'scheduled', 'sending', 'cancelled']);
  });
});

describe('a campaign cancelled between two pages', () => {
  const id = 'HN-2018-12-pages';
  const agency = 'BHXH-HANAM';
  const rows = 30;
  let sentWhenCancelled = 0;

  beforeAll(async () => {
    // Its window opens seconds before quiet hours: the first page holds what the pace sends by then, the rest waits for the morning.
    await propose('2018-12-11T09:00:00+07:00', id, agency, [HEADER, ...goodRows(5, rows)].join('\n'), { sendFrom: '2018-12-11T20:59:54+07:00' });
    await atTime(system, '2018-12-11T10:00:00+07:00', reviewed(id, true));
    // Just past the window's wait (due within a second after 20:59:54): the first page, then the pace's wait.
    await until(system, '2018-12-11T20:59:55.500+07:00');
    await until(system, '2018-12-11T22:00:00+07:00');
    sentWhenCancelled = campaignSms(system, id).length;
    await atTime(system, '2018-12-11T22:30:00+07:00', cancelled(id));
    await until(system, '2018-12-12T07:30:00+07:00');
  }, 60_000);

  it('sent the first page only, and nothing after the cancellation', async () => {
    expect(sentWhenCancelled).toBeGreaterThan(0);
    expect(sentWhenCancelled).toBeLessThan(rows);
    expect(campaignSms(system, id)).toHaveLength(sentWhenCancelled);
  });

  it('reports the rows never handed over as not sent, and gives their budget back', async () => {
    const statuses = outcomeStatuses(id) ?? [];
    expect(statuses).toHaveLength(rows);
    expect(statuses.filter((s) => s === 'not-sent')).toHaveLength(rows - sentWhenCancelled);
    expect(await ledgerOf(id)).toHaveLength(sentWhenCancelled);
    const c = await campaign(system, id);
    expect(c?.status).toBe('cancelled');
    expect(c?.budget?.parts).toBe(campaignSms(system, id).reduce((n, m) => n + m.segments, 0));
    expect((await budgetItem(agency))?.parts).toBe(c?.budget?.parts);
    expect(execution(system, id)?.status).toBe('SUCCEEDED');
  });
});

describe('a CSV with bad rows', () => {
  const id = 'QN-2018-12-bad-rows';
  const good = goodRows(6, 6);
  const place = 'Nhà văn hóa xã Nghi Phú';
  const csv = [
    HEADER,
    ...good,
    `02438251234,Trần Thị Lan,8 giờ 30,12/12/2018,${place}`,
    `0916999001,Lê Văn Hùng,8 giờ 30,12/12/2018,${'Hội trường lớn của Ủy ban nhân dân huyện Nghi Lộc tỉnh Nghệ An '.repeat(8)}`,
    `0916999002,Phạm Văn Nam,8 giờ 30,12/12/2018,Xem https://dangky.example.vn/doi-thoai`,
    `0916999003,Hoàng Thị Mai,8 giờ 30,12/12/2018,Đăng ký tại bhxh-vn.com`,
    `0916999004,,8 giờ 30,12/12/2018,${place}`,
    good[2],
  ].join('\n');

  beforeAll(async () => {
    await propose('2018-12-13T09:00:00+07:00', id, 'BHXH-QUANGNINH', csv, { sendFrom: '2018-12-13T11:00:00+07:00' });
    await atTime(system, '2018-12-13T10:00:00+07:00', reviewed(id, true));
    // The window (its wait is due a fraction of a second after 11:00), then the pace's wait and the report.
    await until(system, '2018-12-13T11:01:00+07:00');
    await until(system, '2018-12-13T11:05:00+07:00');
  }, 60_000);

  it('lists each refused row with its reason and column, and the duplicate', () => {
    const refused = reportLines(system, `${id}.refused.csv`)?.map((line) => line.split(',').slice(0, 3).join(','));
    expect(refused).toEqual([
      'row,reason,column',
      '8,invalid-phone,phone',
      '9,too-long,diaDiem',
      '10,forbidden-content,diaDiem',
      '11,forbidden-content,diaDiem',
      '12,empty-value,ten',
      '13,duplicate,',
    ]);
  });

  it('sends the rest, the duplicated row once', async () => {
    const sent = campaignSms(system, id);
    expect(sent.map((m) => m.to).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `+84916${String(i).padStart(6, '0')}`));
    expect(await campaign(system, id)).toMatchObject({ status: 'sent', counts: { rows: 12, accepted: 6, refused: 5, duplicate: 1 } });
  });
});
