/**
 * A pinned clock for tests that depend on the date: from `pinClock(iso)` on, `new Date()` and `Date.now()` start at
 * that instant and run on from there (nothing waits on a frozen clock), until the returned function puts the real
 * clock back. Loaded with `node --require` and VECTORA_TEST_NOW set, it pins the clock of that whole process: a
 * policy pack started by a test (packFor(stack, { now })).
 */
export function pinClock(iso: string): () => void {
    const Real = Date;
    const offset = Real.parse(iso) - Real.now();
    if (Number.isNaN(offset)) {
        throw new Error(`pinClock: ${iso} is not a date`);
    }
    class Pinned extends Real {
        constructor(...args: unknown[]) {
            super(...((args.length === 0 ? [Real.now() + offset] : args) as [number]));
        }

        static override now(): number {
            return Real.now() + offset;
        }
    }
    globalThis.Date = Pinned as DateConstructor;
    return () => {
        globalThis.Date = Real;
    };
}

if (process.env.VECTORA_TEST_NOW) {
    pinClock(process.env.VECTORA_TEST_NOW);
}
