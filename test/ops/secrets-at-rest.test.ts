/**
 * The ops CLI never prints a password or a code: `quarantine list` and `dlq
 * list` redact every field named like a secret's before printing (whatever
 * the message: an event of any detail-type, a queued message, a body that is
 * not JSON), and the SMS a redrive sends are shown with their secret masked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import * as ops from '../../ops/commands.ts';
import { localTarget } from '../../ops/target.ts';
import { envelope } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';

const SECRETS = ['482913', 'Kp7#q2Zx', '5566', 'c2VhbGVkLXNlY3JldA==', 'top-secret-value', '771199'];
let system: LocalSystem;
let printed: string[];
let target: ops.OpsTarget;

beforeAll(async () => {
  system = await startLocalSystem();
});
afterAll(async () => system?.stop());
beforeEach(() => {
  printed = [];
  target = localTarget(system, { by: 'test-operator', print: (line = '') => printed.push(line) });
});

const attributes = (reason: string, errors: string[]) => ({
  reason: { DataType: 'String', StringValue: reason },
  errors: { DataType: 'String', StringValue: JSON.stringify(errors) },
});

describe('ops quarantine list', () => {
  it('prints no field named like a code, a password or a secret, whatever the event, and keeps the rest readable', async () => {
    // Prepare: what could reach the quarantine from elsewhere than the intake (an older version, a redrive policy, a hand)
    const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine');
    quarantine.send(
      JSON.stringify(envelope('OTPIssued', { personId: '0110129425', code: '482913', purpose: 'device-login', auth: { PIN: '5566' } })),
      attributes('unknown-detail-type', ['detail-type: OTPIssued is not in the catalogue']),
    );
    quarantine.send(
      JSON.stringify(envelope('TemporaryPasswordIssued', { personId: '0110129425', loginName: '0110129425', temporaryPassword: 'Kp7#q2Zx' })),
      attributes('invalid-detail', ['detail.temporaryPassword: password=Kp7#q2Zx is too weak']),
    );
    quarantine.send('{"detail-type":"OtpIssued","detail":{"secret":"top-secret-value","code":"771199"', attributes('not-json', ['body: is not valid JSON']));

    // Act
    const listed = await ops.listQueue(target, 'quarantine');

    // Assess
    expect(listed).toHaveLength(3);
    const output = printed.join('\n');
    for (const secret of SECRETS) expect(output.includes(secret), `${secret} printed`).toBe(false);
    expect(output).toContain('"code":"[redacted]"');
    expect(output).toContain('"temporaryPassword":"[redacted]"');
    expect(output).toContain('OTPIssued {"personId":"***425"');
    expect(output).toContain('"purpose":"device-login"');
  });
});

describe('ops dlq list', () => {
  it('prints neither a sealed secret nor one in clear (a message queued by an older version)', async () => {
    // Prepare
    const dlq = system.queueByLogicalPrefix('SenderSendDeadLetterQueue');
    dlq.send(JSON.stringify({ key: 'otp#0110129425#device-login#x', kind: 'otp', segments: 1, urgent: true, secretCiphertext: 'c2VhbGVkLXNlY3JldA==' }));
    dlq.send(JSON.stringify({ key: 'temporary-password#0110129425#y', kind: 'temporary-password', segments: 1, secret: 'Kp7#q2Zx' }));

    // Act
    await ops.listQueue(target, 'dlq');

    // Assess
    const output = printed.join('\n');
    for (const secret of SECRETS) expect(output.includes(secret), `${secret} printed`).toBe(false);
    expect(output).toContain('"secretCiphertext":"[redacted]"');
    expect(output).toContain('"key":"otp#***425#device-login#x"');
  });
});
