import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";
import { runtimeStatus } from "../../policy/contract/runtimes";

const POLICY = "vectora-lambda-runtime-supported";

describe(POLICY, () => {
    it("dates each runtime against a given day: supported, ending within the notice, deprecated on its date, unknown", () => {
        const day = new Date("2026-11-23T12:00:00Z");
        assert.deepStrictEqual(runtimeStatus("python3.12", day), { state: "supported", deprecation: "2028-10-31" });
        assert.deepStrictEqual(runtimeStatus("nodejs22.x", day), { state: "ending", deprecation: "2027-04-30", daysLeft: 158 });
        assert.deepStrictEqual(runtimeStatus("nodejs22.x", day, 100), { state: "supported", deprecation: "2027-04-30" });
        assert.deepStrictEqual(runtimeStatus("python3.11", day), { state: "deprecated", deprecation: "2026-06-30" });
        assert.deepStrictEqual(runtimeStatus("python3.12", new Date("2028-10-31T00:00:00Z")), {
            state: "deprecated",
            deprecation: "2028-10-31",
        });
        assert.deepStrictEqual(runtimeStatus("python2.7", day), { state: "unknown" });
    });

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
            await pack.analyze(layer("stage", "common-deps", "1.0.0", "a".repeat(64), { compatibleRuntimes: ["python3.12", "python3.8"] })),
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

    it("cannot judge a runtime unknown during preview, and says so (advisory) rather than passing or blocking", async () => {
        const pack = await packFor("stage");
        const unknown = of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { runtime: UNKNOWN })));
        assert.deepStrictEqual(
            unknown.map((v) => v.level),
            ["advisory"],
        );
        assert.match(unknown[0].message, /during preview/);
    });

    it("does not apply to container images or to other types", async () => {
        const pack = await policiesFor("stage");
        assert.ok(notApplicable(POLICY, await pack.analyze(fn("stage", "ingest-v2", { packageType: "Image", runtime: undefined }))));
        assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
    });
});
