/** The intake's dependencies, composed once per container from its environment. */
import { dynamo } from '../../aws/clients.ts';
import type { EnvironmentOf, INTAKE_ENVIRONMENT } from '../../aws/environment.ts';
import { BusEventPublisher } from '../../aws/event-publisher.ts';
import { completeTaskIfWaiting, startOnce } from '../../aws/executions.ts';
import { messagingPorts } from '../../compose/messaging.ts';
import { SqsQuarantine } from '../../aws/quarantine.ts';
import { SchedulerSchedules } from '../../aws/schedules.ts';
import { secretValueOnce } from '../../aws/secrets.ts';
import type { IntakePorts } from '../../flows/intake/route-event.ts';
import { now } from '../../runtime/clock.ts';
import { DynamoCollectionStore } from '../../stores/collection-store.ts';
import { DynamoDossierStore } from '../../stores/dossier-store.ts';
import { DynamoDueItemStore } from '../../stores/due-item-store.ts';
import { DynamoLookupCounter } from '../../stores/lookup-counter-store.ts';
import { DynamoProvinceCampaignStore } from '../../stores/province-campaign-store.ts';
import { DynamoReadModelStore } from '../../stores/read-model-store.ts';
import { DynamoRegistrationStore } from '../../stores/registration-store.ts';

export function composeIntake(env: EnvironmentOf<typeof INTAKE_ENVIRONMENT>): IntakePorts {
  const quarantine = new SqsQuarantine(env.QUARANTINE_QUEUE_URL, now);
  // The intake's HMAC key, read on first use and kept: it names look-up counters and the issue of a password or code.
  const hmacKey = secretValueOnce(env.LOOKUP_KEY_SECRET_ARN);
  return {
    ...messagingPorts(env),
    dueItems: new DynamoDueItemStore(dynamo(), env.DUE_ITEMS_TABLE_NAME),
    collections: new DynamoCollectionStore(dynamo(), env.COLLECTIONS_TABLE_NAME, env.COLLECTION_RETENTION_DAYS),
    dossiers: new DynamoDossierStore(dynamo(), env.DOSSIERS_TABLE_NAME, env.DOSSIER_RETENTION_DAYS),
    readModels: new DynamoReadModelStore(dynamo(), env.LOOKUPS_TABLE_NAME),
    lookupCounter: new DynamoLookupCounter(dynamo(), env.CONTROL_TABLE_NAME, hmacKey),
    secretIssueKey: hmacKey,
    rateLimitPerHour: env.LOOKUP_RATE_LIMIT_PER_HOUR,
    otpMaxLifetimeMinutes: env.OTP_MAX_LIFETIME_MINUTES,
    events: new BusEventPublisher(env.EVENT_BUS_NAME),
    schedules: new SchedulerSchedules({ groupName: env.SCHEDULE_GROUP_NAME, queueArn: env.SCHEDULE_TARGET_QUEUE_ARN, roleArn: env.SCHEDULE_ROLE_ARN }),
    orphanReportAfterMs: env.ORPHAN_RESOLUTION_REPORT_HOURS * 3600_000,
    // Today's run of this kind may exist already (a second tick, or an operator's start).
    startCampaign: (name, input) => startOnce(env.CAMPAIGN_STATE_MACHINE_ARN, name, input),
    // The dossier's lifecycle may exist already (a redelivered DossierReceived).
    startLifecycle: (name, input) => startOnce(env.DOSSIER_STATE_MACHINE_ARN, name, input),
    resumeExecution: completeTaskIfWaiting,
    campaigns: new DynamoProvinceCampaignStore(dynamo(), env.CAMPAIGNS_TABLE_NAME),
    // A province campaign's execution, named from its id: a redelivered proposal starts nothing new.
    startCampaignExecution: (name, input) => startOnce(env.PROVINCE_CAMPAIGN_STATE_MACHINE_ARN, name, input),
    answerWait: completeTaskIfWaiting,
    registrations: new DynamoRegistrationStore(dynamo(), env.REGISTRATIONS_TABLE_NAME),
    // A registration's lifecycle, named from its number: a redelivered submission starts nothing new.
    startRegistrationLifecycle: (name, input) => startOnce(env.REGISTRATION_STATE_MACHINE_ARN, name, input),
    answerRegistrationWait: completeTaskIfWaiting,
    quarantine: (body, reason, errors) => quarantine.quarantine(body, reason, errors),
  };
}
