import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";
import { pinClock } from "../helpers/clock";

const POLICY = "vectora-lambda-runtime-ending";
/** 152 days before python3.12's deprecation date (2028-10-31), within the default notice of 180 days. */
const NOTICE_DAY = "2028-06-01T00:00:00Z";
/** 304 days before it: outside the notice. */
const EARLIER_DAY = "2028-01-01T00:00:00Z";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes python3.12 while its deprecation date is further away than the notice", async () => {
            const restore = pinClock(EARLIER_DAY);
            try {
                const pack = await policiesFor("stage");
                assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
                assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("stage"))), []);
            } finally {
                restore();
            }
        });
    });

    describe("non-compliant", () => {
        it("reports python3.12 (advisory) once its date is within the notice, and not when the notice is shorter", async () => {
            const pack = await packFor("stage", { now: NOTICE_DAY });
            try {
                await pack.configure({ [POLICY]: { warningDays: 153 } });
                const ending = of(POLICY, await pack.analyze(fn("stage")));
                assert.strictEqual(ending.length, 1);
                assert.strictEqual(ending[0].level, "advisory");
                assert.match(
                    ending[0].message,
                    /function "ingest-v2" uses python3\.12, which AWS deprecates on 2028-10-31 \(in 152 days\); plan the move/,
                );
                assert.strictEqual(of(POLICY, await pack.analyze(layer("stage"))).length, 1);
                await pack.configure({ [POLICY]: { warningDays: 150 } });
                assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("leaves deprecated runtimes to vectora-lambda-runtime-supported, and other types alone", async () => {
            const pack = await packFor("stage", { now: NOTICE_DAY });
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: "python3.9" }))), []);
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("says it cannot run on a layer whose runtimes are unknown during preview (advisory)", async () => {
            const pack = await packFor("stage", { now: NOTICE_DAY });
            assert.match(
                of(POLICY, await pack.analyze(layer("stage", "common-deps", "1.0.0", "a".repeat(64), { compatibleRuntimes: UNKNOWN })))[0]
                    ?.message ?? "",
                /during preview/,
            );
        });
    });
});
