/** The local EventBridge input transformer, as the stack's SES events rule uses it. */
import { describe, expect, it } from 'vitest';
import { transformInput } from '../../local/emulators/input-transformer.ts';

const sesBounce = {
  source: 'aws.ses',
  time: '2026-11-24T02:00:00Z',
  detail: { eventType: 'Bounce', mail: { messageId: 'ses-1', destination: ['ten@example.vn'] }, bounce: { bounceType: 'Permanent', bounceSubType: 'General' } },
};

describe('input transformer', () => {
  it('puts each path value in place, as JSON outside quotes and as text inside them, and keeps nothing else of the event', () => {
    // Act
    const body = transformInput(
      {
        InputPathsMap: { id: '$.detail.mail.messageId', type: '$.detail.eventType', bounce: '$.detail.bounce.bounceType', time: '$.time' },
        InputTemplate: '{"messageId":<id>,"eventType":<type>,"bounceType":<bounce>,"note":"<time>"}',
      },
      sesBounce,
    );

    // Assess
    expect(JSON.parse(body)).toEqual({ messageId: 'ses-1', eventType: 'Bounce', bounceType: 'Permanent', note: '2026-11-24T02:00:00Z' });
    expect(body).not.toContain('ten@example.vn');
  });

  it('gives null for a path the event does not have', () => {
    // Act
    const body = transformInput({ InputPathsMap: { c: '$.detail.complaint.complaintFeedbackType' }, InputTemplate: '{"c":<c>}' }, sesBounce);

    // Assess
    expect(JSON.parse(body)).toEqual({ c: null });
  });
});
