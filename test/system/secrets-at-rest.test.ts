/**
 * "No secret at rest, anywhere": a password or one-time code reaches the SMS
 * and nothing else kept: not the send dead-letter queue (the secret travels
 * sealed with KMS, and only the sender can open it), not the quarantine (every
 * field named like a secret's is redacted, whatever the detail-type, and an
 * event with a secret that keeps failing is quarantined redacted by the intake
 * before the redrive policy can move it there untouched), not a log line (even
 * with POWERTOOLS_LOGGER_LOG_EVENT=true), and a paused kind's code is ended,
 * not sent round the queue until the dead-letter queue keeps it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LedgerItem } from '../../lambdas/domain/ledger.ts';
import { EVENT_BUS_NAME } from '../../lambdas/domain/catalogue.ts';
import { now } from '../../lambdas/runtime/clock.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import * as ops from '../../ops/commands.ts';
import { localTarget } from '../../ops/target.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId, withoutGrant } from '../support/template-variants.ts';

// Before any handler module loads: the logger reads it when it is built. AWS's own switch to log every event.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
});

const PASSWORD = 'Zq8#rest42';
const CODE = '735102';
const TYPO_CODE = '918273';
const logLines: string[] = [];
/** Kinds whose SMS the provider refuses for now (a 5xx: retried, then the dead-letter queue). */
const failing = new Set<string>();
let system: LocalSystem;

const providerDown = () => Object.assign(new Error('Internal failure'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });

beforeAll(async () => {
  system = await startLocalSystem({
    logLevel: 'DEBUG',
    instrumentation: { onLog: (_entry, line) => logLines.push(line) },
    gateway: (outbox) => ({
      publish: async (sms) => {
        if (failing.has(sms.kind)) throw providerDown();
        return outbox.publish(sms);
      },
    }),
  });
  await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678', gender: 'female' })]);
  await system.drain();
});
afterAll(async () => {
  await system?.stop();
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
});

async function publish(...entries: PutEventsRequestEntry[]): Promise<void> {
  for (const e of entries) {
    await system.putEvents([e]);
    await system.drain();
  }
}
const ledger = () => system.scan<LedgerItem>('Ledger');
const bodies = (prefix: string) => system.queueByLogicalPrefix(prefix).messages.map((m) => m.body);
const otp = (code: string, purpose = 'device-login') =>
  entry('OtpIssued', { ...sampleDetails.OtpIssued, code, purpose, expiresAt: new Date(now().getTime() + 300_000).toISOString() });

