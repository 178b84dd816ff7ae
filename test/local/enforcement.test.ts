/**
 * The local run refuses what AWS refuses: a call outside the caller's grants,
 * a delivery a resource policy does not allow, a function environment that
 * breaks its contract. Each mistake would only show after `cdk deploy`; here
 * it fails the run, naming the caller, the action and the resource (or the
 * variable).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployProblems, environmentContractProblemsOf } from '../../local/deploy-problems.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { entry, sampleDetails } from '../support/events.ts';
import { atTime, startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId, ourFunctions, withoutGrant, withoutServiceStatements, withoutVariable } from '../support/template-variants.ts';

let system: LocalSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

const dossierReceived = entry('DossierReceived', {
  dossierNo: '03085_G/2018/00604',
  subjectType: 'person',
  subjectId: '0113096123',
  valid: true,
  expectedResultDate: '2018-12-06',
  phone: '0912345678',
});
const dossierResolved = entry('DossierResolved', { dossierNo: '03085_G/2018/00604', resolvedAt: '2018-12-05T15:00:00+07:00' });

describe('a function calls only what its role grants', () => {
  it('the intake without states:SendTaskSuccess cannot resume a dossier: the call is refused and named, no "resolved" SMS goes', async () => {
    // Prepare: the synthesized stack, less the one grant (the mutation the review tried)
    const template = withoutGrant(freshTemplate(), 'EventIntakeIntakeFunctionRole', 'states:SendTaskSuccess');
    const intake = logicalId(template, 'AWS::Lambda::Function', 'EventIntakeIntakeFunction');
    system = await startLocalSystem({ template });

    // Act
    await atTime(system, '2018-12-03T09:00:00+07:00', dossierReceived);
    await atTime(system, '2018-12-05T15:00:00+07:00', dossierResolved);

    // Assess
    expect(system.accessDenied).toContainEqual(expect.objectContaining({ caller: intake, action: 'states:SendTaskSuccess', allowed: false }));
    expect(system.accessDenied[0]?.resource).toMatch(/^arn:aws:states:.*:stateMachine:BhxhNotify-DossierLifecycle$/);
    expect(system.outbox.map((l) => l.kind)).not.toContain('dossier-resolved');
  });

  it('with the grant, the same scenario resumes the dossier and nothing is refused', async () => {
    // Prepare
    system = await startLocalSystem({ template: freshTemplate() });

    // Act
    await atTime(system, '2018-12-03T09:00:00+07:00', dossierReceived);
    await atTime(system, '2018-12-05T15:00:00+07:00', dossierResolved);

    // Assess
    expect(system.accessDenied).toEqual([]);
    expect(system.outbox.map((l) => l.kind)).toContain('dossier-resolved');
  });

  it('a second start of the same campaign run needs states:DescribeExecution (StartExecution meets an existing execution)', async () => {
    // Prepare
    const template = withoutGrant(freshTemplate(), 'EventIntakeIntakeFunctionRole', 'states:DescribeExecution');
    system = await startLocalSystem({ template, recurringSchedules: false });

    // Act: the same day's tick twice, as Scheduler's at-least-once delivery may
    // The tick arrives at the run's own time (an event may not be dated after its arrival).
    system.jumpClock(new Date('2018-12-04T08:00:00+07:00'));
    for (const id of ['tick-1', 'tick-2']) {
      const detail = { kind: 'health-card-expiring', scheduledTime: '2018-12-04T01:00:00Z' };
      system
        .queueByLogicalPrefix('EventIntakeIntakeQueue')
        .send(JSON.stringify({ version: '0', id, 'detail-type': 'CampaignDue', source: 'vn.gov.bhxh.notify', time: detail.scheduledTime, detail }));
      await system.drain();
    }

    // Assess: the first start went through; the second was refused on the execution
    expect(system.accessDenied).toContainEqual(
      expect.objectContaining({ action: 'states:DescribeExecution', resource: expect.stringMatching(/:execution:BhxhNotify-Campaign:health-card-expiring-2018-12-04$/) }),
    );
  });

  const payment = entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, phone: '0912345678' });
  const confirmation = entry('CollectionPaymentConfirmed', { ...sampleDetails.CollectionPaymentConfirmed, paidAt: '2018-12-03T10:00:00+07:00' });
  const scenarios: Array<[string, string, (s: LocalSystem) => Promise<void>]> = [
    ['EventIntakeIntakeFunctionRole', 'dynamodb:PutItem', (s) => atTime(s, '2018-12-03T09:00:00+07:00', payment)],
    ['SenderSenderFunctionRole', 'dynamodb:UpdateItem', (s) => atTime(s, '2018-12-03T09:00:00+07:00', payment)],
    ['DeliveryReceiptsReceiptsFunctionRole', 'dynamodb:Query', (s) => atTime(s, '2018-12-03T09:00:00+07:00', payment)],
    [
      'CampaignsCampaignPageFunctionRole',
      's3:PutObject',
      async (s) => {
        await atTime(s, '2018-12-03T10:00:00+07:00', confirmation);
        await atTime(s, '2018-12-04T08:00:00+07:00');
      },
    ],
    ['DossiersDossierLifecycleRole', 'lambda:InvokeFunction', (s) => atTime(s, '2018-12-03T09:00:00+07:00', dossierReceived)],
    ['DossiersDossierStepFunctionRole', 'states:SendTaskSuccess', (s) => atTime(s, '2018-12-03T09:00:00+07:00', dossierResolved, dossierReceived)],
  ];

  it.each(scenarios)('names the refused call when %s loses %s', async (role, action, scenario) => {
    // Prepare
    system = await startLocalSystem({ template: withoutGrant(freshTemplate(), role, action) });

    // Act
    await scenario(system);

    // Assess: refused, and named with the caller (the function, or the state machine's role)
    const refused = system.accessDenied.find((d) => d.action === action);
    expect(refused, `${action} was not refused`).toBeDefined();
    expect(refused?.caller.replace(/[0-9A-F]{8}( .*)?$/, '')).toBe(role.replace(/Role$/, '').replace('DossiersDossierLifecycle', 'DossiersDossierLifecycleRole'));
  });
});

describe('a service delivers only where a resource policy lets it', () => {
  it('without the queue policy statement for EventBridge, no event reaches the intake, and the refused delivery is named', async () => {
    // Prepare
    system = await startLocalSystem({ template: withoutServiceStatements(freshTemplate(), 'AWS::SQS::QueuePolicy', 'events.amazonaws.com') });

    // Act
    await atTime(system, '2018-12-03T09:00:00+07:00', dossierReceived);

    // Assess
    expect(system.executions.size).toBe(0);
    expect(system.accessDenied).toContainEqual(expect.objectContaining({ caller: expect.stringMatching(/^events\.amazonaws\.com \(rule /), action: 'sqs:SendMessage' }));
  });

  it('refuses to start when the alarm topic does not let CloudWatch publish (no alarm would notify anyone)', async () => {
    // Prepare
    const template = withoutServiceStatements(freshTemplate(), 'AWS::SNS::TopicPolicy', 'cloudwatch.amazonaws.com');

    // Act
    const problems = await deployProblems(template);

    // Assess
    expect(problems.some((p) => /^alarm \w+: CloudWatch may not publish to arn:aws:sns:/.test(p))).toBe(true);
  });
});

describe('a function sees exactly its own environment', () => {
  it('refuses a template whose intake lacks CONTROL_TABLE_NAME, naming the function and the variable', async () => {
    // Prepare
    const template = freshTemplate();
    const intake = logicalId(template, 'AWS::Lambda::Function', 'EventIntakeIntakeFunction');

    // Act
    const start = startLocalSystem({ template: withoutVariable(template, intake, 'CONTROL_TABLE_NAME') });

    // Assess
    await expect(start).rejects.toThrow(new RegExp(`environment contract: ${intake} \\(lambdas/functions/intake/handler.ts\\): CONTROL_TABLE_NAME is not set`));
  });

  it('names every variable of every function when it is taken away', async () => {
    // Prepare: one synthesis, a copy per variable (a synthesis per variable took over a minute). The contract check
    // alone per variable: the whole of deployProblems (ASL validation, IAM simulation) took 41 s for the 80 variables;
    // the test above shows the start refuses through this same check.
    const template = freshTemplate();
    const functions = ourFunctions(template);
    expect(functions).toHaveLength(10); // with status-events and email-receipts
    expect(await deployProblems(template)).toEqual([]);

    for (const fn of functions) {
      for (const variable of fn.variables) {
        // Act
        const problems = environmentContractProblemsOf(withoutVariable(structuredClone(template), fn.id, variable));

        // Assess
        expect(problems, `${fn.id} without ${variable}`).toContainEqual(expect.stringMatching(new RegExp(`environment contract: ${fn.id} .*${variable} is not set`)));
      }
    }
  });

  it("hides another function's variables from a handler (the sender sees no QUARANTINE_QUEUE_URL)", async () => {
    // Prepare: a stand-in sender that reports what it sees
    const seen: Record<string, string | undefined> = {};
    system = await startLocalSystem({
      handlerOverrides: {
        'lambdas/functions/sender/handler.ts': async () => {
          seen.QUARANTINE_QUEUE_URL = process.env.QUARANTINE_QUEUE_URL;
          seen.SMS_SENDER_ID = process.env.SMS_SENDER_ID;
          seen.inEnv = String('QUARANTINE_QUEUE_URL' in process.env);
          return { batchItemFailures: [] };
        },
      },
    });

    // Act
    await atTime(system, '2018-12-03T09:00:00+07:00', entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, phone: '0912345678' }));

    // Assess: its own variable, not the intake's; and the operator (this test) still sees the process environment
    expect(seen).toEqual({ QUARANTINE_QUEUE_URL: undefined, SMS_SENDER_ID: 'BHXHVN', inEnv: 'false' });
  });
});
