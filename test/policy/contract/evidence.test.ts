import * as assert from "assert";
import { evidenceFromExport, releaseDigest } from "../../../policy/contract/evidence";
import { promotionProblems } from "../../../policy/contract/promotion";
import {
    b64,
    canonicalState,
    deployedExport,
    functionState,
    layerArn,
    layerState,
    release,
    sha,
    stackExport,
} from "../../helpers/stackExports";

const STAGE = "organization/vectora-inbox/stage";

describe("evidence: what a stack runs, read from its resources", () => {
    it("reads every artifact from the resources: versions from tags and descriptions, bytes from Lambda's codeSha256", () => {
        const r = release();
        const evidence = evidenceFromExport(deployedExport("stage", r), STAGE);
        assert.deepStrictEqual(evidence.problems, []);
        assert.deepStrictEqual(Object.fromEntries(Object.entries(evidence.artifacts).map(([k, a]) => [k, `${a.version} ${a.sha256}`])), {
            canonical: `1.1 ${r.canonical.sha256}`,
            "common-deps": `1.0.5 ${r.deps.sha256}`,
            "ingest-v2": `1.5.0 ${r.functions["ingest-v2"].sha256}`,
            "newsletter-v2": `1.8.0 ${r.functions["newsletter-v2"].sha256}`,
            "normalize-score-v2": `2.1.0 ${r.functions["normalize-score-v2"].sha256}`,
            "vectora-core": `1.2.3 ${r.core.sha256}`,
        });
        assert.deepStrictEqual(evidence.canonicalFiles, r.canonical.files);
        assert.strictEqual(evidence.artifacts["ingest-v2"].since, "2026-11-01T10:00:00.000+0000");
    });

    it("digests a release as one sha256 over sorted `name version sha256` lines", () => {
        const artifacts = { b: { version: "2.0.0", sha256: "b".repeat(64) }, a: { version: "1.0.0", sha256: "a".repeat(64) } };
        assert.strictEqual(releaseDigest(artifacts), sha(`a 1.0.0 ${"a".repeat(64)}\nb 2.0.0 ${"b".repeat(64)}\n`));
        const r = release();
        const digest = evidenceFromExport(deployedExport("stage", r), STAGE).digest;
        assert.strictEqual(digest, evidenceFromExport(deployedExport("stage", r, { core: 7, deps: 3 }), STAGE).digest);
        assert.notStrictEqual(digest, evidenceFromExport(deployedExport("stage", release("other")), STAGE).digest);
    });

    it("says stage runs nothing when stage was never deployed", () => {
        const evidence = evidenceFromExport(stackExport("stage", []), STAGE);
        assert.deepStrictEqual([evidence.artifacts, evidence.problems], [{}, []]);
        assert.deepStrictEqual(promotionProblems("prod", { "ingest-v2": { version: "1.5.0", sha256: "a".repeat(64) } }, evidence), [
            `prod would deploy ingest-v2 1.5.0 (sha256 ${"a".repeat(64)}) but stage ${STAGE} does not run ingest-v2; ` +
                "promote 1.5.0 to stage first (npm run promote -- --to stage) and let it run there.",
        ]);
    });

    it("reads a stack that exists but never deployed (the CLI's export has no resources key) as running nothing", () => {
        // As `pulumi stack export` prints a stack created by `pulumi stack init` or a preview, and nothing more.
        const empty = { version: 3, deployment: { manifest: { time: "2026-12-02T06:00:00Z", magic: "", version: "" } } };
        assert.deepStrictEqual(evidenceFromExport(empty, STAGE), evidenceFromExport(stackExport("stage", []), STAGE));
        assert.deepStrictEqual(evidenceFromExport({ version: 3, deployment: { resources: {} } }, STAGE).problems, [
            "its state is not a stack export of deployment format version 3",
        ]);
    });

    it("refuses a function whose ArtifactSha256 tag disagrees with the bytes Lambda reports (code changed by hand)", () => {
        const r = release();
        const layers = [layerArn("stage", "vectora-core", 1), layerArn("stage", "common-deps", 1)];
        const doc = deployedExport("stage", r);
        const resources = (doc.deployment as { resources: Array<Record<string, unknown>> }).resources;
        const i = resources.findIndex((x) => String(x.urn).endsWith("::ingest-v2"));
        resources[i] = functionState("stage", {
            component: "ingest-v2",
            version: "1.5.0",
            sha256: sha("hand"),
            tagSha256: r.functions["ingest-v2"].sha256,
            layers,
        });
        const evidence = evidenceFromExport(doc, STAGE);
        assert.deepStrictEqual(evidence.problems, [
            `function vectora-inbox-ingest-v2-stage runs code with sha256 ${sha("hand")} but its ArtifactSha256 tag says ` +
                `${r.functions["ingest-v2"].sha256} (its code was changed outside a deploy of this program)`,
        ]);
        assert.strictEqual(evidence.artifacts["ingest-v2"], undefined);
        assert.match(
            promotionProblems("prod", {}, evidence)[0],
            /^stage stack organization\/vectora-inbox\/stage cannot be trusted as evidence: function/,
        );
    });

    it("does not take a layer version that the functions do not run (a targeted update of the layer alone)", () => {
        const r = release();
        // The state holds vectora-core :2 (1.2.4); the functions still run :1.
        const old = [layerArn("stage", "vectora-core", 1), layerArn("stage", "common-deps", 1)];
        const doc = stackExport("stage", [
            layerState("stage", { component: "vectora-core", version: "1.2.4", sha256: sha("1.2.4"), number: 2 }),
            layerState("stage", { component: "common-deps", ...r.deps, number: 1 }),
            ...Object.entries(r.functions).map(([component, f]) => functionState("stage", { component, ...f, layers: old })),
            ...canonicalState("stage", r.canonical.version, r.canonical.sha256, r.canonical.files),
        ]);
        const evidence = evidenceFromExport(doc, STAGE);
        assert.strictEqual(evidence.artifacts["vectora-core"], undefined);
        assert.deepStrictEqual(evidence.problems, [
            `function vectora-inbox-ingest-v2-stage runs ${layerArn("stage", "vectora-core", 1)}, not ` +
                `${layerArn("stage", "vectora-core", 2)} ` +
                "(vectora-core 1.2.4) that the state holds for the layer (a targeted or partial update?)",
        ]);
    });

    it("refuses a layer whose description does not match the bytes Lambda reports", () => {
        const r = release();
        const doc = deployedExport("stage", r);
        const layer = (doc.deployment as { resources: Array<{ outputs?: Record<string, unknown> }> }).resources[1];
        assert.match(String(layer.outputs?.description), /^vectora-core 1\.2\.3 /);
        layer.outputs = { ...layer.outputs, codeSha256: b64(sha("other")) };
        assert.match(
            evidenceFromExport(doc, STAGE).problems.join("\n"),
            /holds sha256 [0-9a-f]{64} but its description says vectora-core 1\.2\.3 sha256:/,
        );
    });

    it("refuses a function or layer with no codeSha256: the bytes it runs are unknown", () => {
        const doc = deployedExport("stage", release());
        for (const r of (doc.deployment as { resources: Array<{ outputs?: Record<string, unknown> }> }).resources) {
            delete r.outputs?.codeSha256;
        }
        const problems = evidenceFromExport(doc, STAGE).problems;
        assert.strictEqual(problems.length, 5);
        assert.match(
            problems[0],
            /^function vectora-inbox-ingest-v2-stage has no codeSha256 in the state, so the bytes it runs are unknown$/,
        );
        assert.match(
            problems[3],
            /^layer version arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-stage:1 has no codeSha256/,
        );
    });

    it("refuses a canonical file that is not the one the manifest lists, and one the manifest does not list", () => {
        const r = release();
        const files = { ...r.canonical.files, "scopes/company_scopes.yaml": sha("edited by hand") };
        const doc = stackExport("stage", [
            ...canonicalState("stage", r.canonical.version, r.canonical.sha256, r.canonical.files).slice(0, 1),
            ...canonicalState("stage", r.canonical.version, r.canonical.sha256, { ...files, "extra.yaml": sha("extra") }).slice(1),
        ]);
        assert.deepStrictEqual(evidenceFromExport(doc, STAGE).problems, [
            `canonical/scopes/company_scopes.yaml holds sha256 ${sha("edited by hand")} but the canonical manifest lists ` +
                `${r.canonical.files["scopes/company_scopes.yaml"]}`,
            "canonical/extra.yaml is in the config bucket but not in the canonical manifest",
        ]);
    });

    it("ignores resources being deleted and resources read from elsewhere", () => {
        const r = release();
        const doc = deployedExport("stage", r);
        const resources = (doc.deployment as { resources: Array<Record<string, unknown>> }).resources;
        const ghost = functionState("stage", { component: "ingest-v2", version: "9.9.9", sha256: sha("ghost"), layers: [] });
        resources.push({ ...ghost, delete: true }, { ...ghost, external: true });
        const evidence = evidenceFromExport(doc, STAGE);
        assert.deepStrictEqual([evidence.problems, evidence.artifacts["ingest-v2"].version], [[], "1.5.0"]);
    });

    it("refuses another environment's true state under the stack's name (a renamed or copied stack)", () => {
        const devRenamed = JSON.parse(JSON.stringify(deployedExport("dev", release())).replace(/urn:pulumi:dev::/g, "urn:pulumi:stage::"));
        const problems = evidenceFromExport(devRenamed, STAGE).problems;
        assert.ok(
            problems.includes(
                "function vectora-inbox-ingest-v2-dev is not stage's vectora-inbox-ingest-v2-stage: the state is another environment's",
            ),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => p.startsWith("layer vectora-inbox-vectora-core-dev is not stage's")),
            problems.join("\n"),
        );
        assert.ok(problems.some((p) => p.startsWith("the canonical manifest's bucket vectora-inbox-config-dev is not stage's")));
        // The same state, not renamed, names its own stack in its URNs: read as stage, that alone is a problem.
        assert.ok(evidenceFromExport(deployedExport("dev", release()), STAGE).problems.some((p) => /a resource of another stack$/.test(p)));
        assert.deepStrictEqual(evidenceFromExport(deployedExport("stage", release()), STAGE).problems, []);
    });

    it("is a problem, not an exception, when the document is not a stack export", () => {
        assert.deepStrictEqual(evidenceFromExport({ artifacts: {} }, STAGE).problems, [
            "its state is not a stack export of deployment format version 3",
        ]);
    });
});

