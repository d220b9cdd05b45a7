import * as assert from "assert";
import { notApplicable, of, packFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";
import { RUNTIME_DEPRECATION } from "../../policy/contract/runtimes";

const POLICY = "vectora-lambda-runtime-ending";
const DAY_MS = 86_400_000;

/** Days from now to a runtime's deprecation date, computed here from the table's date. */
function daysUntil(runtime: string): number {
    return Math.ceil((Date.parse(`${RUNTIME_DEPRECATION[runtime]}T00:00:00Z`) - Date.now()) / DAY_MS);
}

describe(POLICY, () => {
    // Today's date moves: the notice is widened or narrowed around python3.12's real date rather than assuming one.
    it("reports python3.12 (advisory) once its date is within the notice, and not when the notice is shorter", async () => {
        const pack = await packFor("stage");
        const left = daysUntil("python3.12");
        assert.ok(left > 1, "python3.12 is deprecated: update the program's runtime and this test");
        try {
            await pack.configure({ [POLICY]: { warningDays: left + 1 } });
            const ending = of(POLICY, await pack.analyze(fn("stage")));
            assert.strictEqual(ending.length, 1);
            assert.strictEqual(ending[0].level, "advisory");
            assert.match(
                ending[0].message,
                /function "ingest-v2" uses python3\.12, which AWS deprecates on 2028-10-31 \(in \d+ days\); plan the move/,
            );
            assert.strictEqual(of(POLICY, await pack.analyze(layer("stage"))).length, 1);
            await pack.configure({ [POLICY]: { warningDays: left - 2 } });
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
        } finally {
            await pack.configure();
        }
    });

    it("says it cannot run on a layer whose runtimes are unknown during preview (advisory)", async () => {
        const pack = await packFor("stage");
        assert.match(
            of(POLICY, await pack.analyze(layer("stage", "common-deps", "1.0.0", "a".repeat(64), { compatibleRuntimes: UNKNOWN })))[0]
                ?.message ?? "",
            /during preview/,
        );
    });

    it("leaves deprecated runtimes to vectora-lambda-runtime-supported, and other types alone", async () => {
        const pack = await packFor("stage");
        assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: "python3.9" }))), []);
        assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
    });
});
