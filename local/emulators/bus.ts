/**
 * EventBridge: the stack's buses, routed by the template's rules. An entry
 * becomes an event as EventBridge would shape it, is matched against every
 * rule on its bus, and is sent to the rules' targets (queues: the only target
 * type the stack uses). Entries come in two ways: `putEvents`, a producer's
 * publication (a replay's line, a test's event), and `put`, one of the
 * system's own functions' PutEvents (the SDK interception's path); only the
 * latter is what the system publishes (`--published`).
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { LOCAL_REGION } from '../dynamodb-local.ts';
import { matchesPattern } from '../event-pattern.ts';
import type { LocalClock } from './clock.ts';
import type { Instrumentation } from './instrumentation.ts';
import type { PublishedLog } from './published.ts';
import type { RuleDef } from './definitions.ts';
import type { QueueEmulator } from './queues.ts';
import { checkPutEventsRequest } from '../quotas.ts';
import { transformInput } from './input-transformer.ts';

/** An event as EventBridge shapes it, what the rules match and the targets receive. */
export type LocalBusEvent = {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  /** The entry's Detail, parsed: a JSON object, as EventBridge requires (the local bus does not check that it is one). */
  detail: Record<string, unknown>;
};

export class EventBusEmulator {
  /** Every event put on a bus, including the system's own (DossierOverdue…). */
  readonly events: LocalBusEvent[] = [];

  constructor(
    private readonly rules: RuleDef[],
    private readonly queues: QueueEmulator,
    private readonly clock: LocalClock,
    private readonly instrumentation: Instrumentation,
    /**
     * Whether EventBridge may deliver to a target: AWS checks the target's
     * resource policy (a queue policy) for events.amazonaws.com with the rule as
     * aws:SourceArn. Resolves to false when it may not (the event then never
     * arrives, as in AWS, where only the rule's FailedInvocations metric tells).
     */
    private readonly mayDeliver: (rule: RuleDef, targetArn: string) => Promise<boolean> = async () => true,
    /** Where the events the system's own functions publish are recorded. */
    private readonly published?: PublishedLog,
  ) {}

  /** PutEvents by a producer (not the system's own functions): each entry is delivered or refused; the errors are the refused entries'. */
  async putEvents(entries: PutEventsRequestEntry[]): Promise<{ failed: number; errors: string[] }> {
    // A request over PutEvents' size quota is refused whole (local/quotas.ts).
    checkPutEventsRequest(entries);
    const errors: string[] = [];
    for (const entry of entries) {
      const error = await this.deliver(entry, false);
      if (error) errors.push(error);
    }
    return { failed: errors.length, errors };
  }

  /**
   * One entry of a PutEvents by one of the system's own functions, already
   * authorized: delivered, and recorded as published if accepted. Returns why
   * it was refused, or undefined.
   */
  put(entry: PutEventsRequestEntry): Promise<string | undefined> {
    return this.deliver(entry, true);
  }

  /**
   * An event an AWS service puts on a bus of the account (SES's configuration set on the default bus): no
   * producer policy applies, and it is not the system's own publication.
   */
  putFromService(entry: PutEventsRequestEntry): Promise<string | undefined> {
    return this.deliver(entry, false);
  }

  /** Delivers one entry; returns why it was refused, or undefined. */
  private async deliver(entry: PutEventsRequestEntry, bySystem: boolean): Promise<string | undefined> {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) return 'Source, DetailType and Detail are required';
    let detail: unknown;
    try {
      detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
    } catch {
      return 'Detail is not valid JSON';
    }
    const busName = entry.EventBusName ?? 'bhxh-notify';
    const event: LocalBusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '000000000000',
      time: (entry.Time ?? this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: entry.Resources ?? [],
      detail: detail as LocalBusEvent['detail'],
    };
    this.events.push(event);
    if (bySystem) this.published?.record(event);
    this.instrumentation.onBusEvent?.(event);
    for (const rule of this.rules) {
      if (rule.busName !== busName || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        if (!target.arn.startsWith('arn:aws:sqs:')) throw new Error(`Rule ${rule.logicalId}: local target type not supported: ${target.arn}`);
        const body = target.inputTransformer ? transformInput(target.inputTransformer, event) : JSON.stringify(event);
        if (await this.mayDeliver(rule, target.arn)) this.queues.send(target.arn, body);
        else if (target.deadLetterArn && (await this.mayDeliver(rule, target.deadLetterArn))) this.queues.send(target.deadLetterArn, body);
      }
    }
    return undefined;
  }
}
