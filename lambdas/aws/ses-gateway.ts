/**
 * The e-mail provider in AWS: SES v2 SendEmail from the stack's verified
 * domain, through its configuration set (whose event destination brings the
 * deliveries, bounces and complaints back), in UTF-8 with a subject and, for
 * form 01-XN, the CSV attached.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailGateway, EmailToSend } from '../flows/ports.ts';
import { ses } from './clients.ts';

export interface SesSender {
  /** `"Bảo hiểm xã hội Việt Nam" <thongbao@domain>`: an address of the verified identity. */
  from: string;
  configurationSet: string;
}

export class SesEmailGateway implements EmailGateway {
  constructor(private readonly sender: SesSender) {}

  async sendEmail(email: EmailToSend): Promise<{ messageId: string }> {
    const result = await ses().send(
      new SendEmailCommand({
        FromEmailAddress: this.sender.from,
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: this.sender.configurationSet,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
            ...(email.attachments.length > 0
              ? {
                  Attachments: email.attachments.map((a) => ({
                    FileName: a.name,
                    RawContent: a.content,
                    ContentType: 'text/csv; charset=utf-8',
                    ContentDisposition: 'ATTACHMENT' as const,
                  })),
                }
              : {}),
          },
        },
        // The kind as a message tag: SES's events and metrics can be told apart by kind (tags allow [A-Za-z0-9_-]).
        EmailTags: [{ Name: 'kind', Value: email.kind.replace(/[^A-Za-z0-9_-]/g, '_') }],
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the e-mail but returned no MessageId');
    return { messageId: result.MessageId };
  }
}
