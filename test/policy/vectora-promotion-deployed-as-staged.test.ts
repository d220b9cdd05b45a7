import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, TestResource, UNKNOWN } from "../helpers/pack";
import { canonicalManifest, fn, layer, promotionGate, stackReference } from "../helpers/resources";

const POLICY = "vectora-promotion-deployed-as-staged";
const CORE_SHA = "c0".repeat(32);
const INGEST_SHA = "a".repeat(64);
const CANON_SHA = "9".repeat(64);

const SHOWN = {
    "vectora-core": { version: "1.2.3", sha256: CORE_SHA, built: true },
    "ingest-v2": { version: "1.5.0", sha256: INGEST_SHA, built: true },
    canonical: { version: "1.1", sha256: CANON_SHA, built: true },
};

/** What prod deploys (one layer, one function, the canonical manifest), with its gate. */
function prod(options: { coreVersion?: string; deploys?: unknown; gates?: number } = {}): TestResource[] {
    const ingest = fn("prod");
    const gates = Array.from({ length: options.gates ?? 1 }, () => promotionGate({ artifacts: SHOWN }, options.deploys ?? SHOWN));
    return [
        ...gates,
        layer("prod", "vectora-core", options.coreVersion ?? "1.2.3", CORE_SHA),
        { ...ingest, props: { ...ingest.props, tags: { Component: "ingest-v2", Version: "1.5.0", ArtifactSha256: INGEST_SHA } } },
        canonicalManifest("prod", "1.1", CANON_SHA),
    ];
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes when every layer, function and canonical set deployed is what the gate was shown", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(prod())), []);
        });

        it("reaches the same verdicts if the engine ever sends the StackReference it does not send today", async () => {
            const pack = await policiesFor("prod");
            const reference = stackReference("organization/vectora-inbox/stage", { artifacts: {} });
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([...prod(), reference])), []);
            assert.strictEqual(of(POLICY, await pack.analyzeStack([...prod({ coreVersion: "1.3.0" }), reference])).length, 1);
        });
    });

    describe("non-compliant", () => {
        it("fails when the stack deploys another version than the gate was shown, and passes once they agree", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyzeStack(prod({ coreVersion: "1.3.0" })));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /prod deploys vectora-core 1\.3\.0 \(sha256 c0c0c0c0c0c0c0c0\) but its promotion gate was shown 1\.2\.3 \(sha256 c0c0c0c0c0c0c0c0\)/,
            );
            assert.match(bad[0].urn ?? "", /LayerVersion::vectora-core$/);
            const shown = { ...SHOWN, "vectora-core": { version: "1.3.0", sha256: CORE_SHA, built: true } };
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(prod({ coreVersion: "1.3.0", deploys: shown }))), []);
        });

        it("fails closed without exactly one gate", async () => {
            const pack = await policiesFor("prod");
            for (const gates of [0, 2]) {
                const bad = of(POLICY, await pack.analyzeStack(prod({ gates })));
                assert.strictEqual(bad.length, 1, String(gates));
                assert.match(bad[0].message, new RegExp(`the prod stack has ${gates} promotion gates .* The gate fails closed\\.$`));
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to the dev and stage stacks", async () => {
            for (const stack of ["dev", "stage"]) {
                assert.ok(notApplicable(POLICY, await (await policiesFor(stack)).analyzeStack(prod({ gates: 0 }))), stack);
            }
        });
    });

    describe("unknown during preview", () => {
        it("fails closed when the gate's list is unknown during preview, or what a resource deploys is", async () => {
            const pack = await packFor("prod");
            const unknownList = of(POLICY, await pack.analyzeStack(prod({ deploys: UNKNOWN })));
            assert.deepStrictEqual(
                unknownList.map((v) => v.level),
                ["mandatory"],
            );
            assert.match(unknownList[0].message, /the promotion gate's list of what prod deploys is unknown during this preview/);
            const resources = prod();
            resources[1] = { ...resources[1], props: { ...resources[1].props, description: UNKNOWN } };
            const unknownLayer = of(POLICY, await pack.analyzeStack(resources));
            assert.match(
                unknownLayer[0]?.message ?? "",
                /cannot verify vectora-core because its description is unknown during this preview; the gate fails closed/,
            );
        });
    });
});
