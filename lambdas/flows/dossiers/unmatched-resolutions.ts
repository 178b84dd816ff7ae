/**
 * The operators' report on a dossier resolution whose dossier never arrived:
 * a one-time schedule set when the resolution was kept.
 */
import { NotifyDetailType } from '../../domain/catalogue.ts';
import type { DossierStore, EventPublisher } from '../ports.ts';

export interface UnmatchedResolutionPorts {
  dossiers: DossierStore;
  events: EventPublisher;
}

/** `resolution-unmatched-reported` is what operators are alarmed on (the edge counts it). */
export type UnmatchedResolutionOutcome = { outcome: 'resolution-unmatched-reported' | 'resolution-matched'; dossierNo: string };

export async function onOrphanResolutionCheck(d: { dossierNo: string }, deps: UnmatchedResolutionPorts): Promise<UnmatchedResolutionOutcome> {
  const dossier = await deps.dossiers.get(d.dossierNo);
  if (dossier?.status !== 'awaiting-receipt') return { outcome: 'resolution-matched', dossierNo: d.dossierNo };
  await deps.events.publish(NotifyDetailType.DossierResolutionUnmatched, { dossierNo: d.dossierNo, since: dossier.orphanSince ?? '' });
  return { outcome: 'resolution-unmatched-reported', dossierNo: d.dossierNo };
}
