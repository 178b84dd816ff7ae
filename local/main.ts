/**
 * `npm start`: the whole system on this machine, no AWS account needed.
 *
 *   npm start                                   replay the demo scenario, print every SMS and a summary
 *   npm start -- --events IN.jsonl --outbox OUT.jsonl
 *                                               replay IN, write one JSON line per SMS to OUT
 *   npm start -- --published PUB.jsonl          also write one JSON line per event the system publishes on the bus
 *   npm start -- --verbose                      also print the handlers' (masked) log lines
 *   npm start -- --show-secrets                 print passwords and codes in the SMS shown (the outbox file always has them)
 *   npm start -- --assembly cdk.out             run the stack of a synthesized cloud assembly instead of synthesizing
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { maskEmail, maskPhone, type LedgerItem } from './function-code.ts';
import { maskSecretsInSms, redactSecrets } from '../lambdas/domain/redact.ts';
import { loadAssemblyTemplate } from './assembly.ts';
import { LocalSystem, type EmailOutboxLine, type OutboxLine, type PublishedLine } from './runtime.ts';
import { replay } from './replay.ts';

const DEMO = path.join(import.meta.dirname, 'demo-events.jsonl');

const USAGE = `Usage: npm start [-- --events IN.jsonl --outbox OUT.jsonl] [--published PUB.jsonl] [--verbose] [--show-secrets] [--assembly DIR]
Runs BHXH Notify locally (DynamoDB Local, the synthesized stack, an outbox instead of SNS).
Without --events it replays the demo scenario (${path.relative(process.cwd(), DEMO)}).

  --published PUB.jsonl
                  write every event the system's own functions publish on the bus
                  (DossierOverdue, CollectionDailySummaryReady, PasswordResetRequested…),
                  one JSON line each as the bus accepts it: {"Source", "DetailType",
                  "Detail", "Time"}, Time in Vietnam time. The events replayed from IN
                  are the producers', not the system's: they are not written, nor is a
                  publication the bus refuses. Like OUT, the file keeps what the events
                  carry (a phone number in PasswordResetRequested).

  --show-secrets  print the passwords and one-time codes in the SMS shown here (masked
                  by default, as a terminal's scrollback is kept); OUT, which stands for
                  the phone, always has them.

  --assembly DIR  run the BhxhNotify stack of an already synthesized cloud assembly
                  (DIR = the cdk.out of \`npx cdk synth\`) instead of synthesizing. The
                  assembly decides the resources, IAM, environment and state machine
                  definitions; the code is the working tree's: each function runs the
                  TypeScript source its bhxh:entry metadata names, not cdk.out's bundled
                  JavaScript. The template must pass the deploy checks of local/assembly.ts
                  (Lambda environment <= 4 KB, SQS queue policies, valid state machine
                  definitions, bhxh:entry on every function).`;

function printSms(line: OutboxLine, showSecrets: boolean): void {
  const parts = line.segments === 1 ? '1 part' : `${line.segments} parts`;
  const text = showSecrets ? line.text : maskSecretsInSms(line.kind, line.text);
  process.stdout.write(`\n[${line.at}] ${line.kind} -> ${maskPhone(line.to)} (${parts})\n    ${text}\n`);
}

/** An e-mail as the run shows it: the address masked, the subject, the text (an e-mail never holds a password or code). */
function printEmail(line: EmailOutboxLine): void {
  const files = line.attachments.length > 0 ? `, attached: ${line.attachments.join(', ')}` : '';
  const body = line.text.replace(/\n/g, '\n    ');
  process.stdout.write(`\n[${line.at}] ${line.kind} -> e-mail ${maskEmail(line.to)}${files}\n    Subject: ${line.subject}\n    ${body}\n`);
}

