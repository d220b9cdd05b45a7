import * as assert from "assert";
import { AnalysisResult, Violation } from "../../pulumi/analyzerClient";
import { pinnedSource } from "../../policy/support/promotionGatePolicy";
import { notApplicable, of, policiesFor, PoliciesInProcess } from "../helpers/pack";
import { bucket } from "../helpers/resources";
import {
    Declared,
    Release,
    b64,
    declaredRelease,
    deployedExport,
    deploysOf,
    fileAsset,
    gateOf,
    passedTags,
    recordOf,
    release,
    sha,
    stackExport,
    useOfflineExports,
} from "../helpers/stackExports";

const POLICY = "vectora-promotion-stage-first";
const STAGE = "organization/vectora-inbox/stage";
const GATE_URN = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";

/** Stage runs `running`; prod declares `declared` with this gate. Returns every violation of the policy, by resource. */
async function verdicts(
    pack: PoliciesInProcess,
    running: Release | Record<string, unknown>,
    declared: readonly Declared[],
): Promise<Violation[]> {
    useOfflineExports({ [STAGE]: "core" in running ? deployedExport("stage", running as Release) : running });
    const all: Violation[] = [];
    for (const r of declared) {
        const result: AnalysisResult = await pack.analyze({ ...r });
        all.push(...of(POLICY, result));
    }
    return all;
}

/** Prod declaring a release, with a gate that records stage as the program read it. */
function prod(r: Release, record: Release = r): Declared[] {
    return [gateOf(STAGE, recordOf(record), deploysOf(r)), ...declaredRelease("prod", r)];
}

function messages(violations: readonly Violation[]): string[] {
    return violations.map((v) => `${(v.urn ?? "").slice((v.urn ?? "").lastIndexOf("::") + 2)}: ${v.message}`);
}

