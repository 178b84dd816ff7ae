/**
 * Reading a province campaign on the local system (SPEC "Province campaigns"):
 * its record, what it published, its SMS, its reports and its execution; and
 * moving the clock with everything it started run to completion.
 */
import { campaignExecutionName, PROVINCE_CAMPAIGN_KIND } from '../../lambdas/domain/province-campaigns.ts';
import type { CampaignRecord } from '../../lambdas/flows/province-campaigns/ports.ts';
import type { LocalSystem } from '../../local/runtime.ts';
import { atTime } from './local-system.ts';

export const campaign = async (system: LocalSystem, id: string) => (await system.scan<CampaignRecord>('ProvinceCampaignsCampaignsTable')).find((c) => c.campaignId === id);

export const statusChanges = (system: LocalSystem) =>
  system.busEvents.filter((e) => e['detail-type'] === 'CampaignStatusChanged').map((e) => e.detail as { campaignId: string; status: string; reason?: string });

export const statusesPublished = (system: LocalSystem, id: string) =>
  statusChanges(system)
    .filter((d) => d.campaignId === id)
    .map((d) => d.status);

/** The campaign's SMS handed to the provider (its keys are `campaign#<id>#<row>`). */
export const campaignSms = (system: LocalSystem, id: string) => system.outbox.filter((m) => m.kind === PROVINCE_CAMPAIGN_KIND && m.key.startsWith(`campaign#${id}#`));

/** A report written next to a recipients file (`<file>.refused.csv`, `<file>.outcomes.csv`), as lines without the BOM. */
export function reportLines(system: LocalSystem, suffix: string): string[] | undefined {
  const report = [...system.objects.entries()].find(([key]) => key.endsWith(suffix))?.[1];
  return report
    ?.replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);
}

export const execution = (system: LocalSystem, id: string) => [...system.executions.values()].find((e) => e.name === campaignExecutionName(id));

/** The states the campaign's execution entered, in order. */
export const statesEntered = (system: LocalSystem, id: string) =>
  ((execution(system, id)?.history ?? []) as Array<{ type: string; state?: { name: string } }>).filter((e) => e.type === 'StateEntered').map((e) => e.state?.name);

/** Moves the clock (waits and schedules due on the way end) and lets everything it started finish. */
export async function until(system: LocalSystem, time: string): Promise<void> {
  await atTime(system, time);
  await system.drain();
}