async function summary(system: LocalSystem): Promise<string> {
  const ledger = await system.scan<LedgerItem>('Ledger');
  const count = (status: string) => ledger.filter((m) => m.status === status).length;
  const skipped = ledger.filter((m) => m.status === 'skipped');
  const byReason = Object.entries(Object.groupBy(skipped, (m) => m.reason ?? 'unknown')).map(([r, items = []]) => `${r} ${items.length}`);
  const duplicates = ledger.reduce((n, m) => n + (m.duplicates ?? 0), 0);
  const parts = system.outbox.reduce((n, l) => n + l.segments, 0);
  const quarantine = system.queueByLogicalPrefix('EventIntakeQuarantine').messages;
  const lines = [
    '',
    '── Summary ───────────────────────────────────────────────',
    `sent        ${system.outbox.length} SMS (${parts} parts), ${system.emails.length} e-mail(s)`,
    `skipped     ${skipped.length}${byReason.length ? ` (${byReason.join(', ')})` : ''}`,
    `duplicates  ${duplicates} repeated fact(s) absorbed, nothing sent twice`,
    `failed      ${count('permanent-failure') + count('temporary-failure') + count('technical-failure')}`,
    `expired     ${count('expired')}`,
    `quarantined ${quarantine.length}`,
  ];
  for (const message of quarantine) {
    let detailType = '?';
    try {
      detailType = JSON.parse(message.body)['detail-type'];
    } catch {
      /* the body itself was the problem */
    }
    const errors = JSON.parse(message.messageAttributes.errors?.StringValue ?? '[]') as string[];
    lines.push(`  - ${detailType} (${message.messageAttributes.reason?.StringValue}): ${errors.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A command line the run cannot start with: reported in one line and the usage, not a stack trace. */
class UsageError extends Error {}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        events: { type: 'string' },
        outbox: { type: 'string' },
        published: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        'show-secrets': { type: 'boolean', default: false },
        assembly: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    // parseArgs' own words name the option (e.g. "Option '--published <value>' argument missing").
    throw new UsageError((error as Error).message);
  }
}

/** Creates (truncates) an output file before the run starts, so a bad path fails at once and the file holds only this run's lines. */
function startFile(option: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (file.trim() === '') throw new UsageError(`--${option} needs a file name`);
  try {
    writeFileSync(file, '');
  } catch (error) {
    throw new UsageError(`--${option} ${file}: cannot write the file (${(error as Error).message})`);
  }
  return file;
}

async function main(): Promise<number> {
  const values = parseOptions();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.published?.trim() && values.outbox?.trim() && path.resolve(values.published) === path.resolve(values.outbox)) {
    throw new UsageError('--published and --outbox name the same file');
  }
  // Read and checked before DynamoDB Local starts: a bad assembly fails at once, naming every problem.
  const template = values.assembly === undefined ? undefined : loadAssemblyTemplate(values.assembly);
  const eventsFile = values.events ?? DEMO;
  const lines = readFileSync(eventsFile, 'utf8').split('\n');
  const outboxFile = startFile('outbox', values.outbox);
  const publishedFile = startFile('published', values.published);

  const stackFrom = values.assembly === undefined ? 'the synthesized stack' : `the stack of the cloud assembly ${values.assembly}`;
  process.stdout.write(`BHXH Notify, local run: starting DynamoDB Local and ${stackFrom}…\n`);
  // Ctrl-C while starting: exit at once; the exit hook of dynamodb-local.ts stops DynamoDB Local.
  const interruptedEarly = (code: number) => () => process.exit(code);
  const onEarlyInt = interruptedEarly(130);
  const onEarlyTerm = interruptedEarly(143);
  process.once('SIGINT', onEarlyInt);
  process.once('SIGTERM', onEarlyTerm);
  const system = await LocalSystem.start({
    logLevel: values.verbose ? 'INFO' : 'SILENT',
    onSms: (line) => {
      printSms(line, values['show-secrets']);
      if (outboxFile) appendFileSync(outboxFile, `${JSON.stringify(line)}\n`);
    },
    onEmail: (line) => {
      printEmail(line);
      if (outboxFile) appendFileSync(outboxFile, `${JSON.stringify(line)}\n`);
    },
    // Appended as the bus accepts each event: the file is complete up to the moment the run stops.
    ...(publishedFile ? { onPublished: (line: PublishedLine) => appendFileSync(publishedFile, `${JSON.stringify(line)}\n`) } : {}),
    // The assembly's template instead of synthesizing the working tree's stack.
    ...(template ? { template } : {}),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await system.stop();
    process.exit(code);
  };
  process.off('SIGINT', onEarlyInt);
  process.off('SIGTERM', onEarlyTerm);
  process.once('SIGINT', () => void stop(130));
  process.once('SIGTERM', () => void stop(143));
  try {
    process.stdout.write(`Replaying ${path.relative(process.cwd(), eventsFile)}\n`);
    // A JSON error quotes the line: its password or code is masked like the SMS.
    const report = await replay(system, lines, (lineNo, error) => process.stderr.write(`line ${lineNo}: skipped, ${values['show-secrets'] ? error : redactSecrets(error)}\n`), {
      // A CampaignProposed line's recipients path is relative to the events file.
      baseDir: path.dirname(path.resolve(eventsFile)),
      // The run's history begins with the file's first line, whatever today's date.
      startAtFirstLine: true,
    });
    process.stdout.write(await summary(system));
    process.stdout.write(`lines       ${report.events} event(s), ${report.clockLines} clock line(s), ${report.badLines.length} bad line(s) skipped\n`);
    if (outboxFile) process.stdout.write(`outbox      ${outboxFile}\n`);
    if (publishedFile) process.stdout.write(`published   ${system.published.length} event(s) to ${publishedFile}\n`);
    // What AWS would have refused: the run fails, naming each call, as a deploy would fail at its first use.
    const denied = system.accessDenied;
    if (denied.length > 0) {
      const distinct = [...new Set(denied.map((d) => `${d.caller}: ${d.action} on ${d.resource}`))];
      process.stderr.write(`\nACCESS DENIED ${denied.length} call(s) AWS would refuse:\n${distinct.map((d) => `  - ${d}`).join('\n')}\n`);
      return 1;
    }
  } finally {
    await system.stop();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`npm start: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`Local run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
