/** The SMS provider in AWS: SNS Publish to a phone number, from the registered sender ID. */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SmsGateway, SmsToSend } from '../flows/ports.ts';
import { sns } from './clients.ts';

export class SnsSmsGateway implements SmsGateway {
  constructor(private readonly sender: { senderId: string; smsType: string }) {}

  async publish(sms: SmsToSend): Promise<{ messageId: string }> {
    const result = await sns().send(
      new PublishCommand({
        PhoneNumber: sms.to,
        Message: sms.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.sender.senderId },
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: this.sender.smsType },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SNS accepted the message but returned no MessageId');
    return { messageId: result.MessageId };
  }
}
