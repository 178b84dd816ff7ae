/**
 * The local run contract: "The run's own output masks passwords and codes
 * unless `--show-secrets` is given (OUT, which stands for the phone, keeps
 * them)." `npm start -- --events IN --outbox OUT`, with and without the flag.
 * And the local run answers KMS as KMS does: a key policy that does not name
 * the caller refuses it, whatever the caller's own IAM policy says.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../local/runtime.ts';
import { now } from '../../lambdas/runtime/clock.ts';
import { entry, sampleDetails, SEED } from '../support/events.ts';
import { startLocalSystem } from '../support/local-system.ts';
import { freshTemplate, logicalId } from '../support/template-variants.ts';

const CODE = '640517';
const PASSWORD = 'Wq5#lokal9';
const BAD_LINE_CODE = '229144';
const line = (o: unknown) => JSON.stringify(o);

async function run(...flags: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bhxh-secrets-'));
  const input = path.join(dir, 'in.jsonl');
  const output = path.join(dir, 'out.jsonl');
  writeFileSync(
    input,
    [
      line({
        Source: 'vn.gov.bhxh.tst',
        DetailType: 'ContactUpdated',
        Detail: { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678', gender: 'female' },
        Time: '2026-12-01T08:00:00+07:00',
      }),
      line({
        Source: 'vn.gov.bhxh.dvc',
        DetailType: 'OtpIssued',
        Detail: { ...sampleDetails.OtpIssued, code: CODE, expiresAt: '2026-12-01T09:05:00+07:00' },
        Time: '2026-12-01T09:00:00+07:00',
      }),
      line({
        Source: 'vn.gov.bhxh.dvc',
        DetailType: 'EAccountRegistrationReviewed',
        Detail: { ...sampleDetails.EAccountRegistrationReviewed, temporaryPassword: PASSWORD },
        Time: '2026-12-01T09:01:00+07:00',
      }),
      // A bad line: the JSON error quotes it
      `{"Source":"vn.gov.bhxh.dvc","DetailType":"OtpIssued","Detail":{"code":"${BAD_LINE_CODE}"} oops`,
    ].join('\n'),
  );
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'local/main.ts', '--events', input, '--outbox', output, ...flags], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    timeout: 200_000,
  });
  return { stdout, stderr, outbox: readFileSync(output, 'utf8') };
}

describe('npm start: passwords and codes on the terminal', () => {
  it('masks them by default and shows them with --show-secrets; the outbox always has them', async () => {
    // Act
    const [masked, shown] = await Promise.all([run(), run('--show-secrets')]);

    // Assess: both runs sent the two SMS, with their secrets, to the outbox
    for (const { outbox } of [masked, shown]) {
      expect(outbox).toContain(`Ma OTP ${CODE} dung de`);
      expect(outbox).toContain(`mat khau: ${PASSWORD}.`);
    }
    // by default, the terminal shows each SMS with its secret masked, and the bad line without its code
    expect(masked.stdout).toContain('Ma OTP ******** dung de dang nhap VssID');
    expect(masked.stdout).toContain('mat khau: ********.');
    expect(masked.stderr).toContain('line 4: skipped');
    for (const secret of [CODE, PASSWORD, BAD_LINE_CODE]) expect(`${masked.stdout}${masked.stderr}`.includes(secret), `${secret} printed`).toBe(false);
    // asked for, it shows them
    expect(shown.stdout).toContain(`Ma OTP ${CODE} dung de`);
    expect(shown.stdout).toContain(`mat khau: ${PASSWORD}.`);
  }, 240_000);
});

describe('KMS in the local run', () => {
  let system: LocalSystem | undefined;
  afterAll(async () => system?.stop());

  it('refuses the sender the secret key when the key policy does not name it, although its role grants kms:Decrypt', async () => {
    // Prepare: the secret key's policy less the sender's statement (its identity policy keeps kms:Decrypt)
    const template = freshTemplate();
    const key = logicalId(template, 'AWS::KMS::Key', 'SecretKey');
    const sender = logicalId(template, 'AWS::Lambda::Function', 'SenderSenderFunction');
    const policy = template.Resources[key]!.Properties!.KeyPolicy as { Statement: Array<{ Principal?: unknown }> };
    const before = policy.Statement.length;
    policy.Statement = policy.Statement.filter((s) => !JSON.stringify(s.Principal ?? '').includes('SenderSenderFunctionRole'));
    expect(policy.Statement).toHaveLength(before - 1);
    system = await startLocalSystem({ template });
    await system.putEvents([entry('ContactUpdated', { subjectType: 'person', subjectId: SEED.personId, name: SEED.fullName, phone: '0912345678' })]);
    await system.drain();

    // Act
    await system.putEvents([entry('OtpIssued', { ...sampleDetails.OtpIssued, code: CODE, expiresAt: new Date(now().getTime() + 300_000).toISOString() })]);
    await system.drain();

    // Assess: the intake sealed it (its statement is there); the sender could not open it, so nothing was sent
    expect(system.accessDenied).toContainEqual(expect.objectContaining({ caller: sender, action: 'kms:Decrypt', allowed: false }));
    expect(system.accessDenied.filter((d) => d.action === 'kms:Encrypt')).toEqual([]);
    expect(system.outbox).toEqual([]);
    expect(JSON.stringify(system.queueByLogicalPrefix('SenderSendDeadLetterQueue').messages)).not.toContain(CODE);
  });
});
