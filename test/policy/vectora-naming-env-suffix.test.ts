import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";

const POLICY = "vectora-naming-env-suffix";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes names that end in the stack's environment", async () => {
            const pack = await policiesFor("stage");
            for (const r of [bucket("stage"), fn("stage"), layer("stage")]) {
                assert.deepStrictEqual(of(POLICY, await pack.analyze(r)), [], r.type);
            }
        });
    });

    describe("non-compliant", () => {
        it("reports a name of another environment, then passes it once renamed", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyze(bucket("stage", "data", { bucket: "vectora-inbox-data-dev" })));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(bad[0].message, /"data" is named "vectora-inbox-data-dev", which does not end in -stage; rename it/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("stage", "data", { bucket: "vectora-inbox-data-stage" }))), []);
        });

        it("reports an auto-named resource and a name prefix", async () => {
            const pack = await policiesFor("prod");
            // As the engine sends it: after the provider's Check, which auto-named the role and listed name in __defaults.
            const noName = of(POLICY, await pack.analyze({ type: "aws:iam/role:Role", name: "r", props: { assumeRolePolicy: "{}" } }));
            assert.match(
                noName[0]?.message ?? "",
                /"r" has no explicit name and would be auto-named \(the provider chose "r-[0-9a-f]{7}"\); set name to a name ending in -prod/,
            );
            const prefixed = of(POLICY, await pack.analyze({ type: "aws:iam/role:Role", name: "r", props: { namePrefix: "vectora-" } }));
            assert.match(prefixed[0]?.message ?? "", /sets namePrefix, so AWS adds a random suffix/);
        });

        it("reports every named resource of a stack outside dev, stage and prod", async () => {
            const pack = await policiesFor("qa");
            const bad = of(POLICY, await pack.analyze(bucket("qa")));
            assert.match(bad[0]?.message ?? "", /stack "qa" is not one of dev, stage, prod/);
        });
    });

    describe("not applicable", () => {
        it("does not apply to resources without a physical name, nor to Pulumi's own", async () => {
            const pack = await policiesFor("stage");
            assert.ok(
                notApplicable(
                    POLICY,
                    await pack.analyze({ type: "aws:s3/bucketObjectv2:BucketObjectv2", name: "o", props: { key: "canonical/x.yaml" } }),
                ),
            );
            assert.ok(
                notApplicable(
                    POLICY,
                    await pack.analyze({ type: "pulumi:providers:aws", name: "default", props: { region: "eu-west-3" } }),
                ),
            );
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a name unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            const result = of(POLICY, await pack.analyze(bucket("stage", "data", { bucket: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /can't run policy 'vectora-naming-env-suffix' .* during preview/);
        });
    });
});
