/**
 * The operators' report on a dossier resolution whose dossier never arrived:
 * a one-time schedule set when the resolution was kept.
 */
import type { Dossiers } from '../commons/dossiers.ts';
import type { OutboundDeps } from '../commons/outbound.ts';
import type { Schedules } from '../commons/schedules.ts';

export interface ReminderDeps extends OutboundDeps {
  schedules: Schedules;
  dossiers: Dossiers;
  /** Tells operators (event on the bus, metric, alarm) about a resolution without its dossier. */
  reportUnmatchedResolution(dossierNo: string, since: string): Promise<void>;
}

export type ReminderOutcome = { outcome: 'resolution-unmatched-reported' | 'resolution-matched'; dossierNo: string };

export async function onOrphanResolutionCheck(d: { dossierNo: string }, deps: ReminderDeps): Promise<ReminderOutcome> {
  const dossier = await deps.dossiers.get(d.dossierNo);
  if (dossier?.status !== 'awaiting-receipt') return { outcome: 'resolution-matched', dossierNo: d.dossierNo };
  await deps.reportUnmatchedResolution(d.dossierNo, dossier.orphanSince ?? '');
  return { outcome: 'resolution-unmatched-reported', dossierNo: d.dossierNo };
}
