/**
 * The two state machines of a campaign run, sized for a national day within
 * Step Functions' 25,000 events per execution history:
 *
 * - **BhxhNotify-Campaign**, one execution per kind and day
 *   (`<kind>-<YYYY-MM-DD>`): an inline Map over the shards; each shard runs as
 *   a chain of child executions ("parts"), one after the other.
 * - **BhxhNotify-CampaignShard**, one execution per part of a shard
 *   (`<run>-s<shard>-p<part>`): pages through the shard's pending due items,
 *   at most {@link PAGES_PER_PART} pages, then hands its cursor back.
 *
 * The parent's history grows by one part per 200,000 due items of a shard
 * (about 10 events), a part's history is bounded by construction; the
 * largest day that fits is measured by test/local/history-quota.test.ts and
 * `npm run bench` (campaignHistory).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Choice, Condition, IntegrationPattern, JsonPath, Map as MapState, Pass, TaskInput, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DUE_SHARDS } from '../lambdas/domain/due-items.ts';
import type { NotifyConfig } from './config.ts';
import { acknowledgeWildcardResource } from './nag.ts';
import type { NotifyFunction } from './notify-function.ts';
import { justifyUnusedGrants } from './unused-grants.ts';
import { STEP_RETRY, workflow } from './workflow.ts';

export const CAMPAIGN_STATE_MACHINE_NAME = 'BhxhNotify-Campaign';
export const CAMPAIGN_SHARD_STATE_MACHINE_NAME = 'BhxhNotify-CampaignShard';

/**
 * Pages one part (child execution) runs before handing over. A page costs 9 history events (the Lambda task 5,
 * the Choice 2, the Pass 2): 2,000 pages are about 18,000 events, which leaves 7,000 of the 25,000 for the
 * page's retries (3 events each), far more than the Retry policy can use.
 */
export const PAGES_PER_PART = 2_000;
/** Due items per page (the page function's default): a part covers PAGES_PER_PART × 100 = 200,000 items. */
export const PAGE_SIZE = 100;

