/**
 * The outbox: SNS's place in a local run. Every SMS the sender hands over is
 * kept as an outbox line; and, as SNS logs a delivery status for each SMS to
 * the log group the stack subscribes its receipts function to, the outbox
 * writes a `delivered` receipt to a log that the local system hands to that
 * function (as a CloudWatch Logs subscription would) once everything else is
 * quiet.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EmailToSend, SmsGateway, SmsToSend } from '../function-code.ts';
import { vietnamIso, type LocalClock } from './clock.ts';

export interface OutboxLine {
  channel: 'sms';
  to: string;
  text: string;
  kind: string;
  segments: number;
  key: string;
  at: string;
}

/** An e-mail handed to the outbox (SPEC "Local run contract"): attachments by file name. */
export interface EmailOutboxLine {
  channel: 'email';
  to: string;
  subject: string;
  text: string;
  attachments: string[];
  kind: string;
  key: string;
  at: string;
}

export interface OutboxOptions {
  /** Called for every SMS handed to the outbox. */
  onSms?: (line: OutboxLine) => void;
  /** Called for every e-mail handed to the outbox. */
  onEmail?: (line: EmailOutboxLine) => void;
  /** The configuration set the sender names (its EMAIL_CONFIGURATION_SET): SES's events carry it as a tag. */
  configurationSet?: string;
  /** Answer each SMS with a `delivered` receipt (default true). */
  receipts?: boolean;
}

/**
 * SES's mailbox simulator (docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator),
 * as the local SES answers it: `bounce@` bounces hard, `complaint@` is delivered then complained about,
 * `suppressionlist@` bounces as on the account's suppression list; a `+label` may follow the name.
 */
function simulatedEvents(to: string): Array<{ eventType: 'Delivery' | 'Bounce' | 'Complaint'; bounceSubType?: string }> {
  const match = /^([a-z]+)(?:\+[^@]*)?@simulator\.amazonses\.com$/i.exec(to);
  switch (match?.[1]?.toLowerCase()) {
    case 'bounce':
      return [{ eventType: 'Bounce', bounceSubType: 'General' }];
    case 'suppressionlist':
      return [{ eventType: 'Bounce', bounceSubType: 'OnAccountSuppressionList' }];
    case 'complaint':
      return [{ eventType: 'Delivery' }, { eventType: 'Complaint' }];
    default:
      return [{ eventType: 'Delivery' }];
  }
}

const DETAIL_TYPE = { Delivery: 'Email Delivered', Bounce: 'Email Bounced', Complaint: 'Email Complaint Received' } as const;

export class Outbox {
  readonly lines: OutboxLine[] = [];
  readonly emails: EmailOutboxLine[] = [];
  /** SES's events about the e-mails sent, as its configuration set puts them on the default bus; not yet delivered. */
  private readonly emailEvents: PutEventsRequestEntry[] = [];
  /** Delivery-status log lines the outbox has produced and the receipts function has not yet read. */
  private readonly receiptLog: string[] = [];

  constructor(
    private readonly clock: LocalClock,
    private readonly options: OutboxOptions,
  ) {}

  /** The gateway the sender is given: every SMS becomes an outbox line (and a receipt). */
  gateway(): SmsGateway & { sendEmail(email: EmailToSend): Promise<{ messageId: string }> } {
    return {
      sendEmail: (email) => this.sendEmail(email),
      publish: async (sms: SmsToSend) => {
        const line: OutboxLine = { channel: 'sms', to: sms.to, text: sms.text, kind: sms.kind, segments: sms.segments, key: sms.key, at: vietnamIso(this.clock.now()) };
        this.lines.push(line);
        this.options.onSms?.(line);
        const messageId = `local-${randomUUID()}`;
        if (this.options.receipts !== false) {
          this.receiptLog.push(
            JSON.stringify({
              notification: { messageId, timestamp: this.clock.now().toISOString() },
              delivery: { destination: 'local', providerResponse: 'Message has been accepted by phone carrier (local outbox)', priceInUSD: 0 },
              status: 'SUCCESS',
            }),
          );
        }
        return { messageId };
      },
    };
  }

  /** The e-mail side of the gateway: every e-mail becomes an outbox line, and SES's events about it. */
  async sendEmail(email: EmailToSend): Promise<{ messageId: string }> {
    const at = this.clock.now();
    const line: EmailOutboxLine = {
      channel: 'email',
      to: email.to,
      subject: email.subject,
      text: email.text,
      attachments: email.attachments.map((a) => a.name),
      kind: email.kind,
      key: email.key,
      at: vietnamIso(at),
    };
    this.emails.push(line);
    this.options.onEmail?.(line);
    const messageId = `local-email-${randomUUID()}`;
    if (this.options.receipts !== false) {
      for (const { eventType, bounceSubType } of simulatedEvents(email.to)) {
        const mail = { timestamp: at.toISOString(), messageId, destination: [email.to], tags: { 'ses:configuration-set': [this.options.configurationSet ?? ''] } };
        const detail = {
          eventType,
          mail,
          ...(eventType === 'Bounce' ? { bounce: { bounceType: 'Permanent', bounceSubType, bouncedRecipients: [{ emailAddress: email.to }], timestamp: at.toISOString() } } : {}),
          ...(eventType === 'Complaint' ? { complaint: { complainedRecipients: [{ emailAddress: email.to }], complaintFeedbackType: 'abuse', timestamp: at.toISOString() } } : {}),
          ...(eventType === 'Delivery' ? { delivery: { timestamp: at.toISOString(), recipients: [email.to], smtpResponse: '250 OK (local outbox)' } } : {}),
        };
        this.emailEvents.push({ Source: 'aws.ses', DetailType: DETAIL_TYPE[eventType], Detail: JSON.stringify(detail), EventBusName: 'default', Time: at });
      }
    }
    return { messageId };
  }

  get hasEmailEvents(): boolean {
    return this.emailEvents.length > 0;
  }

  /** Takes SES's events written so far, for the default bus. */
  takeEmailEvents(): PutEventsRequestEntry[] {
    return this.emailEvents.splice(0);
  }

  get hasReceipts(): boolean {
    return this.receiptLog.length > 0;
  }

  /** Takes the receipts written so far, as the event a CloudWatch Logs subscription hands to a function. */
  takeReceipts(): { awslogs: { data: string } } {
    const lines = this.receiptLog.splice(0);
    const data = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: lines.map((message, i) => ({ id: String(i), timestamp: Date.now(), message })) })).toString(
      'base64',
    );
    return { awslogs: { data } };
  }
}
