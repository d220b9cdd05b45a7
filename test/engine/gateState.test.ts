import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { promote } from "../../cli/promote";
import { git, tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { account, accountResources, enginePreview, engineUp, rawCli, sandboxPulumi, sandbox, tail } from "../helpers/sandbox";
import { STAGE_STACK, UP_PROD, REFUSED_1_6_0, asStage, commitIngest, mandatory, stackInAccount, onGateProject } from "../helpers/gate";
import { evidenceFromExport } from "../../policy/contract/evidence";

/**
 * The promotion gate against the real CLI, attacked where it reads stage: an imported state, an exports file, a
 * renamed CLI, another project's backend, another environment's state renamed; then the promotion that passes.
 */
describe("engine: the promotion gate through the real CLI, attacked where it reads stage", function () {
    this.timeout(30 * 60_000);
    let root = "";
    let stageState = "";
    onGateProject((project) => ({ root, stageState } = project));

    it("an imported stage state: edited outputs change nothing; an edited function is refused, and promote finds it", async () => {
        commitIngest(root, "1.5.1");
        const original = fs.readFileSync(stageState, "utf8");
        const doc = JSON.parse(original) as {
            deployment: { resources: Array<{ type: string; urn: string; outputs?: Record<string, unknown> }> };
        };
        const rootStack = doc.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack") as {
            outputs: Record<string, { [k: string]: { version: string } }>;
        };
        rootStack.outputs.artifacts["ingest-v2"].version = "1.5.1";
        const importState = (state: unknown) => {
            const file = write(root, ".build/forged.export.json", JSON.stringify(state));
            const imported = sandbox(root, ["stack", "import", "--stack", "stage", "--file", file]);
            assert.strictEqual(imported.code, 0, tail(imported));
        };
        try {
            importState(doc);
            const outputsOnly = enginePreview(root, "prod");
            assert.strictEqual(outputsOnly.code, 1, tail(outputsOnly));
            assert.ok(
                mandatory(outputsOnly.report).some((v) => v.includes("prod would deploy ingest-v2 1.5.1 but stage runs ingest-v2 1.5.0")),
            );

            // The function's own state edited: Version tag and key only (the code hash would not follow).
            const fn = doc.deployment.resources.find((r) => r.urn.endsWith("$aws:lambda/function:Function::ingest-v2")) as {
                outputs: Record<string, unknown>;
            };
            fn.outputs = {
                ...fn.outputs,
                s3Key: "lambdas/ingest-v2-1.5.1.zip",
                tags: { ...(fn.outputs.tags as object), Version: "1.5.1" },
            };
            importState(doc);
            const partial = enginePreview(root, "prod");
            assert.strictEqual(partial.code, 1, tail(partial));

            // Promote reads the same state, and asks the cloud: the refresh finds the function is not what the state says.
            const promoted = await runIn(promote, "--to", "prod", "--sandbox", "--dry-run", "--cwd", root);
            assert.strictEqual(promoted.code, 1, promoted.out + promoted.err);
            assert.match(
                promoted.err,
                /^error: stage's state is not what its cloud holds \(1 resource\(s\) differ: .*\): a change made by hand, or a state edited and imported/,
            );
        } finally {
            importState(JSON.parse(original));
        }
    });

    it("deploys prod once stage runs every artifact, with no violation; with --skip-preview a blocked update changes nothing", () => {
        const first = engineUp(root, "prod");
        assert.strictEqual(first.code, 0, tail(first));
        assert.deepStrictEqual(first.report.violations, []);
        assert.strictEqual(accountResources(root, "prod").filter((r) => r.type === "aws:lambda/function:Function").length, 3);

        const before = stackInAccount(root, "prod");
        commitIngest(root, "1.6.0");
        const up = engineUp(root, "prod", ["--skip-preview"]);
        assert.notStrictEqual(up.code, 0, tail(up));
        assert.strictEqual(stackInAccount(root, "prod"), before);
    });

    it("reads stage where the deploy runs: not an exports file (an update dressed as policy analyze, a renamed CLI), not a --cwd", () => {
        commitIngest(root, "1.6.0");
        const dev = engineUp(root, "dev");
        assert.strictEqual(dev.code, 0, tail(dev));
        // A file in which "stage" runs 1.6.0, true to the bytes: read, it would let prod deploy 1.6.0.
        const forged = asStage(sandbox(root, ["stack", "export", "--stack", "dev"]).out);
        const evidence = evidenceFromExport(forged, STAGE_STACK);
        assert.deepStrictEqual([evidence.problems, evidence.artifacts["ingest-v2"]?.version], [[], "1.6.0"]);
        const forgedFile = write(root, ".build/forged-stage.json", JSON.stringify(forged));
        const offline = {
            VECTORA_OFFLINE_STACK_EXPORTS: write(root, ".build/forged-map.json", JSON.stringify({ [STAGE_STACK]: forgedFile })),
        };
        const before = stackInAccount(root, "prod");
        const refused = (run: { code: number; out: string; err: string }, what: string) => {
            assert.notStrictEqual(run.code, 0, `${what}: ${tail(run)}`);
            assert.match(run.out + run.err, REFUSED_1_6_0, what);
            assert.strictEqual(stackInAccount(root, "prod"), before, what);
        };

        // Cobra finds `up` past the unknown flag values; a command line reader would see `policy analyze`.
        const config = ["--config-file", path.join(root, ".build", "sandbox", "config", "Pulumi.prod.yaml")];
        refused(sandbox(root, ["--message", "policy", "--message", "analyze", ...UP_PROD, ...config], offline), "dressed as analyze");

        const bin = tempDir("vectora-renamed-cli-");
        const engineDir = path.dirname(sandboxPulumi(root));
        fs.copyFileSync(path.join(engineDir, "pulumi"), path.join(bin, "pulumi-ci"));
        fs.copyFileSync(path.join(engineDir, "pulumi-language-nodejs"), path.join(bin, "pulumi-language-nodejs"));
        fs.chmodSync(path.join(bin, "pulumi-ci"), 0o755);
        fs.chmodSync(path.join(bin, "pulumi-language-nodejs"), 0o755);
        refused(rawCli(root, UP_PROD, { exe: path.join(bin, "pulumi-ci"), env: offline }), "a renamed CLI");

        // Another project whose Pulumi.yaml names a backend holding the forged stage; the CLI logged in to the real one.
        const evil = tempDir("vectora-evil-project-");
        const evilState = tempDir("vectora-evil-state-");
        fs.writeFileSync(path.join(evil, "Pulumi.yaml"), `name: vectora-inbox\nruntime: nodejs\nbackend:\n  url: file://${evilState}\n`);
        for (const args of [
            ["stack", "init", STAGE_STACK],
            ["stack", "import", "--stack", STAGE_STACK, "--file", forgedFile],
        ]) {
            const run = rawCli(root, args, { cwd: evil, env: { PULUMI_BACKEND_URL: `file://${evilState}` } });
            assert.strictEqual(run.code, 0, tail(run));
        }
        const credentials = path.join(root, ".build", "sandbox", "home", "credentials.json");
        fs.writeFileSync(
            credentials,
            JSON.stringify({ current: `file://${path.join(root, ".build", "sandbox", "state")}`, accessTokens: {} }),
        );
        try {
            const login = { env: { PULUMI_BACKEND_URL: "" } };
            refused(rawCli(root, ["up", "--cwd", evil, "--cwd", root, ...UP_PROD.slice(1)], login), "--cwd twice");
        } finally {
            fs.rmSync(credentials);
        }
    });

    it("refuses another environment's state renamed to stage, in the gate and in promote", async () => {
        commitIngest(root, "1.6.0");
        const stacks = () => rawCli(root, ["stack", "ls", "--json"]).out;
        const rename = (from: string, to: string) => {
            const run = rawCli(root, [
                "stack",
                "rename",
                `organization/vectora-inbox/${to}`,
                "--stack",
                `organization/vectora-inbox/${from}`,
            ]);
            assert.strictEqual(run.code, 0, tail(run));
        };
        const before = stackInAccount(root, "prod");
        rename("stage", "stage-old");
        rename("dev", "stage");
        // The CLI renames the stack files of the checkout too; the attacker puts them back.
        const restoreStackFiles = () => {
            git(root, "checkout", "-q", "--", ".");
            git(root, "clean", "-q", "-f", "--", "Pulumi.*.yaml");
        };
        restoreStackFiles();
        try {
            const up = rawCli(root, UP_PROD);
            assert.notStrictEqual(up.code, 0, tail(up));
            assert.match(
                up.out,
                /function vectora-inbox-[a-z0-9-]+-dev is not stage's vectora-inbox-[a-z0-9-]+-stage: the state is another environment's/,
            );
            assert.strictEqual(stackInAccount(root, "prod"), before);
            const promoted = await runIn(promote, "--to", "prod", "--sandbox", "--dry-run", "--cwd", root);
            assert.strictEqual(promoted.code, 1, promoted.out + promoted.err);
            assert.match(promoted.err, /-dev is not stage's vectora-inbox-[a-z0-9-]+-stage: the state is another environment's/);
        } finally {
            // promote's sandbox makes the missing dev stack again: it goes before dev's state comes back.
            if (/"name":\s*"dev"/.test(stacks())) {
                rawCli(root, ["stack", "rm", "--stack", "organization/vectora-inbox/dev", "--yes"]);
            }
            rename("stage", "dev");
            rename("stage-old", "stage");
            restoreStackFiles();
            for (const f of fs.readdirSync(root).filter((f) => /^Pulumi\.(dev|stage|stage-old)\.yaml$/.test(f))) {
                fs.rmSync(path.join(root, f));
            }
            git(root, "checkout", "-q", "--", ".");
        }
    });

    it("previews and deploys a promotion of new code with no mandatory violation, though the preview plans the old code hash", () => {
        commitIngest(root, "1.6.0");
        for (const stack of ["dev", "stage"]) {
            const up = engineUp(root, stack);
            assert.strictEqual(up.code, 0, `${stack}: ${tail(up)}`);
        }
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 0, tail(preview));
        assert.deepStrictEqual(mandatory(preview.report), []);
        const up = engineUp(root, "prod");
        assert.strictEqual(up.code, 0, tail(up));
        const fn = Object.values(account(root).resources).find((r) => r.id === "vectora-inbox-ingest-v2-prod");
        assert.strictEqual((fn?.outputs.tags as Record<string, string> | undefined)?.Version, "1.6.0");
    });
});
