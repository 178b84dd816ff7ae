/**
 * The kind controls as one sender invocation sees them:
 * - each kind's item (paused or not, its ceiling) is read once per batch of
 *   up to ten messages instead of once per message; an operator's pause takes
 *   effect from the next batch;
 * - the day's counter is written once per batch, not once per message: the
 *   first message of a kind leases a block of {@link ADMISSION_BLOCK}
 *   admissions with one conditional write (within the ceiling), the next ones
 *   use it, a message given back returns its admission to the block, and what
 *   is left goes back in one write when the batch ends (`returnUnused`). At
 *   1,000 messages a second of one kind that is at most ~200 writes a second
 *   on the counter, under DynamoDB's ~1,000 per partition. Near the ceiling,
 *   where a block no longer fits, admissions are counted one by one: the
 *   ceiling stays exact.
 */
import type { Admission, KindControl } from '../domain/kind-controls.ts';
import { vietnamDate } from '../domain/vietnam-time.ts';
import { DynamoKindControlStore } from './kind-control-store.ts';

/** The sender's batch size (lib/sender.ts): one block serves a batch of one kind. */
export const ADMISSION_BLOCK = 10;

export class BatchKindControls extends DynamoKindControlStore {
  private readonly seen = new Map<string, Promise<KindControl>>();
  /** Leased admissions not used yet, by `kind|day`. */
  private readonly leased = new Map<string, number>();
  /** Kinds and days where a block no longer fits under the ceiling: this batch counts them one by one. */
  private readonly full = new Set<string>();
  /** A block being leased right now, by `kind|day`. */
  private readonly leasing = new Map<string, Promise<boolean>>();

  override get(kind: string, consistent = false): Promise<KindControl> {
    if (consistent) return super.get(kind, true);
    let control = this.seen.get(kind);
    if (!control) {
      control = super.get(kind);
      // A failed read is not kept: the next message reads again.
      control.catch(() => this.seen.delete(kind));
      this.seen.set(kind, control);
    }
    return control;
  }

  override async admit(kind: string, at: Date): Promise<Admission> {
    const control = await this.get(kind);
    if (control.paused) return super.admit(kind, at);
    const day = vietnamDate(at);
    const block = `${kind}|${day}`;
    while (!this.full.has(block)) {
      if (this.take(block)) return { admitted: true };
      // The batch's messages run at once: one of them leases, the others wait for its block.
      const inFlight = this.leasing.get(block);
      if (inFlight) {
        await inFlight;
        continue;
      }
      const lease = this.countAdmissions(kind, day, ADMISSION_BLOCK, this.ceilingOn(control, day), at).then((ok) => {
        if (ok) this.leased.set(block, (this.leased.get(block) ?? 0) + ADMISSION_BLOCK);
        return ok;
      });
      this.leasing.set(block, lease);
      try {
        if (!(await lease)) this.full.add(block);
      } finally {
        this.leasing.delete(block);
      }
    }
    // A block no longer fits under the ceiling (or none did): one by one, and the kind pauses at the ceiling.
    if (this.take(block)) return { admitted: true };
    return super.admit(kind, at);
  }

  override async refund(kind: string, admittedAt: Date): Promise<void> {
    const block = `${kind}|${vietnamDate(admittedAt)}`;
    const left = this.leased.get(block);
    if (left === undefined) return super.refund(kind, admittedAt);
    this.leased.set(block, left + 1);
  }

  /** Gives back what the batch leased and did not use, one write per kind and day. */
  async returnUnused(): Promise<void> {
    for (const [block, left] of this.leased) {
      if (left === 0) continue;
      const [kind, day] = block.split('|') as [string, string];
      await this.uncount(kind, day, left);
      this.leased.set(block, 0);
    }
  }

  private take(block: string): boolean {
    const left = this.leased.get(block) ?? 0;
    if (left === 0) return false;
    this.leased.set(block, left - 1);
    return true;
  }
}
