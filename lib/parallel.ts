/**
 * Runs `work` on every item with at most `limit` in flight, and resolves once all are done: the zip writer
 * compresses entries this way, and the policy run sends its Analyze calls this way.
 */
export async function forEachLimited<T>(
    items: readonly T[],
    limit: number,
    work: (item: T, index: number) => Promise<void>,
): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const index = next++;
            await work(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
