/**
 * `npm run ops -- <command>`: the operators' terminal tool.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ops from './commands.ts';
import { confirmUnknown, listUnknown, releaseUnknown } from './unknown.ts';
import { receiptsCommand } from './receipts.ts';
import { cancel, listCampaigns, propose, REASONED_CAMPAIGN_COMMANDS, requireReason, review, showCampaign } from './campaigns.ts';
import { deployedTarget, localTarget } from './target.ts';
import type { LocalSystem } from '../local/runtime.ts';

export const USAGE = `Usage: npm run ops -- [--stack NAME [--region R] | --local [--events FILE]] [--by NAME] <command> [+ <command> ...]

Target (default: the deployed stack BhxhNotify, with your AWS credentials):
  --stack NAME --region R     a deployed stack, names read from its CloudFormation outputs
  --local [--events FILE]     a local run (DynamoDB Local, no AWS): replays the demo events
                              (or FILE) first, then runs the commands against it
  --by NAME                   who you are, recorded with pauses, resumes, resends, reviews and cancellations (default $USER)

Commands (join several with +):
  status                                   every kind: running or paused, today's count / ceiling; queue depths
  find <key>                               one message: status, masked number, text (while kept), history
  find --phone <last 3 digits | number> [--date YYYY-MM-DD] [--days N]
                                           messages to that number (last N days, default 7)
  preview <kind> [--data JSON]             render a template with sample data: text, parts, estimated cost,
                                           and the parts and cost the brand in the text (bhxh:brandInText) adds
  quarantine list [--limit N]              quarantined events with their reasons
  quarantine redrive [--id ID ...]         back to the intake (all, or the given ids)
  dlq list [--limit N] | dlq redrive [--id ID ...]
                                           the send dead-letter queue, back to the send queue
  receipts failed | receipts redrive [--id ID ...]
                                           delivery-receipt batches that failed every attempt; applied again
  resend <key> --reason TEXT               send a message again on purpose; the reason is recorded
  unknown [--date YYYY-MM-DD] [--days N]   messages handed to SNS with no answer (perhaps sent), last N days
  unknown release <key> --reason TEXT      SNS did not take it: queue it again
  unknown confirm <key> --reason TEXT [--provider-id ID]
                                           SNS took it: record it as sent
  pause <kind> --reason TEXT               messages of the kind wait in the ledger (nothing is dropped)
  resume <kind>                            queue the waiting messages again
  ceiling <kind> <N | default>             the kind's daily ceiling, without a deploy
  replay FILE                              (--local only) replay more events, e.g. after a pause

Province campaigns:
  propose FILE.json                        publish CampaignProposed; a recipients CSV path (relative to FILE.json)
                                           is uploaded to recipients/<agency>/ of the campaign files bucket first
  approve <id> --reason TEXT [--as NAME]   the IT Centre's review (CampaignReviewed); reviewer: --as, else --by
  reject <id> --reason TEXT [--as NAME]
  cancel <id> --reason TEXT [--as NAME]    CampaignCancelled: nothing more is sent
  campaigns                                every campaign: status, rows/accepted/refused, parts, who approved
  campaign <id>                            one campaign: its refused rows (number, reason, column), reports, history`;

interface Parsed {
  words: string[];
  options: Record<string, string[]>;
  flags: Set<string>;
}

const FLAGS = new Set(['local', 'help']);

function parse(tokens: string[]): Parsed {
  const parsed: Parsed = { words: [], options: {}, flags: new Set() };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '-h') parsed.flags.add('help');
    else if (token.startsWith('--')) {
      const name = token.slice(2);
      if (FLAGS.has(name)) parsed.flags.add(name);
      else {
        const value = tokens[++i];
        if (value === undefined) throw new ops.OpsError(`--${name} needs a value`);
        parsed.options[name] = [...(parsed.options[name] ?? []), value];
      }
    } else parsed.words.push(token);
  }
  return parsed;
}

const one = (p: Parsed, name: string) => p.options[name]?.at(-1);

function required(p: Parsed, index: number, what: string): string {
  const value = p.words[index];
  if (value === undefined) throw new ops.OpsError(`missing ${what}\n\n${USAGE}`);
  return value;
}

async function run(target: ops.OpsTarget, p: Parsed, local: LocalSystem | undefined, head: Parsed): Promise<void> {
  const [command, sub] = p.words;
  switch (command) {
    case 'status':
      return ops.status(target);
    case 'find': {
      const phone = one(p, 'phone');
      const date = one(p, 'date');
      const days = one(p, 'days');
      if (phone) await ops.findByPhone(target, phone, { ...(date ? { date } : {}), ...(days ? { days: Number(days) } : {}) });
      else await ops.findByKey(target, required(p, 1, 'the message key (or --phone)'));
      return;
    }
    case 'preview':
      ops.preview(target, required(p, 1, 'the kind to preview'), one(p, 'data'));
      return;
    case 'quarantine':
    case 'dlq': {
      const queue = command === 'quarantine' ? 'quarantine' : 'dlq';
      if (sub === 'list') await ops.listQueue(target, queue, Number(one(p, 'limit') ?? 50));
      else if (sub === 'redrive') await ops.redrive(target, queue, p.options.id);
      else throw new ops.OpsError(`${command} list | ${command} redrive [--id ID ...]`);
      return;
    }
    case 'receipts': {
      const region = one(head, 'region');
      await receiptsCommand(target, sub, {
        ...(local ? { local } : { stack: one(head, 'stack') ?? 'BhxhNotify' }),
        ...(region ? { region } : {}),
        ...(p.options.id ? { only: p.options.id } : {}),
      });
      return;
    }
    case 'resend':
      await ops.resend(target, required(p, 1, 'the message key'), one(p, 'reason') ?? '');
      return;
    case 'unknown': {
      const date = one(p, 'date');
      const days = one(p, 'days');
      if (sub === 'release') await releaseUnknown(target, required(p, 2, 'the message key'), one(p, 'reason') ?? '');
      else if (sub === 'confirm') await confirmUnknown(target, required(p, 2, 'the message key'), one(p, 'reason') ?? '', one(p, 'provider-id'));
      else if (sub === undefined) await listUnknown(target, { ...(date ? { date } : {}), ...(days ? { days: Number(days) } : {}) });
      else throw new ops.OpsError('unknown [--date D --days N] | unknown release <key> --reason TEXT | unknown confirm <key> --reason TEXT [--provider-id ID]');
      return;
    }
    case 'pause':
      return ops.pause(target, required(p, 1, 'the kind'), one(p, 'reason') ?? '');
    case 'resume':
      await ops.resume(target, required(p, 1, 'the kind'));
      return;
    case 'ceiling':
      return ops.setCeiling(target, required(p, 1, 'the kind'), required(p, 2, 'the ceiling (a number, or default)'));
    case 'propose':
      await propose(target, required(p, 1, 'the proposal file (FILE.json)'));
      return;
    case 'approve':
    case 'reject':
      await review(target, required(p, 1, 'the campaign id'), command === 'approve', one(p, 'reason'), one(p, 'as') ?? target.operator);
      return;
    case 'cancel':
      await cancel(target, required(p, 1, 'the campaign id'), one(p, 'reason'), one(p, 'as') ?? target.operator);
      return;
    case 'campaigns':
      await listCampaigns(target);
      return;
    case 'campaign':
      await showCampaign(target, required(p, 1, 'the campaign id'));
      return;
    case 'replay': {
      if (!local) throw new ops.OpsError('replay works with --local only');
      const { replay } = await import('../local/replay.ts');
      const before = local.outbox.length;
      const report = await replay(local, readFileSync(required(p, 1, 'the events file'), 'utf8').split('\n'));
      target.print(`replayed ${report.events} event(s); ${local.outbox.length - before} SMS sent`);
      return;
    }
    default:
      throw new ops.OpsError(`unknown command "${command ?? ''}"\n\n${USAGE}`);
  }
}

/** One command (no `+`, no target options) against a target already made: for tests, and for callers that hold a target. */
export async function runCommand(target: ops.OpsTarget, argv: string[]): Promise<void> {
  const p = parse(argv);
  await run(target, p, undefined, p);
}