describe('the send dead-letter queue', () => {
  it('keeps a message the provider never accepted with its password sealed, and a redrive still sends the password', async () => {
    // Prepare: the provider refuses every account approval (a 5xx, ten times)
    failing.add('account-approved');
    const dlq = system.queueByLogicalPrefix('SenderSendDeadLetterQueue');
    const before = dlq.messages.length;

    // Act
    await publish(entry('EAccountRegistrationReviewed', { ...sampleDetails.EAccountRegistrationReviewed, registrationId: 'REG-DLQ-1', temporaryPassword: PASSWORD }));

    // Assess: in the DLQ, the ledger key and a ciphertext; the password nowhere in the body
    const kept = dlq.messages.slice(before);
    expect(kept).toHaveLength(1);
    const body = JSON.parse(kept[0]!.body);
    expect(body).toMatchObject({ kind: 'account-approved', secretCiphertext: expect.any(String) });
    expect(body).not.toHaveProperty('secret');
    expect(kept[0]!.body).not.toContain(PASSWORD);
    expect(Buffer.from(body.secretCiphertext, 'base64').toString('latin1')).not.toContain(PASSWORD);

    // Act: the provider is back; the operator redrives the DLQ
    failing.delete('account-approved');
    system.outbox.length = 0;
    const printed: string[] = [];
    await ops.redrive(localTarget(system, { by: 'test-operator', print: (line = '') => printed.push(line) }), 'dlq');

    // Assess: the sender opened the seal and sent the password; the operator's terminal did not show it
    expect(system.outbox.map((l) => l.text)).toEqual([expect.stringContaining(`mat khau: ${PASSWORD}.`)]);
    expect(printed.join('\n')).toContain('mat khau: ********.');
    expect(printed.join('\n')).not.toContain(PASSWORD);
  });

  it('carries no code in clear on the send queues either: every queued message with a secret has only its ciphertext', async () => {
    // Prepare: watch every body the send queues receive
    const seen: string[] = [];
    const queues = ['SenderSendQueue', 'SenderUrgentSendQueue'].map((p) => system.queueByLogicalPrefix(p));
    for (const queue of queues) {
      const send = queue.send.bind(queue);
      queue.send = (body, ...rest) => {
        seen.push(body);
        return send(body, ...rest);
      };
    }

    // Act
    await publish(otp(CODE), entry('TemporaryPasswordIssued', { ...sampleDetails.TemporaryPasswordIssued, temporaryPassword: PASSWORD }));
    for (const queue of queues) Reflect.deleteProperty(queue, 'send');

    // Assess
    expect(seen).toHaveLength(2);
    for (const body of seen) {
      expect(JSON.parse(body)).toMatchObject({ secretCiphertext: expect.any(String) });
      expect(body).not.toContain(CODE);
      expect(body).not.toContain(PASSWORD);
    }
    expect(system.outbox.map((l) => l.kind)).toEqual(expect.arrayContaining(['otp', 'temporary-password']));
  });
});

describe('a paused kind', () => {
  it('ends a one-time code as expired, "a password or code cannot wait", instead of sending it round the queue into the DLQ', async () => {
    // Prepare
    const target = localTarget(system, { by: 'test-operator', print: () => undefined });
    await ops.pause(target, 'otp', 'carrier incident, codes delayed');
    const dlqBefore = system.queueByLogicalPrefix('SenderSendDeadLetterQueue').messages.length;

    // Act
    await publish(otp('604118', 'password-change'));
    await ops.resume(target, 'otp');

    // Assess: ended in the ledger, nothing left on any queue, nothing in the DLQ
    const item = (await ledger()).find((m) => m.kind === 'otp' && m.key.includes('password-change'));
    expect(item).toMatchObject({ status: 'expired', reason: 'kind paused: a password or code cannot wait' });
    expect(system.queueByLogicalPrefix('SenderSendDeadLetterQueue').messages.length).toBe(dlqBefore);
    expect([...bodies('SenderSendQueue'), ...bodies('SenderUrgentSendQueue')]).toEqual([]);
    expect(system.outbox.map((l) => l.text).join('\n')).not.toContain('604118');
  });
});

describe('the quarantine', () => {
  it('redacts a code by its field name whatever the detail-type: a mistyped OTPIssued is quarantined without its code', async () => {
    // Prepare
    const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
    const before = quarantine.messages.length;
    const detail = { personId: SEED.personId, purpose: 'device-login', code: TYPO_CODE, expiresAt: '2018-12-03T09:05:00+07:00', extra: { PIN: '4321', otp: TYPO_CODE } };

    // Act
    await publish({ Source: 'vn.gov.bhxh.dvc', DetailType: 'OTPIssued', Detail: JSON.stringify(detail), EventBusName: EVENT_BUS_NAME });

    // Assess
    const kept = quarantine.messages.slice(before);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.messageAttributes.reason?.StringValue).toBe('unknown-detail-type');
    expect(JSON.parse(kept[0]!.body).detail).toEqual({ ...detail, code: '[redacted]', extra: { PIN: '[redacted]', otp: '[redacted]' } });
    expect(kept[0]!.body).not.toContain(TYPO_CODE);
    expect(kept[0]!.body).not.toContain('4321');
  });
});