describe(POLICY, () => {
    const base = release();
    const older = release("older", { "ingest-v2": "1.4.0" });
    const PROD = "organization/vectora-inbox/prod";
    const bumped = release("1.5.1", { "ingest-v2": "1.5.1" });
    // 1.5.1 of ingest-v2 beside the base release of everything else.
    const next: Release = { ...base, functions: { ...base.functions, "ingest-v2": bumped.functions["ingest-v2"] } };

    describe("compliant", () => {
        it("passes the gate and every resource that carries an artifact when stage runs exactly what prod deploys", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(await verdicts(pack, base, prod(base)), []);
        });

        it("passes whatever layer version numbers stage's functions run, as long as they run the layers' bytes", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(await verdicts(pack, deployedExport("stage", base, { core: 9, deps: 4 }), prod(base)), []);
        });

        it("lets prod go back to a release it ran and passed itself, on the gate and every resource, whatever stage runs", async () => {
            useOfflineExports({ [STAGE]: deployedExport("stage", base) }, { [PROD]: passedTags(older, "2026-10-01T00:00:00.000Z") });
            const pack = await policiesFor("prod");
            const declared = [gateOf(STAGE, recordOf(older), deploysOf(older), "own-history"), ...declaredRelease("prod", older)];
            const found: Violation[] = [];
            for (const r of declared) {
                found.push(...of(POLICY, await pack.analyze(r)));
            }
            assert.deepStrictEqual(found, []);
        });
    });

    describe("non-compliant", () => {
        it("blocks a version stage does not run on the gate, the function and its zip; passes once stage runs it", async () => {
            const pack = await policiesFor("prod");
            const bad = await verdicts(pack, base, prod(next, base));
            assert.ok(bad.every((v) => v.level === "mandatory"));
            const because =
                "prod would deploy ingest-v2 1.5.1 but stage runs ingest-v2 1.5.0; promote 1.5.1 to stage first (npm run " +
                "promote -- --to stage) and let it run there.";
            assert.deepStrictEqual(messages(bad), [
                `promotion-gate: Promotion gate: ${because}`,
                `ingest-v2-zip: Promotion gate: zip lambdas/ingest-v2-1.5.1.zip: ${because}`,
                `ingest-v2: Promotion gate: function vectora-inbox-ingest-v2-prod: ${because}`,
            ]);
            assert.strictEqual(bad[0].urn, GATE_URN);
            assert.deepStrictEqual(await verdicts(pack, next, prod(next)), []);
        });

        it("blocks the same version with other bytes: a rebuild is not a promotion", async () => {
            const pack = await policiesFor("prod");
            const rebuilt: Release = {
                ...base,
                functions: { ...base.functions, "ingest-v2": { version: "1.5.0", sha256: sha("rebuilt") } },
            };
            const bad = messages(await verdicts(pack, base, prod(rebuilt, base)));
            assert.strictEqual(bad.length, 3);
            for (const message of bad) {
                assert.match(
                    message,
                    new RegExp(
                        `prod would deploy ingest-v2 1\\.5\\.0 with sha256 ${sha("rebuilt")} but stage runs 1\\.5\\.0 with ` +
                            `sha256 ${base.functions["ingest-v2"].sha256}: same version, other bytes is a rebuild`,
                    ),
                );
            }
        });

        it("blocks a gate whose record of stage is not stage's state (a forged or stale record), naming the artifact", async () => {
            const pack = await policiesFor("prod");
            // The program claims stage runs 1.5.1 (e.g. from outputs a targeted update rewrote); stage's function runs 1.5.0.
            const bad = messages(await verdicts(pack, base, [gateOf(STAGE, recordOf(next), deploysOf(next))]));
            assert.deepStrictEqual(bad, [
                `promotion-gate: Promotion gate: the program recorded stage running ingest-v2 1.5.1 (sha256 ` +
                    `${next.functions["ingest-v2"].sha256}) ` +
                    `but ${STAGE}'s state says 1.5.0 (sha256 ${base.functions["ingest-v2"].sha256}).`,
                "promotion-gate: Promotion gate: prod would deploy ingest-v2 1.5.1 but stage runs ingest-v2 1.5.0; promote " +
                    "1.5.1 to stage first (npm run promote -- --to stage) and let it run there.",
            ]);
        });

        it("blocks a function that deploys other bytes than the gate was shown, on the function itself", async () => {
            const pack = await policiesFor("prod");
            const declared = prod(base).map((r) =>
                r.type === "aws:lambda/function:Function" && r.name === "ingest-v2"
                    ? { ...r, props: { ...r.props, sourceCodeHash: b64(sha("other")) } }
                    : r,
            );
            assert.deepStrictEqual(messages(await verdicts(pack, base, declared)), [
                `ingest-v2: Promotion gate: function vectora-inbox-ingest-v2-prod: prod would deploy ingest-v2 1.5.0 with ` +
                    `sha256 ${sha("other")} ` +
                    `but stage runs 1.5.0 with sha256 ${base.functions["ingest-v2"].sha256}: same version, other bytes is a ` +
                    `rebuild, not a promotion; ` +
                    "deploy the commit stage runs, or bump the version and go through stage.",
            ]);
        });

        it("blocks a zip whose bytes (the engine's hash of its file) are not stage's, whatever its key and tags say", async () => {
            const pack = await policiesFor("prod");
            const declared = prod(base).map((r) =>
                r.name === "ingest-v2-zip"
                    ? { ...r, props: { ...r.props, source: fileAsset(".build/artifacts/ingest-v2-1.5.0.zip", sha("swapped")) } }
                    : r,
            );
            assert.deepStrictEqual(messages(await verdicts(pack, base, declared)).length, 1);
            const noHash = prod(base).map((r) =>
                r.name === "ingest-v2-zip"
                    ? {
                          ...r,
                          props: {
                              ...r.props,
                              source: { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", path: "x.zip" },
                          },
                      }
                    : r,
            );
            assert.match(
                messages(await verdicts(pack, base, noHash)).join("\n"),
                /zip lambdas\/ingest-v2-1\.5\.0\.zip carries no full sha256 in its bytes, so its bytes cannot be verified/,
            );
        });

        it("blocks an upload into the code or config bucket by a type whose bytes it cannot verify", async () => {
            const pack = await policiesFor("prod");
            const uploads: Declared[] = [
                {
                    type: "aws:s3/bucketObject:BucketObject",
                    name: "side-zip",
                    props: {
                        bucket: "vectora-inbox-lambda-code-prod",
                        key: "lambdas/ingest-v2-1.6.0.zip",
                        source: fileAsset("x.zip", sha("x")),
                    },
                },
                {
                    type: "aws:s3/objectCopy:ObjectCopy",
                    name: "copied",
                    props: { bucket: "vectora-inbox-config-prod", key: "canonical/clients/lai_weekly.yaml", source: "elsewhere/x.yaml" },
                },
            ];
            assert.deepStrictEqual(messages(await verdicts(pack, base, uploads)), [
                "side-zip: Promotion gate: prod would write lambdas/ingest-v2-1.6.0.zip into vectora-inbox-lambda-code-prod with " +
                    "aws:s3/bucketObject:BucketObject, whose bytes the gate cannot verify; artifacts and canonical files go up as " +
                    "aws:s3/bucketObjectv2:BucketObjectv2 only; the gate fails closed.",
                "copied: Promotion gate: prod would write canonical/clients/lai_weekly.yaml into vectora-inbox-config-prod with " +
                    "aws:s3/objectCopy:ObjectCopy, whose bytes the gate cannot verify; artifacts and canonical files go up as " +
                    "aws:s3/bucketObjectv2:BucketObjectv2 only; the gate fails closed.",
            ]);
            // The same uploads into a data bucket are not the gate's business.
            const elsewhere = uploads.map((u) => ({ ...u, props: { ...u.props, bucket: "vectora-inbox-data-prod" } }));
            assert.deepStrictEqual(await verdicts(pack, base, elsewhere), []);
        });

        it("blocks a canonical file or manifest that is not what stage holds", async () => {
            const pack = await policiesFor("prod");
            const declared = prod(base).map((r) =>
                r.name === "canonical/clients/lai_weekly.yaml"
                    ? { ...r, props: { ...r.props, source: fileAsset("canonical/clients/lai_weekly.yaml", sha("edited")) } }
                    : r,
            );
            assert.deepStrictEqual(messages(await verdicts(pack, base, declared)), [
                `canonical/clients/lai_weekly.yaml: Promotion gate: prod would write canonical/clients/lai_weekly.yaml with ` +
                    `sha256 ${sha("edited")} ` +
                    `but stage holds ${base.canonical.files["clients/lai_weekly.yaml"]}.`,
            ]);
        });

        it("fails closed on every resource when stage's state does not hang together (a code change by hand in stage)", async () => {
            const pack = await policiesFor("prod");
            const doc = deployedExport("stage", base);
            const fnState = (doc.deployment as { resources: Array<{ urn: string; outputs: Record<string, unknown> }> }).resources.find(
                (r) => r.urn.endsWith("::ingest-v2"),
            );
            (fnState as { outputs: Record<string, unknown> }).outputs.codeSha256 = b64(sha("console upload"));
            const bad = await verdicts(pack, doc, prod(base));
            assert.strictEqual(bad.length, 1 + declaredRelease("prod", base).length);
            assert.match(
                bad[0].message,
                /stage stack organization\/vectora-inbox\/stage cannot be trusted as evidence: function vectora-inbox-ingest-v2-stage runs code with sha256/,
            );
        });

        it("fails closed when stage's state cannot be read, saying why", async () => {
            const pack = await policiesFor("prod");
            useOfflineExports({ "organization/elsewhere/stage": stackExport("stage", []) });
            const result = await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(base)));
            assert.deepStrictEqual(
                of(POLICY, result).map((v) => v.message),
                [
                    `Promotion gate: stage stack ${STAGE} cannot be trusted as evidence: VECTORA_OFFLINE_STACK_EXPORTS ` +
                        `(${process.env.VECTORA_OFFLINE_STACK_EXPORTS}) names no export of ${STAGE}.`,
                ],
            );
        });

        it("blocks a gate that read another stack than the pinned one, and a config that pins another stack", async () => {
            const pack = await policiesFor("prod");
            const scratch = "organization/scratch/stage";
            assert.deepStrictEqual(messages(await verdicts(pack, base, [gateOf(scratch, recordOf(base), deploysOf(base))])), [
                `promotion-gate: Promotion gate: the promotion gate read ${scratch}, not the pinned stage stack ${STAGE}.`,
            ]);
            // A --policy-pack-config may repeat the pack's own pin, never name another stack.
            assert.strictEqual(pinnedSource("prod", { stageStack: STAGE }), STAGE);
            assert.deepStrictEqual(pinnedSource("prod", { stageStack: scratch }), {
                problem:
                    `the policy config pins stageStack to "${scratch}" but the pack pins ${STAGE}; prod takes its ` +
                    `artifacts from the pinned stage stack only`,
            });
        });

        it("refuses a release prod never passed, a rollback without its basis or recording another, a resource outside them", async () => {
            const other = release("other", { "ingest-v2": "1.4.1" });
            useOfflineExports({ [STAGE]: deployedExport("stage", base) }, { [PROD]: passedTags(older, "2026-10-01T00:00:00.000Z") });
            const pack = await policiesFor("prod");
            const never = of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(other), deploysOf(other), "own-history")));
            assert.match(never[0]?.message ?? "", /restores a release prod has no passing smoke test of on record/);
            // Without the rollback's basis the gate is a promotion, which stage decides: it runs another release.
            const hidden = of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(older))));
            assert.ok(
                hidden.some((v) => /prod would deploy ingest-v2 1\.4\.0 but stage runs ingest-v2 1\.5\.0/.test(v.message)),
                hidden.map((v) => v.message).join("\n"),
            );
            const misrecorded = of(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(older), "own-history")));
            assert.match(misrecorded[0]?.message ?? "", /restores a release prod ran and passed before, but records another one/);
            const fn = declaredRelease("prod", other).find((r) => r.name === "ingest-v2") as Declared;
            assert.strictEqual(of(POLICY, await pack.analyze(fn)).length, 1);
        });
    });

    describe("not applicable", () => {
        it("does not apply to dev and stage, nor to resources that carry no artifact", async () => {
            useOfflineExports({ [STAGE]: deployedExport("stage", base) });
            for (const stack of ["dev", "stage"]) {
                const pack = await policiesFor(stack);
                assert.ok(notApplicable(POLICY, await pack.analyze(gateOf(STAGE, recordOf(base), deploysOf(base)))), stack);
            }
            const pack = await policiesFor("prod");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("prod"))));
        });
    });
});