export async function main(argv: string[], print: (line?: string) => void = (line = '') => process.stdout.write(`${line}\n`)): Promise<number> {
  const groups: string[][] = [[]];
  for (const token of argv) {
    if (token === '+') groups.push([]);
    else groups.at(-1)?.push(token);
  }
  let local: LocalSystem | undefined;
  try {
    const parsed = groups.map(parse);
    const head = parsed[0] ?? parse([]);
    if (head.flags.has('help') || head.words.length === 0) {
      print(USAGE);
      return head.flags.has('help') ? 0 : 2;
    }
    // A missing reason is refused before a local run starts or a stack is reached.
    for (const p of parsed) if ((REASONED_CAMPAIGN_COMMANDS as readonly string[]).includes(p.words[0] ?? '')) requireReason(p.words[0] ?? '', one(p, 'reason'));
    let target: ops.OpsTarget;
    if (head.flags.has('local')) {
      const { LocalSystem } = await import('../local/runtime.ts');
      const { replay } = await import('../local/replay.ts');
      local = await LocalSystem.start({ logLevel: 'SILENT' });
      const events = one(head, 'events') ?? path.join(import.meta.dirname, '..', 'local', 'demo-events.jsonl');
      const report = await replay(local, readFileSync(events, 'utf8').split('\n'));
      print(`local run: replayed ${report.events} event(s) from ${path.relative(process.cwd(), events)}; ${local.outbox.length} SMS sent`);
      const by = one(head, 'by');
      target = localTarget(local, { ...(by ? { by } : {}), print });
    } else if (parsed.every((p) => p.words[0] === 'preview')) {
      // Previews need no stack.
      target = { print, now: () => new Date() } as ops.OpsTarget;
    } else {
      const region = one(head, 'region');
      const by = one(head, 'by');
      target = await deployedTarget({ stack: one(head, 'stack') ?? 'BhxhNotify', ...(region ? { region } : {}), ...(by ? { by } : {}), print });
    }
    for (const [i, p] of parsed.entries()) {
      print(
        `\n$ ops ${p.words.join(' ')}${Object.entries(p.options)
          .filter(([k]) => !['stack', 'region', 'events', 'by'].includes(k))
          .map(([k, v]) => v.map((x) => ` --${k} ${/\s/.test(x) ? JSON.stringify(x) : x}`).join(''))
          .join('')}`,
      );
      if (i > 0 && (p.flags.has('local') || p.options.stack)) throw new ops.OpsError('the target (--local, --stack) goes before the first command');
      await run(target, p, local, head);
    }
    return 0;
  } catch (error) {
    if (error instanceof ops.OpsError) {
      print(`error: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await local?.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`ops failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
