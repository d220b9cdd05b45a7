import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";
import { pinClock } from "../helpers/clock";

const POLICY = "vectora-lambda-runtime-supported";
/** A day when python3.12 is supported and python3.8 and python3.9 are deprecated. */
const TODAY = "2027-01-01T00:00:00Z";

describe(POLICY, () => {
    let restore: () => void;
    before(() => (restore = pinClock(TODAY)));
    after(() => restore());

    describe("compliant", () => {
        it("passes a function and a layer on python3.12 before its deprecation date", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("stage"))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a function moved to python3.9, then passes it back on python3.12", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: "python3.9" })));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(bad[0].message, /function "ingest-v2" uses python3\.9, deprecated by AWS since 2025-12-15/);
            assert.match(bad[0].message, /move to one of .*python3\.12/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
        });

        it("reports a layer that still lists a deprecated runtime, and a runtime the table does not know", async () => {
            const pack = await policiesFor("stage");
            const old = of(
                POLICY,
                await pack.analyze(
                    layer("stage", "common-deps", "1.0.0", "a".repeat(64), { compatibleRuntimes: ["python3.12", "python3.8"] }),
                ),
            );
            assert.deepStrictEqual(
                old.map((v) => /uses (\S+),/.exec(v.message)?.[1]),
                ["python3.8"],
            );
            const unknown = of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: "python4.0" })));
            assert.match(
                unknown[0]?.message ?? "",
                /uses python4\.0, which is not in the pack's runtime table \(policy\/contract\/runtimes\.ts\)/,
            );
            assert.match(
                of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: undefined })))[0]?.message ?? "",
                /declares no runtime/,
            );
        });
    });

    describe("not applicable", () => {
        it("does not apply to container images or to other types", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(fn("stage", "ingest-v2", { packageType: "Image", runtime: undefined }))));
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot judge a runtime unknown during preview, and says so (advisory) rather than passing or blocking", async () => {
            const pack = await packFor("stage", { now: TODAY });
            const unknown = of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: UNKNOWN })));
            assert.deepStrictEqual(
                unknown.map((v) => v.level),
                ["advisory"],
            );
            assert.match(unknown[0].message, /during preview/);
        });
    });
});