export function campaignStateMachines(scope: Construct, props: { pageFunction: NotifyFunction; config: NotifyConfig }): { run: StateMachine; part: StateMachine } {
  const queuePage = new LambdaInvoke(scope, 'Queue a page of due messages', {
    lambdaFunction: props.pageFunction,
    payloadResponseOnly: true,
    // No payload: the function gets the state as it is (kind, date, shard, the cursor and the totals so far).
    resultPath: '$.page',
    retryOnServiceExceptions: true,
  }).addRetry(STEP_RETRY);
  const nextPage = new Pass(scope, 'Next page', {
    parameters: {
      'kind.$': '$.kind',
      'date.$': '$.date',
      'shard.$': '$.shard',
      'after.$': '$.page.after',
      'totals.$': '$.page.totals',
      'pagesInPart.$': '$.page.pagesInPart',
    },
  });
  const handOver = new Pass(scope, 'Part full: hand the shard to its next part', {
    parameters: { more: true, 'after.$': '$.page.after', 'totals.$': '$.page.totals' },
  });
  const shardEmpty = new Pass(scope, 'No more due messages in this shard', { parameters: { more: false, after: '', 'totals.$': '$.page.totals' } });
  const partDefinition = queuePage.next(
    new Choice(scope, 'More due messages?')
      .when(Condition.and(Condition.booleanEquals('$.page.more', true), Condition.numberLessThan('$.page.pagesInPart', PAGES_PER_PART)), nextPage.next(queuePage))
      .when(Condition.booleanEquals('$.page.more', true), handOver)
      .otherwise(shardEmpty),
  );
  const part = workflow(scope, 'ShardPart', {
    stateMachineName: CAMPAIGN_SHARD_STATE_MACHINE_NAME,
    definition: partDefinition,
    comment: `One part of one shard of a campaign run, named <run>-s<shard>-p<part>: at most ${PAGES_PER_PART} pages of ${PAGE_SIZE} due items`,
    logRetention: props.config.logRetention,
  });

  // The shard's first page runs in the run itself: a small day needs no part at all.
  const firstPage = new LambdaInvoke(scope, "Queue the shard's first page", {
    lambdaFunction: props.pageFunction,
    payloadResponseOnly: true,
    payload: TaskInput.fromObject({ kind: JsonPath.stringAt('$.kind'), date: JsonPath.stringAt('$.date'), shard: JsonPath.numberAt('$.shard') }),
    resultSelector: { 'more.$': '$.more', 'after.$': '$.after', 'totals.$': '$.totals' },
    resultPath: '$.page',
    retryOnServiceExceptions: true,
  }).addRetry(STEP_RETRY);
  const nextPart = new Pass(scope, 'Continue the shard in a part', {
    parameters: {
      'kind.$': '$.kind',
      'date.$': '$.date',
      'shard.$': '$.shard',
      'part.$': 'States.MathAdd($.part, 1)',
      'after.$': '$.page.after',
      'totals.$': '$.page.totals',
    },
  });
  const runPart = new StepFunctionsStartExecution(scope, 'Run a part of the shard', {
    stateMachine: part,
    integrationPattern: IntegrationPattern.RUN_JOB,
    associateWithParent: true,
    name: JsonPath.format('{}-s{}-p{}', JsonPath.executionName, JsonPath.stringAt('$.shard'), JsonPath.stringAt('$.part')),
    input: TaskInput.fromObject({
      kind: JsonPath.stringAt('$.kind'),
      date: JsonPath.stringAt('$.date'),
      shard: JsonPath.numberAt('$.shard'),
      after: JsonPath.stringAt('$.after'),
      totals: JsonPath.objectAt('$.totals'),
    }),
    resultSelector: { 'more.$': '$.Output.more', 'after.$': '$.Output.after', 'totals.$': '$.Output.totals' },
    resultPath: '$.page',
  });
  const shardDone = new Pass(scope, 'Shard done', { parameters: { 'shard.$': '$.shard', 'parts.$': '$.part', 'totals.$': '$.page.totals' } });
  // After the first page and after each part alike ($.page has the same shape).
  const moreOfShard = new Choice(scope, 'More of the shard?').when(Condition.booleanEquals('$.page.more', true), nextPart).otherwise(shardDone);
  nextPart.next(runPart).next(moreOfShard);
  const eachShard = new MapState(scope, 'Each shard of the day', {
    itemsPath: '$.shards',
    maxConcurrency: DUE_SHARDS,
    itemSelector: { 'kind.$': '$.kind', 'date.$': '$.date', 'shard.$': '$$.Map.Item.Value', part: 0 },
    // The output shows, per shard, how many parts ran after the first page and what became of the due items.
    resultPath: '$.shards',
  });
  eachShard.itemProcessor(firstPage.next(moreOfShard));
  const plan = new Pass(scope, 'Plan the run', {
    parameters: { 'kind.$': '$.kind', 'date.$': '$.date', 'shards.$': `States.ArrayRange(0, ${DUE_SHARDS - 1}, 1)` },
  });
  const run = workflow(scope, 'Campaign', {
    stateMachineName: CAMPAIGN_STATE_MACHINE_NAME,
    definition: plan.next(eachShard),
    comment: 'One execution per kind and day, named <kind>-<YYYY-MM-DD> (a sweep: <kind>-sweep-<date>T<HHMM>); takes everything pending and due by its date; safe to re-run',
    logRetention: props.config.logRetention,
  });

  // What StepFunctionsStartExecution grants for `.sync` that only the Step Functions service uses.
  const stack = Stack.of(scope);
  // The ARN exactly as StepFunctionsStartExecution writes it in the policy.
  const partExecutions = stack.formatArn({
    service: 'states',
    resource: 'execution',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    resourceName: `${stack.splitArn(part.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}*`,
  });
  acknowledgeWildcardResource(
    run.role,
    partExecutions,
    "The parts' executions are named at run time (<run>-s<shard>-p<part>); the wildcard is the executions of the part machine only.",
  );
  justifyUnusedGrants(run.role, ['states:StopExecution'], 'Step Functions stops the running part when the run is stopped or fails (a .sync integration); no task calls it.', [
    partExecutions,
  ]);
  justifyUnusedGrants(
    run.role,
    ['events:PutTargets', 'events:DescribeRule'],
    'The managed rule StepFunctionsGetEventsForStepFunctionsExecutionRule through which Step Functions learns that a part ended (.sync); set up by the service.',
  );
  return { run, part };
}
