import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn } from "../helpers/resources";

const POLICY = "vectora-lambda-no-legacy-layers";
const arn = (name: string, version = 1) => `arn:aws:lambda:eu-west-3:123456789012:layer:${name}:${version}`;

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a function on this stack's two layers", async () => {
            const pack = await policiesFor("dev");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("dev"))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports each legacy layer of the incident, even in dev, then passes once it is removed", async () => {
            const pack = await policiesFor("dev");
            for (const legacy of [
                "vectora-inbox-yaml-fix-dev",
                "vectora-inbox-yaml-minimal-dev",
                "vectora-inbox-dependencies",
                "vectora-inbox-vectora-core-approche-b-dev",
            ]) {
                const bad = of(
                    POLICY,
                    await pack.analyze(fn("dev", "ingest-v2", { layers: [arn("vectora-inbox-vectora-core-dev"), arn(legacy, 12)] })),
                );
                assert.strictEqual(bad.length, 1, legacy);
                assert.strictEqual(bad[0].level, "mandatory");
                assert.match(bad[0].message, new RegExp(`uses the legacy layer ${legacy}:12; remove it`));
            }
            assert.deepStrictEqual(
                of(POLICY, await pack.analyze(fn("dev", "ingest-v2", { layers: [arn("vectora-inbox-vectora-core-dev")] }))),
                [],
            );
        });

        it("reports a layer of another stack and a value that is not a layer version ARN", async () => {
            const pack = await policiesFor("stage");
            const bad = of(
                POLICY,
                await pack.analyze(
                    fn("stage", "ingest-v2", { layers: [arn("vectora-inbox-vectora-core-prod"), "vectora-inbox-common-deps-stage"] }),
                ),
            );
            assert.match(bad[0]?.message ?? "", /uses layer vectora-inbox-vectora-core-prod:1, which is not a layer of the stage stack/);
            assert.match(bad[1]?.message ?? "", /has layer "vectora-inbox-common-deps-stage", which is not a layer version ARN/);
        });

        it("takes its legacy list from the policy config", async () => {
            const pack = await packFor("stage");
            await pack.configure({ [POLICY]: { legacyLayerNames: ["vectora-inbox-vectora-core-stage"] } });
            try {
                const bad = of(POLICY, await pack.analyze(fn("stage")));
                assert.match(bad[0]?.message ?? "", /uses the legacy layer vectora-inbox-vectora-core-stage:7/);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("leaves layer ARNs unknown during preview to the deploy-time check, and checks the known ones", async () => {
            const pack = await packFor("stage");
            assert.deepStrictEqual(
                (await pack.analyze(fn("stage", "ingest-v2", { layers: [UNKNOWN, UNKNOWN] }))).violations.filter(
                    (v) => v.policy === POLICY,
                ),
                [],
            );
            const mixed = of(
                POLICY,
                await pack.analyze(fn("stage", "ingest-v2", { layers: [UNKNOWN, arn("vectora-inbox-yaml-fix-dev")] })),
            );
            assert.deepStrictEqual(
                mixed.map((v) => v.level),
                ["mandatory"],
            );
        });
    });
});
