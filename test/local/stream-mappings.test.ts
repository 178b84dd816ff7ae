/**
 * Event source mappings on a table stream, as Lambda runs them: the ledger's
 * stream in DynamoDB Local, read with the mapping's filter and batch size;
 * refused at start when the function's role cannot read the stream (what
 * CreateEventSourceMapping checks); a batch that fails every retry leaves only
 * its stream position on the on-failure queue, never the records.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { deployProblems } from '../../local/deploy-problems.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, withoutGrant } from '../support/template-variants.ts';

const ENTRY = 'lambdas/functions/status-events/handler.ts';
const PHONE = '0912345678';

let system: LocalSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

describe('a mapping on the ledger stream', () => {
  it.each(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'])('is refused at start when the role lacks %s on the stream', async (action) => {
    // Prepare
    const template = withoutGrant(freshTemplate(), 'StatusEventsStatusEventsFunctionRole', action);

    // Act
    const problems = await deployProblems(template);

    // Assess
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^event source mapping: StatusEventsStatusEventsFunction\\w+ may not read the stream arn:aws:dynamodb:.*/stream/.*${action}`)),
    ]);
  });

  it("hands the function only the records its filter matches: a message's change into a final status, not its way there nor its content item", async () => {
    // Prepare: count what the function is given
    const batches: Array<Array<{ eventName: string; dynamodb: { NewImage?: { status?: { S?: string } } } }>> = [];
    system = await startLocalSystem({
      recurringSchedules: false,
      handlerOverrides: {
        [ENTRY]: async (event) => {
          batches.push((event as { Records: (typeof batches)[number] }).Records);
          return { batchItemFailures: [] };
        },
      },
    });

    // Act: one SMS, queued → sending → sent → delivered (and its content item)
    await system.putEvents([entry('ContactUpdated', { ...sampleDetails.ContactUpdated, phone: PHONE })]);
    await system.drain();
    await system.putEvents([entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived)]);
    await system.drain();

    // Assess
    const records = batches.flat();
    expect(system.outbox).toHaveLength(1);
    expect(records.map((r) => [r.eventName, r.dynamodb.NewImage?.status?.S])).toEqual([['MODIFY', 'delivered']]);
  });

  it('is left out, with the ledger stream, only when a benchmark asks (tableStreams: false)', async () => {
    // Prepare: count what the function is given, in a system with the streams and one without
    const given: Record<string, number> = { withStreams: 0, withoutStreams: 0 };
    const run = async (name: string, tableStreams: boolean) => {
      system = await startLocalSystem({
        recurringSchedules: false,
        tableStreams,
        handlerOverrides: {
          [ENTRY]: async (event) => {
            given[name]! += (event as { Records: unknown[] }).Records.length;
            return { batchItemFailures: [] };
          },
        },
      });
      // Act: one SMS, delivered
      await system.putEvents([entry('ContactUpdated', { ...sampleDetails.ContactUpdated, phone: PHONE })]);
      await system.drain();
      await system.putEvents([entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived)]);
      await system.drain();
      const table = await system.db.send(new DescribeTableCommand({ TableName: system.tableName('Ledger') }));
      await system.stop();
      system = undefined;
      return table.Table?.StreamSpecification?.StreamEnabled ?? false;
    };

    // Assess: the ledger has its stream and the function its record, unless the streams are turned off
    expect(await run('withStreams', true)).toBe(true);
    expect(await run('withoutStreams', false)).toBe(false);
    expect(given).toEqual({ withStreams: 1, withoutStreams: 0 });
  });

  it('keeps the stream position of a batch that fails every retry, and not its records', async () => {
    // Prepare: a function that always fails
    let invocations = 0;
    system = await startLocalSystem({
      recurringSchedules: false,
      handlerOverrides: {
        [ENTRY]: async () => {
          invocations += 1;
          throw new Error('bus unavailable');
        },
      },
    });

    // Act
    await system.putEvents([entry('ContactUpdated', { ...sampleDetails.ContactUpdated, phone: PHONE })]);
    await system.drain();
    await system.putEvents([entry('UnitPaymentReceived', sampleDetails.UnitPaymentReceived)]);
    await system.drain();

    // Assess: the first attempt and every retry the template allows, then one record on the queue
    const kept = system.queueByLogicalPrefix('StatusEventsFailedStatusBatches').messages.map((m) => m.body);
    expect(invocations).toBe(11);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0] ?? '{}')).toMatchObject({ requestContext: { condition: 'RetryAttemptsExhausted' }, DDBStreamBatchInfo: { batchSize: 1 } });
    expect(kept[0]).not.toContain('unit-payment-received');
    expect(kept[0]).not.toContain('345678');
    expect(system.asyncInvocationFailures).toEqual([expect.stringMatching(/failed every retry: kept on arn:aws:sqs:/)]);
  });
});
