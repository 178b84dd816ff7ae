/**
 * `npm run cost`: the cost model in docs/cost.md, computed from the stack's
 * own per-message counts. Each kind of message is driven through the local
 * run (the synthesized stack, the real handlers, DynamoDB Local), and what it
 * uses is counted: Lambda invocations and their duration, Step Functions state
 * transitions, DynamoDB capacity units as DynamoDB reports them (indexes and
 * transactions included), SQS requests, EventBridge events, Scheduler
 * invocations, log bytes. Prices come from docs/prices.json.
 *
 * scripts/cost/: scenarios.ts (what is driven), meter.ts (what is counted, via
 * the local system's instrumentation hooks), prices.ts (the price model),
 * report.ts (docs/cost.md).
 */
import { LocalSystem } from '../local/runtime.ts';
import { Meter } from './cost/meter.ts';
import { perMessage, type PerMessage } from './cost/prices.ts';
import { writeCostReport, type LedgerItemSizes } from './cost/report.ts';
import { at, measure, scenarios } from './cost/scenarios.ts';

async function main(): Promise<void> {
  const meter = new Meter();
  const system = await LocalSystem.start({ logLevel: 'INFO', instrumentation: meter.instrumentation });
  const rows: PerMessage[] = [];
  let sizes: LedgerItemSizes = { metadata: 0, content: 0 };
  try {
    system.setClock(new Date(at('08:30')));
    for (const scenario of scenarios) {
      const usage = await measure(system, meter, scenario);
      if (usage.sms === 0) throw new Error(`scenario ${scenario.kind} sent nothing`);
      rows.push(perMessage(scenario.kind, scenario.label, usage));
      process.stderr.write(`${scenario.kind}: ${usage.sms} SMS measured\n`);
    }
    const items = await system.scan<Record<string, unknown>>('Ledger');
    const size = (list: Array<Record<string, unknown>>) => list.reduce((n, i) => n + Buffer.byteLength(JSON.stringify(i)), 0) / Math.max(1, list.length);
    sizes = { metadata: size(items.filter((i) => !String(i.key).startsWith('content#'))), content: size(items.filter((i) => String(i.key).startsWith('content#'))) };
  } finally {
    await system.stop();
  }
  writeCostReport(rows, sizes);
  process.stdout.write(`wrote docs/cost.md\n`);
}

await main();