describe('the logs', () => {
  it('hold no event, password or code, although POWERTOOLS_LOGGER_LOG_EVENT=true asks Powertools to log every event', () => {
    // The handlers did log (at DEBUG), so finding nothing proves something
    const logs = logLines.join('');
    expect(logs).toContain('"message":"event handled"');
    expect(logs).toContain('"message":"message handled"');
    expect(logs).not.toMatch(/Lambda invocation event/i);
    expect(logs).not.toContain('"Records"');
    for (const secret of [PASSWORD, CODE, TYPO_CODE, '604118']) expect(logs.includes(secret), `${secret} in the logs`).toBe(false);
  });

  it('and no table holds one', async () => {
    const tables = Object.entries(system.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
      .map(([id]) => id);
    const everything = JSON.stringify(await Promise.all(tables.map((id) => system.scan(id))));
    expect(everything).toContain('hasSecret');
    for (const secret of [PASSWORD, CODE, TYPO_CODE, '604118']) expect(everything.includes(secret), `${secret} in a table`).toBe(false);
  });
});

describe('an intake outage', () => {
  let outage: LocalSystem;
  afterAll(async () => outage?.stop());

  it('quarantines an event with a password or code redacted, and deletes it, before the redrive policy could move it there in clear', async () => {
    // Prepare: the intake may not write any table (every record fails with AccessDenied, as in a DynamoDB outage)
    const template = withoutGrant(freshTemplate(), 'EventIntakeIntakeFunctionRole', 'dynamodb:PutItem');
    const intake = logicalId(template, 'AWS::Lambda::Function', 'EventIntakeIntakeFunction');
    const outageLogs: string[] = [];
    outage = await startLocalSystem({ template, logLevel: 'DEBUG', instrumentation: { onLog: (_entry, line) => outageLogs.push(line) } });
    const payment = entry('UnitPaymentReceived', { ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-OUTAGE-1' });

    // Act
    for (const e of [otp(CODE), entry('TemporaryPasswordIssued', { ...sampleDetails.TemporaryPasswordIssued, temporaryPassword: PASSWORD }), payment]) {
      await outage.putEvents([e]);
      await outage.drain();
    }

    // Assess: the outage is real
    expect(outage.accessDenied).toContainEqual(expect.objectContaining({ caller: intake, action: 'dynamodb:PutItem', allowed: false }));
    // the quarantine holds neither code nor password
    const quarantined = outage.queueByLogicalPrefix('EventIntakeQuarantine').messages;
    const everything = JSON.stringify(quarantined);
    expect(everything).not.toContain(CODE);
    expect(everything).not.toContain(PASSWORD);
    // the two events with a secret: quarantined by the intake, redacted, with the error; gone from the intake queues
    const withSecret = quarantined.filter((m) => m.messageAttributes.reason?.StringValue === 'failed-with-secret');
    expect(withSecret.map((m) => JSON.parse(m.body)['detail-type']).sort()).toEqual(['OtpIssued', 'TemporaryPasswordIssued']);
    for (const m of withSecret) {
      expect(m.messageAttributes.errors?.StringValue).toMatch(/failed 3 times, last with AccessDeniedException/);
      expect(m.body).toContain('[redacted]');
    }
    expect(outageLogs.join('')).toContain('quarantined, redacted, after repeated failures');
    expect(outageLogs.join('')).not.toContain(CODE);
    expect(outageLogs.join('')).not.toContain(PASSWORD);
    expect(outage.queueByLogicalPrefix('EventIntakeIntakeQueue').messages).toHaveLength(0);
    expect(outage.queueByLogicalPrefix('EventIntakeUrgentIntakeQueue').messages).toHaveLength(0);
    // an event without a secret is kept untouched, with the reason it kept failing (the intake quarantines it on its 4th failure)
    const untouched = quarantined.find((m) => JSON.parse(m.body).detail?.paymentId === 'PT-OUTAGE-1');
    expect(untouched?.messageAttributes.reason?.StringValue).toBe('failed-repeatedly');
    expect(JSON.parse(untouched!.body).detail).toEqual({ ...sampleDetails.UnitPaymentReceived, paymentId: 'PT-OUTAGE-1' });
  });
});
