/**
 * Runs `each` over the items with at most `limit` in flight, in order of start. Control flow only (no I/O of its own):
 * the campaign's page, its validation's contact look-ups and its row writes share it.
 */
export async function inParallel<T>(items: readonly T[], limit: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await each(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
