import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import { Declared, Release, b64, declaredRelease, deploysOf, gateOf, recordOf, release, sha } from "../helpers/stackExports";

const POLICY = "vectora-promotion-deployed-as-staged";
const STAGE = "organization/vectora-inbox/stage";

/** The ARN of prod's layer version `n` of a layer. */
function layerArn(name: string, n: number): string {
    return `arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-${name}-prod:${n}`;
}

/**
 * Prod after a deploy: what it declared, with the code hashes AWS reports on its functions and layers, its
 * layer versions' ARNs (version 7 of each) and its functions on them.
 */
function deployedProd(r: Release, codeSha256: (name: string, declared: string) => string = (_n, d) => d): Declared[] {
    const layers = [layerArn("vectora-core", 7), layerArn("common-deps", 7)];
    return declaredRelease("prod", r).map((d) => {
        const hash = () => b64(codeSha256(d.name, Buffer.from(String(d.props.sourceCodeHash), "base64").toString("hex")));
        if (d.type === "aws:lambda/function:Function") {
            return { ...d, props: { ...d.props, codeSha256: hash(), layers } };
        }
        if (d.type === "aws:lambda/layerVersion:LayerVersion") {
            return { ...d, props: { ...d.props, codeSha256: hash(), arn: layerArn(d.name, 7) } };
        }
        return d;
    });
}

describe(POLICY, () => {
    const base = release();

    describe("compliant", () => {
        it("passes when prod runs, by Lambda's own code hashes, exactly what its gate recorded stage running", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([gateOf(STAGE, recordOf(base), deploysOf(base)), ...deployedProd(base)])),
                [],
            );
        });
    });

    describe("non-compliant", () => {
        it("reports a function Lambda says runs other bytes than the gate recorded, and passes once they agree", async () => {
            const pack = await policiesFor("prod", { dryRun: false });
            const swapped = deployedProd(base, (name, declared) => (name === "ingest-v2" ? sha("swapped") : declared));
            const bad = of(POLICY, await pack.analyzeStack([gateOf(STAGE, recordOf(base), deploysOf(base)), ...swapped]));
            assert.deepStrictEqual(
                bad.map((v) => [v.level, v.urn, v.message]),
                [
                    [
                        "mandatory",
                        "urn:pulumi:prod::vectora-inbox::aws:lambda/function:Function::ingest-v2",
                        `Promotion gate: prod runs ingest-v2 1.5.0 (sha256 ${sha("swapped")}) but its promotion gate ` +
                            `recorded stage running ` +
                            `1.5.0 (sha256 ${base.functions["ingest-v2"].sha256}); prod runs only what stage ran.`,
                    ],
                ],
            );
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([gateOf(STAGE, recordOf(base), deploysOf(base)), ...deployedProd(base)])),
                [],
            );
        });

        it("in a preview, reads what the update declares, not the code hash Lambda reports for the package it replaces", async () => {
            // pulumi-aws plans an update with the old codeSha256 (simulation/plan.ts): a legitimate promotion of new
            // code shows the package prod runs now, which is not what stage runs.
            const previewed = deployedProd(base, (name, declared) => (name === "ingest-v2" ? sha("running now") : declared));
            const gate = gateOf(STAGE, recordOf(base), deploysOf(base));
            assert.deepStrictEqual(of(POLICY, await (await policiesFor("prod")).analyzeStack([gate, ...previewed])), []);
            const updated = await policiesFor("prod", { dryRun: false });
            assert.strictEqual(of(POLICY, await updated.analyzeStack([gate, ...previewed])).length, 1);
            // The declared hashes are read in a preview: a function tagged with other bytes is reported there.
            const retagged = previewed.map((d) =>
                d.name === "ingest-v2"
                    ? { ...d, props: { ...d.props, tags: { ...(d.props.tags as object), ArtifactSha256: sha("x") } } }
                    : d,
            );
            assert.deepStrictEqual(
                of(POLICY, await (await policiesFor("prod")).analyzeStack([gate, ...retagged])).map((v) => v.urn),
                ["urn:pulumi:prod::vectora-inbox::aws:lambda/function:Function::ingest-v2"],
            );
        });

        it("reports a function on a layer version that is not one of prod's own (an older one, or another stack's)", async () => {
            const pack = await policiesFor("prod", { dryRun: false });
            const gate = gateOf(STAGE, recordOf(base), deploysOf(base));
            const ours = deployedProd(base);
            const older = layerArn("vectora-core", 6);
            const onOlder = ours.map((d) =>
                d.name === "newsletter-v2" ? { ...d, props: { ...d.props, layers: [older, layerArn("common-deps", 7)] } } : d,
            );
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([gate, ...onOlder])).map((v) => [v.urn, v.message]),
                [
                    [
                        "urn:pulumi:prod::vectora-inbox::aws:lambda/function:Function::newsletter-v2",
                        `Promotion gate: function vectora-inbox-newsletter-v2-prod runs layer ${older}, not one of this stack's; ` +
                            `prod's functions run only the layer versions this stack publishes.`,
                    ],
                ],
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([gate, ...ours])), []);
        });

        it("reports a prod stack without exactly one promotion gate", async () => {
            const pack = await policiesFor("prod");
            for (const gates of [
                [],
                [gateOf(STAGE, recordOf(base), deploysOf(base)), { ...gateOf(STAGE, recordOf(base), deploysOf(base)), name: "second" }],
            ]) {
                const bad = of(POLICY, await pack.analyzeStack([...gates, ...deployedProd(base)]));
                assert.match(bad[0]?.message ?? "", new RegExp(`the prod stack has ${gates.length} promotion gates`));
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to dev and stage", async () => {
            for (const stack of ["dev", "stage"]) {
                const pack = await policiesFor(stack);
                assert.ok(notApplicable(POLICY, await pack.analyzeStack(deployedProd(base))), stack);
            }
        });
    });
});
