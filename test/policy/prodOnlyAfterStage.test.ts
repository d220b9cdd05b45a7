import * as assert from "assert";
import { notApplicable, of, packFor, TestResource, UNKNOWN } from "../helpers/pack";
import { canonicalManifest, fn, layer, stackReference } from "../helpers/resources";

const POLICY = "vectora-promotion-stage-first";
const CORE_SHA = "c0".repeat(32);
const INGEST_SHA = "a".repeat(64);
const CANON_SHA = "9".repeat(64);
const STAGE = "organization/vectora-inbox/stage";

function stageOutputs(overrides: Record<string, unknown> = {}) {
    return {
        env: "stage",
        artifacts: {
            "vectora-core": { version: "1.2.3", sha256: CORE_SHA, key: "layers/vectora-core-1.2.3.zip" },
            "ingest-v2": { version: "1.5.0", sha256: INGEST_SHA, key: "lambdas/ingest-v2-1.5.0.zip" },
            canonical: { version: "1.1", sha256: CANON_SHA },
            ...overrides,
        },
    };
}

/** What prod deploys: one layer, one function, the canonical manifest, and the stage reference. */
function prod(stage: unknown, changes: { coreVersion?: string; coreSha?: string; ingestTags?: Record<string, unknown> } = {}): TestResource[] {
    const ingest = fn("prod");
    return [
        layer("prod", "vectora-core", changes.coreVersion ?? "1.2.3", changes.coreSha ?? CORE_SHA),
        { ...ingest, props: { ...ingest.props, tags: changes.ingestTags ?? { Component: "ingest-v2", Version: "1.5.0", ArtifactSha256: INGEST_SHA } } },
        canonicalManifest("prod", "1.1", CANON_SHA),
        ...(stage === undefined ? [] : [stackReference(STAGE, stage)]),
    ];
}

describe(POLICY, () => {
    it("passes when stage runs the same versions with the same hashes", async () => {
        const pack = await packFor("prod");
        assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(prod(stageOutputs()))), []);
    });

    it("fails when one version differs, naming the artifact and both versions, and passes once stage runs it", async () => {
        const pack = await packFor("prod");
        const bad = of(POLICY, await pack.analyzeStack(prod(stageOutputs(), { coreVersion: "1.3.0" })));
        assert.strictEqual(bad.length, 1);
        assert.strictEqual(bad[0].level, "mandatory");
        assert.match(bad[0].message, /prod would deploy vectora-core 1\.3\.0 but stage runs vectora-core 1\.2\.3; promote 1\.3\.0 to stage first/);
        assert.match(bad[0].urn ?? "", /LayerVersion::vectora-core$/);
        const promoted = stageOutputs({ "vectora-core": { version: "1.3.0", sha256: CORE_SHA } });
        assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(prod(promoted, { coreVersion: "1.3.0" }))), []);
    });

    it("fails on the same version with other bytes: a rebuild is not a promotion", async () => {
        const pack = await packFor("prod");
        const other = "d1".repeat(32);
        const bad = of(POLICY, await pack.analyzeStack(prod(stageOutputs(), { ingestTags: { Component: "ingest-v2", Version: "1.5.0", ArtifactSha256: other } })));
        assert.strictEqual(bad.length, 1);
        assert.match(bad[0].message, /prod would deploy ingest-v2 1\.5\.0 with sha256 d1d1d1d1d1d1d1d1 but stage runs 1\.5\.0 with sha256 aaaaaaaaaaaaaaaa: same version, other bytes is a rebuild, not a promotion/);
    });

    it("fails when stage does not run an artifact prod deploys, and on the canonical set", async () => {
        const pack = await packFor("prod");
        const { canonical: _c, ...withoutCanonical } = stageOutputs().artifacts;
        const bad = of(POLICY, await pack.analyzeStack(prod({ env: "stage", artifacts: withoutCanonical })));
        assert.match(bad[0]?.message ?? "", /prod would deploy canonical 1\.1 \(sha256 9999999999999999\) but stage organization\/vectora-inbox\/stage does not run canonical/);
    });

    it("fails closed when prod reads no stage stack", async () => {
        const pack = await packFor("prod");
        const bad = of(POLICY, await pack.analyzeStack(prod(undefined)));
        assert.strictEqual(bad.length, 1);
        assert.strictEqual(bad[0].level, "mandatory");
        assert.match(bad[0].message, /prod reads no stage stack through a pulumi\.StackReference; .* the gate fails closed/);
    });

    it("fails closed when stage exports no artifacts", async () => {
        const pack = await packFor("prod");
        const bad = of(POLICY, await pack.analyzeStack(prod({ env: "stage" })));
        assert.match(bad[0]?.message ?? "", /stage stack organization\/vectora-inbox\/stage exports no artifacts output/);
    });

    it("fails closed, as a mandatory violation, when stage's outputs are unknown during preview", async () => {
        const pack = await packFor("prod");
        const bad = of(POLICY, await pack.analyzeStack(prod(UNKNOWN)));
        assert.deepStrictEqual(bad.map((v) => v.level), ["mandatory"]);
        assert.match(bad[0].message, /the outputs of stage stack organization\/vectora-inbox\/stage are unknown, so nothing prod deploys can be verified; the gate fails closed/);
    });

    it("fails closed, as a mandatory violation, when what prod deploys is unknown during preview", async () => {
        const pack = await packFor("prod");
        const resources = prod(stageOutputs());
        resources[0] = { ...resources[0], props: { ...resources[0].props, description: UNKNOWN } };
        const bad = of(POLICY, await pack.analyzeStack(resources));
        assert.deepStrictEqual(bad.map((v) => v.level), ["mandatory"]);
        assert.match(bad[0].message, /cannot verify vectora-core because its description is unknown during this preview; the gate fails closed/);
    });

    it("uses the configured stage stack name", async () => {
        const pack = await packFor("prod");
        await pack.configure({ [POLICY]: { stageStack: "acme/vectora-inbox/stage" } });
        try {
            const bad = of(POLICY, await pack.analyzeStack(prod(stageOutputs())));
            assert.match(bad[0]?.message ?? "", /prod reads no stage stack through a pulumi\.StackReference named "acme\/vectora-inbox\/stage" \(it reads organization\/vectora-inbox\/stage\)/);
        } finally {
            await pack.configure();
        }
    });

    it("does not apply to the dev and stage stacks", async () => {
        for (const stack of ["dev", "stage"]) {
            const pack = await packFor(stack);
            assert.ok(notApplicable(POLICY, await pack.analyzeStack(prod(undefined))), stack);
        }
    });
});