describe("promotion: an environment deploys only what the one before it runs", () => {
    const r = release();
    const evidence = evidenceFromExport(deployedExport("stage", r), STAGE);
    const same = { version: "1.5.0", sha256: r.functions["ingest-v2"].sha256 };

    it("passes the same version with the same full sha256", () => {
        assert.deepStrictEqual(promotionProblems("prod", { "ingest-v2": same }, evidence), []);
    });

    it("compares whole hashes: a prefix, however long, is not a sha256", () => {
        const prefix = same.sha256.slice(0, 63);
        assert.deepStrictEqual(promotionProblems("prod", { "ingest-v2": { ...same, sha256: prefix } }, evidence), [
            `prod would deploy ingest-v2 1.5.0 with sha256 "${prefix}", which is not a full sha256 (64 hex digits).`,
        ]);
    });

    it("names the artifact with both versions, and the way through the source", () => {
        assert.deepStrictEqual(promotionProblems("prod", { "ingest-v2": { ...same, version: "1.5.1" } }, evidence), [
            "prod would deploy ingest-v2 1.5.1 but stage runs ingest-v2 1.5.0; promote 1.5.1 to stage first (npm run " +
                "promote -- --to stage) and let it run there.",
        ]);
        const dev = evidenceFromExport(deployedExport("dev", r), "organization/vectora-inbox/dev");
        assert.deepStrictEqual(promotionProblems("stage", { "ingest-v2": { ...same, version: "1.5.1" } }, dev), [
            "stage would deploy ingest-v2 1.5.1 but dev runs ingest-v2 1.5.0; deploy 1.5.1 to dev first (pulumi up --stack " +
                "dev) and let it run there.",
        ]);
    });

    it("calls the same version with other bytes a rebuild, and a NOT BUILT layer what it is", () => {
        const other = sha("rebuilt");
        assert.match(
            promotionProblems("prod", { "ingest-v2": { ...same, sha256: other } }, evidence)[0],
            /same version, other bytes is a rebuild, not a promotion/,
        );
        assert.match(
            promotionProblems("prod", { "ingest-v2": { ...same, sha256: other, built: false } }, evidence)[0],
            /as built on this machine \(sha256 [0-9a-f]{64}\), which is NOT BUILT/,
        );
    });

    it("has no gate for dev", () => {
        assert.deepStrictEqual(promotionProblems("dev", { "ingest-v2": { ...same, version: "9.0.0" } }, evidence), []);
    });
});
