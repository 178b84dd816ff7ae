/**
 * The bus publisher (lambdas/aws/event-publisher.ts): PutEvents answers 200
 * even when its entry failed; that answer is a failure, thrown, so that the
 * record or step that published is retried (EventBridge mocked by
 * aws-sdk-client-mock).
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BusEventPublisher, EventNotPublishedError } from '../../lambdas/aws/event-publisher.ts';

const events = mockClient(EventBridgeClient);
afterAll(() => events.restore());
beforeEach(() => events.reset());

describe('BusEventPublisher', () => {
  it('publishes one entry of the system source on the bus', async () => {
    // Prepare
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    await new BusEventPublisher('bhxh-notify').publish('DossierOverdue', { dossierNo: '06991/2018/08608' });

    // Assess
    expect(events.commandCalls(PutEventsCommand)[0]!.args[0].input).toEqual({
      Entries: [{ EventBusName: 'bhxh-notify', Source: 'vn.gov.bhxh.notify', DetailType: 'DossierOverdue', Detail: '{"dossierNo":"06991/2018/08608"}' }],
    });
  });

  it('throws when PutEvents answers FailedEntryCount=1, with the entry error code and message, and no detail', async () => {
    // Prepare
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] });

    // Act
    const publishing = new BusEventPublisher('bhxh-notify').publish('PasswordResetRequested', { personId: '0113096123', phone: '+84912345678' });

    // Assess
    await expect(publishing).rejects.toThrow(EventNotPublishedError);
    await expect(publishing).rejects.toThrow('PutEvents refused PasswordResetRequested: ThrottlingException (Rate exceeded)');
    await expect(publishing).rejects.not.toThrow(/0113096123|912345678/);
  });
});
