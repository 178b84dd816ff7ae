/** The quarantine queue: a bad event, untouched, with the reasons as message attributes. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs } from './clients.ts';

// SQS message attributes are capped; the full event body is kept anyway.
const MAX_ERRORS_CHARS = 8_000;

export class SqsQuarantine {
  constructor(
    private readonly queueUrl: string,
    private readonly now: () => Date,
  ) {}

  async quarantine(body: string, reason: string, errors: string[]): Promise<void> {
    await sqs().send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        // The untouched event, so that a redrive to the intake queue replays it as it came.
        MessageBody: body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason },
          errors: { DataType: 'String', StringValue: JSON.stringify(errors).slice(0, MAX_ERRORS_CHARS) },
          quarantinedAt: { DataType: 'String', StringValue: this.now().toISOString() },
        },
      }),
    );
  }
}
