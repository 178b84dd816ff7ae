/**
 * The steps of a province campaign's execution: validate, wait for the
 * review, apply the decision, wait for the window, send a page, report. The
 * input is checked at the edge (a campaign id, a cursor, counts: never a
 * recipient, which the steps read from the campaign's rows); the work is in
 * flows/province-campaigns/.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
// The mini build: our own state machine's inputs, a few fields, and mini is a fraction of the size.
import * as z from 'zod/mini';
import { S3CampaignFiles } from '../../aws/campaign-files.ts';
import { dynamo } from '../../aws/clients.ts';
import { PROVINCE_CAMPAIGN_ENVIRONMENT, readEnvironment } from '../../aws/environment.ts';
import { BusEventPublisher } from '../../aws/event-publisher.ts';
import { completeTaskIfWaiting } from '../../aws/executions.ts';
import { SqsSendQueue } from '../../aws/send-queue.ts';
import { reportCampaign, type ReportPorts } from '../../flows/province-campaigns/report.ts';
import { applyDecision, awaitAnswer, expireProposal } from '../../flows/province-campaigns/review.ts';
import { sendCampaignPage, type SendPagePorts } from '../../flows/province-campaigns/send-page.ts';
import { validateProposal, type ValidatePorts } from '../../flows/province-campaigns/validate.ts';
import { now } from '../../runtime/clock.ts';
import { perContainer } from '../../runtime/container.ts';
import { logger, metrics } from '../../runtime/observability.ts';
import { directHandler } from '../../runtime/step-handler.ts';
import { DynamoCampaignRowStore } from '../../stores/campaign-row-store.ts';
import { DynamoContactStore } from '../../stores/contact-store.ts';
import { DynamoLedgerStatuses } from '../../stores/ledger-statuses.ts';
import { DynamoLedgerStore } from '../../stores/ledger-store.ts';
import { DynamoProvinceCampaignStore } from '../../stores/province-campaign-store.ts';

const count = z.int().check(z.nonnegative());
const campaignId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/));
const totals = z.object({ queued: count, parts: count, skipped: count, duplicates: count });
const stepInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('validate'), campaignId }),
  z.object({ action: z.literal('await-answer'), campaignId, taskToken: z.string() }),
  z.object({ action: z.literal('expire'), campaignId }),
  z.object({ action: z.literal('decide'), campaignId }),
  z.object({ action: z.literal('send-page'), campaignId, after: count, totals }),
  z.object({ action: z.literal('report'), campaignId }),
]);

type Ports = ValidatePorts & SendPagePorts & ReportPorts;

const ports = perContainer((): Ports => {
  const env = readEnvironment(PROVINCE_CAMPAIGN_ENVIRONMENT);
  const clock = { now };
  return {
    now,
    campaigns: new DynamoProvinceCampaignStore(dynamo(), env.CAMPAIGNS_TABLE_NAME),
    rows: new DynamoCampaignRowStore(dynamo(), env.CAMPAIGN_ROWS_TABLE_NAME, clock),
    files: new S3CampaignFiles(env.CAMPAIGN_FILES_BUCKET_NAME),
    contacts: new DynamoContactStore(dynamo(), env.CONTACTS_TABLE_NAME),
    ledger: new DynamoLedgerStore(dynamo(), {
      tableName: env.LEDGER_TABLE_NAME,
      retention: { metadataDays: env.LEDGER_RETENTION_DAYS, textDays: env.MESSAGE_TEXT_RETENTION_DAYS },
    }),
    ledgerStatuses: new DynamoLedgerStatuses(dynamo(), env.LEDGER_TABLE_NAME),
    sendQueue: new SqsSendQueue({ send: env.SEND_QUEUE_URL }),
    events: new BusEventPublisher(env.EVENT_BUS_NAME),
    answerWait: completeTaskIfWaiting,
    budgets: env.CAMPAIGN_MONTHLY_PARTS,
    quietHours: { start: env.QUIET_HOURS_START, end: env.QUIET_HOURS_END },
    smsPartsPerSecond: env.SMS_PARTS_PER_SECOND,
  };
});

async function runStep(input: z.infer<typeof stepInput>): Promise<unknown> {
  switch (input.action) {
    case 'validate':
      return validateProposal(input.campaignId, ports());
    case 'await-answer':
      return awaitAnswer(input.campaignId, input.taskToken, ports());
    case 'expire':
      return expireProposal(input.campaignId, ports());
    case 'decide':
      return applyDecision(input.campaignId, ports());
    case 'send-page':
      return sendCampaignPage({ campaignId: input.campaignId, after: input.after, totals: input.totals }, ports());
    case 'report':
      return reportCampaign(input.campaignId, ports());
  }
}

export const handler = directHandler(async (event: unknown) => {
  const input = stepInput.parse(event);
  const result = await runStep(input);
  metrics.addMetric(`province-campaign-${input.action}`, MetricUnit.Count, 1);
  // Counts, statuses and cursors only: the steps return nothing that names a recipient.
  logger.info('campaign step done', { action: input.action, campaignId: input.campaignId, result: result as Record<string, unknown> });
  return result;
});
