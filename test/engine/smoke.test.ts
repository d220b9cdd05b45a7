import * as assert from "assert";
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { smoke } from "../../cli/smoke";
import { tempDir } from "../helpers/fixtures";
import { pythonTree } from "../helpers/handlerDigest";
import { Json, runIn } from "../helpers/io";
import { engineUp, requireEngine, sandbox, sandboxProject, tail, tamper } from "../helpers/sandbox";

const FUNCTIONS = ["vectora-inbox-ingest-v2-dev", "vectora-inbox-newsletter-v2-dev", "vectora-inbox-normalize-score-v2-dev"];

describe("engine: npm run smoke --sandbox, the deployed bytes run by the sandbox's Lambda", function () {
    this.timeout(15 * 60_000);
    let root: string;
    let exported: Json;
    const smokeDev = (...extra: string[]) => runIn(smoke, "--stack", "dev", "--sandbox", "--cwd", root, ...extra);
    before(() => {
        requireEngine();
        root = sandboxProject();
        const up = engineUp(root, "dev");
        assert.strictEqual(up.code, 0, tail(up));
        const state = sandbox(root, ["stack", "export", "--stack", "dev"]);
        assert.strictEqual(state.code, 0, tail(state));
        exported = JSON.parse(state.out);
    });

    /** The zip a function or layer of dev was deployed from, by its state (the build's file of that S3 key). */
    const deployedZip = (type: string, match: (outputs: Json) => boolean): string => {
        const resource = exported.deployment.resources.find((r: Json) => r.type === type && match(r.outputs));
        const zip = path.join(root, ".build", "artifacts", path.basename(resource.outputs.s3Key));
        assert.strictEqual(crypto.createHash("sha256").update(fs.readFileSync(zip)).digest("base64"), resource.outputs.codeSha256);
        return zip;
    };

    it("passes, with reports whose code and layer digests are the deployed zips'", async () => {
        const run = await smokeDev("--json");
        assert.strictEqual(run.code, 0, run.err + run.out.slice(0, 2000));
        const doc = JSON.parse(run.out) as Json;
        assert.strictEqual(doc.ok, true);
        assert.strictEqual(doc.target, "sandbox");
        assert.deepStrictEqual(doc.functions.map((f: Json) => f.functionName).sort(), FUNCTIONS);
        const coreZip = deployedZip("aws:lambda/layerVersion:LayerVersion", (o) => o.layerName === "vectora-inbox-vectora-core-dev");
        const depsZip = deployedZip("aws:lambda/layerVersion:LayerVersion", (o) => o.layerName === "vectora-inbox-common-deps-dev");
        const coreTree = pythonTree(coreZip, "python/vectora_core");
        const depsTree = pythonTree(depsZip, "python", ["vectora_core"]);
        for (const fn of doc.functions) {
            const zip = deployedZip("aws:lambda/function:Function", (o) => o.name === fn.functionName);
            assert.strictEqual(fn.report.code.tree_sha256, pythonTree(zip, "."), fn.functionName);
            assert.strictEqual(fn.report.layers["vectora-core"].tree_sha256, coreTree, fn.functionName);
            assert.strictEqual(fn.report.layers["common-deps"].tree_sha256, depsTree, fn.functionName);
            // The real common-deps layer, installed by pip from the pinned lock file: every pin checked.
            assert.deepStrictEqual(fn.report.requirements, { checked: 8, problems: [] }, fn.functionName);
            assert.strictEqual(fn.report.runtime.python.slice(0, 5), "3.12.", fn.functionName);
        }
    });

    it("fails, naming only it, a function whose code was changed by hand; and passes again once the deployed code is back", async () => {
        const deployed = deployedZip("aws:lambda/function:Function", (o) => o.name === "vectora-inbox-ingest-v2-dev");
        const changed = path.join(tempDir(), "ingest-by-hand.zip");
        const zip = childProcess.spawnSync(
            "python3",
            [
                "-c",
                "import shutil, sys, zipfile\nshutil.copy(sys.argv[1], sys.argv[2])\n" +
                    "zipfile.ZipFile(sys.argv[2], 'a').writestr('hotfix.py', 'X = 1\\n')",
                deployed,
                changed,
            ],
            { encoding: "utf8" },
        );
        assert.strictEqual(zip.status, 0, zip.stderr);
        const hand = tamper(root, ["--stack", "dev", "--resource", "vectora-inbox-ingest-v2-dev", "--code", changed]);
        assert.strictEqual(hand.code, 0, tail(hand));
        const run = await smokeDev();
        assert.strictEqual(run.code, 1, run.err + run.out);
        const failing = run.out.split("\n").filter((l) => /^vectora-inbox-\S+-dev: /.test(l));
        assert.ok(failing.length >= 2, run.out);
        assert.ok(
            failing.every((l) => l.startsWith("vectora-inbox-ingest-v2-dev: ")),
            run.out,
        );
        assert.match(run.out, /^vectora-inbox-ingest-v2-dev: its code was changed outside Pulumi: it runs CodeSha256 /m);
        assert.match(run.out, /^vectora-inbox-ingest-v2-dev: the code it runs \(tree [0-9a-f]{16}\) is not the zip the stack deployed/m);
        assert.match(run.out, /\n3 functions: 2 passed, 1 failed\./);

        const back = tamper(root, ["--stack", "dev", "--resource", "vectora-inbox-ingest-v2-dev", "--code", deployed]);
        assert.strictEqual(back.code, 0, tail(back));
        const again = await smokeDev();
        assert.strictEqual(again.code, 0, again.out);
    });

    it("exits 1 when the handlers' own check fails: the config bucket's manifest at another canonical version", async () => {
        const manifest = JSON.stringify({ version: "0.9", sha256: "0".repeat(64), files: {} });
        const hand = tamper(root, [
            "--stack",
            "dev",
            "--resource",
            "vectora-inbox-config-dev/manifests/canonical.json",
            "--set",
            `content=${JSON.stringify(manifest)}`,
        ]);
        assert.strictEqual(hand.code, 0, tail(hand));
        const run = await smokeDev("--json");
        assert.strictEqual(run.code, 1, run.err);
        const doc = JSON.parse(run.out) as Json;
        for (const fn of doc.functions) {
            assert.strictEqual(fn.report.ok, false, fn.functionName);
            assert.ok(
                fn.failures.includes(
                    "canonical: s3://vectora-inbox-config-dev/manifests/canonical.json is at canonical version 0.9, expected 1.1",
                ),
                fn.failures.join("\n"),
            );
        }
    });
});
