import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, layer, sourceHash } from "../helpers/resources";

const POLICY = "vectora-layer-versioned-description";
const SHA = "89abcdef01234567".repeat(4);

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a description that matches the key and the source hash", async () => {
            const pack = await policiesFor("dev");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports the team's old free-text description, and passes the fixed one", async () => {
            const pack = await policiesFor("dev");
            const bad = of(
                POLICY,
                await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA, { description: "Built from repo - version 1.2.3" })),
            );
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(
                bad[0].message,
                /has description "Built from repo - version 1\.2\.3"; expected "<component> <MAJOR\.MINOR\.PATCH> sha256:/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA))), []);
        });

        it("reports a description whose version differs from the artifact key", async () => {
            const pack = await policiesFor("dev");
            const bad = of(
                POLICY,
                await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA, { s3Key: "layers/vectora-core-1.2.4.zip" })),
            );
            assert.match(bad[0]?.message ?? "", /says "vectora-core 1\.2\.3" but is published from layers\/vectora-core-1\.2\.4\.zip/);
        });

        it("reports a layer not published from a versioned key", async () => {
            const pack = await policiesFor("dev");
            const bad = of(
                POLICY,
                await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA, { s3Key: "layers/vectora-core-v42.zip" })),
            );
            assert.match(bad[0]?.message ?? "", /is not published from the lambda-code bucket key layers\/vectora-core-1\.2\.3\.zip/);
        });

        it("reports a description whose sha256 is not the published bytes'", async () => {
            const pack = await policiesFor("dev");
            const bad = of(
                POLICY,
                await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA, { sourceCodeHash: sourceHash("f".repeat(64)) })),
            );
            assert.match(bad[0]?.message ?? "", /says sha256:89abcdef01234567 but its sourceCodeHash is sha256 ffffffffffffffff/);
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await policiesFor("dev");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("dev"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a description unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("dev");
            const result = of(POLICY, await pack.analyze(layer("dev", "vectora-core", "1.2.3", SHA, { description: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
