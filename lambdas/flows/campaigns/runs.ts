/**
 * Starting campaign runs from the schedules' ticks: each kind's daily run
 * (`<kind>-<YYYY-MM-DD>`), and the hourly sweeps that take what became due and
 * was stored after its run (`<kind>-sweep-<YYYY-MM-DD>T<HHMM>`). A sweep that
 * would find nothing starts nothing.
 */
import { dueThrough } from '../../domain/due-plans.ts';
import { DUE_KINDS, type DueKind } from '../../domain/due-items.ts';
import { vietnamDate, vietnamLocalDateTime } from '../../domain/vietnam-time.ts';
import type { Clock, DueItemStore } from '../ports.ts';

export interface CampaignRunPorts extends Clock {
  dueItems: DueItemStore;
  /** Starts a campaign run; the name makes a second start of the same run a no-op. */
  startCampaign(name: string, input: { kind: string; date: string }): Promise<void>;
  /** When the sending window opens (bhxh:quietHoursStart): the quiet-hours release runs then. */
  sendingWindowStart: string;
}

export type CampaignRunOutcome = Awaited<ReturnType<typeof onCampaignDue>>;

export async function onCampaignDue(
  detail: { kind?: DueKind | undefined; scheduledTime: string; sweep?: boolean | undefined },
  deps: CampaignRunPorts,
): Promise<{ outcome: 'campaigns-started'; names: string[] }> {
  const at = new Date(detail.scheduledTime);
  const today = vietnamDate(at);
  if (!detail.sweep) {
    if (!detail.kind) throw new Error('a campaign run names its kind');
    const name = `${detail.kind}-${today}`;
    await deps.startCampaign(name, { kind: detail.kind, date: today });
    return { outcome: 'campaigns-started', names: [name] };
  }
  // The sweep: every kind at once (one item read per shard each), a run only where something waits.
  const started = await Promise.all(
    (detail.kind ? [detail.kind] : DUE_KINDS).map(async (kind) => {
      const through = dueThrough(kind, at, deps.sendingWindowStart);
      if (!(await deps.dueItems.anyPending(kind, through))) return undefined;
      const name = `${kind}-sweep-${today}T${vietnamLocalDateTime(at).slice(11, 16).replace(':', '')}`;
      await deps.startCampaign(name, { kind, date: through });
      return name;
    }),
  );
  return { outcome: 'campaigns-started', names: started.filter((n) => n !== undefined) };
}
