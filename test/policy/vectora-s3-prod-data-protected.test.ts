import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn } from "../helpers/resources";

describe("vectora-s3-prod-data-protected", () => {
    const POLICY = "vectora-s3-prod-data-protected";

    describe("compliant", () => {
        it("passes protected prod data buckets", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "data", {}, true))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "newsletters", {}, true))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports an unprotected prod data bucket (advisory), and passes it protected", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(bucket("prod", "data")));
            assert.strictEqual(bad[0]?.level, "advisory");
            assert.match(
                bad[0].message,
                /bucket vectora-inbox-data-prod holds prod data but is not protected; declare it with \{ protect: true \}/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "data", {}, true))), []);
        });
    });

    describe("not applicable", () => {
        it("does not apply to the config bucket, to other stacks, or to other types", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyze(bucket("prod", "config"))));
            assert.ok(notApplicable(POLICY, await (await policiesFor("stage")).analyze(bucket("stage", "data"))));
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyze(fn("prod"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a bucket name unknown during preview and says so (advisory)", async () => {
            const result = of(POLICY, await (await packFor("prod")).analyze(bucket("prod", "data", { bucket: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
