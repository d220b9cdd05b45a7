import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";

/** The standard tags of prod's ingest function, with a Version. */
const tags = (Version: string) => ({
    tags: { Project: "vectora-inbox", Env: "prod", ManagedBy: "pulumi", Component: "ingest-v2", ArtifactSha256: "a".repeat(64), Version },
});

describe("vectora-promotion-prod-releases-only", () => {
    const POLICY = "vectora-promotion-prod-releases-only";

    describe("compliant", () => {
        it("passes a prod layer and a prod function that run releases", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("prod", "vectora-core", "1.3.0"))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("prod", "ingest-v2", tags("2.0.0")))), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks a prod layer whose description names a pre-release, and passes the release", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(layer("prod", "vectora-core", "1.3.0-rc.1")));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /^layer "vectora-core" runs 1\.3\.0-rc\.1, a pre-release; prod runs releases only/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("prod", "vectora-core", "1.3.0"))), []);
        });

        it("blocks a prod function tagged with a pre-release, and passes it tagged with a release", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(fn("prod", "ingest-v2", tags("2.0.0-beta"))));
            assert.match(bad[0]?.message ?? "", /^function "ingest-v2" runs 2\.0\.0-beta, a pre-release/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("prod", "ingest-v2", tags("2.0.0")))), []);
        });
    });

    describe("not applicable", () => {
        it("lets dev and stage run pre-releases, and does not apply to other types", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("stage")).analyze(layer("stage", "vectora-core", "1.3.0-rc.1"))));
            assert.ok(notApplicable(POLICY, await (await policiesFor("dev")).analyze(layer("dev", "vectora-core", "1.3.0-rc.1"))));
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyze(bucket("prod", "data"))));
        });
    });
});
