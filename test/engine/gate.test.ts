import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promote } from "../../cli/promote";
import { REPO, edit, git, hideChanges, tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import {
    PACK,
    PACK_ARGS,
    account,
    checkpoint,
    accountResources,
    enginePreview,
    engineUp,
    rawCli,
    requireEngine,
    sandboxPulumi,
    sandbox,
    sandboxProject,
    stackTagsFile,
    soaked,
    tail,
} from "../helpers/sandbox";
import { evidenceFromExport } from "../../policy/contract/evidence";

/**
 * The promotion gate against the real CLI, attacked as the issue that shaped it tried it: every way of getting a
 * version into prod that stage does not run. One sandbox project: dev and stage deployed from the base commit
 * (20 days ago, past the soak), prod never deployed until the last cases.
 */

const GATE_URN = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";
const DAY_MS = 24 * 3600 * 1000;
const HANDLER = "python-src/lambdas/ingest-v2/handler.py";
const FN_STAGE = "aws:lambda/function:Function vectora-inbox-ingest-v2-stage";
const STAGE_STACK = "organization/vectora-inbox/stage";
const UP_PROD = ["up", "--stack", "prod", ...PACK_ARGS, "--yes", "--skip-preview"];
const REFUSED_1_6_0 = /prod would deploy ingest-v2 1\.6\.0 but stage runs ingest-v2 1\.5\.0/;

/** Dev's true state dressed as stage's: its URNs and our physical names moved to stage, as a forged evidence file. */
function asStage(devExport: string): unknown {
    return JSON.parse(
        devExport.replace(/urn:pulumi:dev::/g, "urn:pulumi:stage::").replace(/(vectora-inbox-[a-z0-9-]+?)-dev\b/g, "$1-stage"),
    );
}

/** Edits a file of the project copy and commits it, as a change reaches a deploy: through a commit. */
function commitEdit(root: string, file: string, change: (text: string) => string): void {
    edit(root, file, change);
    git(root, "commit", "-q", "-a", "-m", `edit ${file}`);
}

/** A release of ingest-v2 that stage does not run: VERSION bumped and the handler changed, committed. */
function commitIngest(root: string, version: string): void {
    commitEdit(root, "VERSION", (t) => t.replace(/INGEST_VERSION=.*/, `INGEST_VERSION=${version}`));
    commitEdit(root, HANDLER, (t) => `${t}# ${version}\n`);
}

/** The offline preview's verdicts for prod against stage's real state (an export). */
function offlineVerdicts(root: string, stageState: string): string[] {
    const run = childProcess.spawnSync(
        process.execPath,
        [
            path.join(REPO, ".build/cli/preview.js"),
            "--stack",
            "prod",
            "--json",
            "--cwd",
            root,
            "--policy-pack",
            PACK,
            "--source-state",
            stageState,
            "--source-tags",
            stackTagsFile(root, "stage"),
        ],
        // The clock of the engine's prod runs (engineUp, enginePreview): stage has soaked.
        { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...soaked("prod") } },
    );
    return (JSON.parse(run.stdout).violations as Array<{ policy: string; level: string; urn: string }>)
        .map((v) => `${v.policy} ${v.level} ${v.urn}`)
        .sort();
}

/** Prod's mandatory verdicts as `policy resource: message` lines. */
function mandatory(report: { violations: Array<{ policy: string; level: string; urn: string; message: string }> }): string[] {
    return report.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${v.urn.split("::").pop()}: ${v.message}`);
}

/** What the simulated account holds of one stack, to show that a refused deploy changed nothing. */
function stackInAccount(root: string, stack: string): string {
    return JSON.stringify(Object.values(account(root).resources).filter((r) => r.stack === stack));
}

describe("engine: the promotion gate through the real CLI, attacked", function () {
    this.timeout(30 * 60_000);
    let root: string;
    let base: string;
    let stageState: string;
    let restoreBase: () => void;

    before(() => {
        requireEngine();
        root = sandboxProject();
        base = git(root, "rev-parse", "HEAD");
        // Dev and stage published their artifacts 20 days ago: past the 14-day soak.
        const past = { VECTORA_SANDBOX_NOW: new Date(Date.now() - 20 * DAY_MS).toISOString() };
        for (const stack of ["dev", "stage"]) {
            const up = engineUp(root, stack, [], past);
            assert.strictEqual(up.code, 0, `${stack}: ${tail(up)}`);
        }
        const exported = sandbox(root, ["stack", "export", "--stack", "stage"]);
        assert.strictEqual(exported.code, 0, tail(exported));
        stageState = write(root, ".build/stage.export.json", exported.out);
        restoreBase = checkpoint(root);
    });

    // Every case starts from dev and stage on the base commit, and no prod.
    afterEach(() => {
        git(root, "reset", "-q", "--hard", base);
        restoreBase();
    });

    it("blocks prod when stage runs another version: on the gate, the zip and the function, as the offline preview does", () => {
        commitIngest(root, "1.6.0");
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        const because =
            "prod would deploy ingest-v2 1.6.0 but stage runs ingest-v2 1.5.0; promote 1.6.0 to stage first (npm run " +
            "promote -- --to stage) and let it run there.";
        assert.deepStrictEqual(
            mandatory(preview.report).filter((v) => v.startsWith("vectora-promotion-stage-first")),
            [
                `vectora-promotion-stage-first promotion-gate: Promotion gate: ${because}`,
                `vectora-promotion-stage-first ingest-v2-zip: Promotion gate: zip lambdas/ingest-v2-1.6.0.zip: ${because}`,
                `vectora-promotion-stage-first ingest-v2: Promotion gate: function vectora-inbox-ingest-v2-prod: ${because}`,
            ],
        );
        assert.strictEqual(preview.report.violations.find((v) => v.level === "mandatory")?.urn, GATE_URN);
        assert.deepStrictEqual(
            offlineVerdicts(root, stageState),
            preview.report.violations.map((v) => `${v.policy} ${v.level} ${v.urn}`).sort(),
        );
    });

    it("--target and --exclude: a partial update of stage is refused, with the pack or without, and prod stays blocked", () => {
        commitIngest(root, "1.5.1");
        // Dev runs 1.5.1 and passed its smoke test: a full update of stage would pass its gate.
        const dev = engineUp(root, "dev");
        assert.strictEqual(dev.code, 0, tail(dev));
        const bucket = "urn:pulumi:stage::vectora-inbox::vectora:storage:PrivateBucket$aws:s3/bucket:Bucket::data";
        const ingest = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2";
        const normalize =
            "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::normalize-score-v2";
        const before = stackInAccount(root, "stage");
        // Each would leave stage on a mix of releases dev never ran as a whole (found by an adversary: a targeted
        // function, then smoke-tested, passed the gates all the way to prod under an urgent exception).
        for (const [flags, pack] of [
            [["--target", bucket], true],
            [["--target", ingest], true],
            [["--exclude", normalize], true],
            [["--target", ingest], false],
        ] as const) {
            const run = pack ? engineUp(root, "stage", [...flags]) : sandbox(root, ["up", "--stack", "stage", "--yes", ...flags]);
            assert.notStrictEqual(run.code, 0, `${flags.join(" ")}: ${tail(run)}`);
            assert.match(
                `${run.out}${run.err}`,
                // `up` previews first: the program refuses in that preview already.
                new RegExp(
                    `refusing to (preview|deploy) stage with ${flags[0]}: a partial update would leave stage on a mix of releases dev`,
                ),
            );
        }
        assert.strictEqual(stackInAccount(root, "stage"), before, "nothing of stage changed");
        assert.strictEqual(account(root).resources[FN_STAGE].outputs.s3Key, "lambdas/ingest-v2-1.5.0.zip");
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        assert.ok(
            mandatory(preview.report).includes(
                "vectora-promotion-stage-first promotion-gate: Promotion gate: prod would deploy ingest-v2 1.5.1 but stage runs " +
                    "ingest-v2 1.5.0; promote 1.5.1 to stage first (npm run promote -- --to stage) and let it run there.",
            ),
            mandatory(preview.report).join("\n"),
        );
    });

    it("a forged program (its record of stage replaced, its own check removed) is blocked by the pack, even with --skip-preview", () => {
        commitIngest(root, "1.5.1");
        commitEdit(root, "program.ts", (t) =>
            t
                .replace("const problems = promotionProblems(env, deploys, evidence);", "const problems: string[] = [];")
                .replace(
                    ": { digest: gate.evidence.digest, artifacts, problems: [...gate.evidence.problems] };",
                    ": { digest: gate.evidence.digest, artifacts: gate.deploys, problems: [] };",
                ),
        );
        const before = stackInAccount(root, "prod");
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        const verdicts = mandatory(preview.report);
        assert.ok(
            verdicts.some((v) =>
                /^vectora-promotion-stage-first promotion-gate: Promotion gate: the program recorded stage running ingest-v2 1\.5\.1 \(sha256 [0-9a-f]{64}\) but organization\/vectora-inbox\/stage's state says 1\.5\.0/.test(
                    v,
                ),
            ),
            verdicts.join("\n"),
        );
        const up = engineUp(root, "prod", ["--skip-preview"]);
        assert.notStrictEqual(up.code, 0, tail(up));
        assert.strictEqual(stackInAccount(root, "prod"), before, "nothing of prod is created or changed");
    });

    it("without the pack, or with a weakened pack config, the program itself refuses to deploy what stage does not run", () => {
        commitIngest(root, "1.5.1");
        const before = stackInAccount(root, "prod");
        const bare = sandbox(root, ["up", "--stack", "prod", "--yes", "--skip-preview"]);
        assert.notStrictEqual(bare.code, 0, tail(bare));
        assert.match(
            `${bare.out}${bare.err}`,
            /refusing to deploy prod: prod would deploy ingest-v2 1\.5\.1 but stage runs ingest-v2 1\.5\.0; promote 1\.5\.1 to stage first/,
        );
        const weak = write(
            root,
            ".build/weak.json",
            JSON.stringify({ "vectora-promotion-stage-first": "advisory", "vectora-promotion-deployed-as-staged": "advisory" }),
        );
        const weakened = sandbox(root, ["up", "--stack", "prod", "--yes", "--policy-pack", PACK, "--policy-pack-config", weak]);
        assert.notStrictEqual(weakened.code, 0, tail(weakened));
        assert.match(
            `${weakened.out}${weakened.err}`,
            /refusing to run with --policy-pack-config .*weak\.json: .*weak\.json sets vectora-promotion-stage-first to advisory; the promotion gate is mandatory/,
        );
        assert.strictEqual(stackInAccount(root, "prod"), before);
    });

    it("a --config-file that points the gate at another stack is refused, naming that file and the pinned stack", () => {
        const prodConfig = fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8");
        const other = write(root, ".build/other.prod.yaml", prodConfig.replace(/stageStack: .*/, "stageStack: organization/scratch/stage"));
        const run = sandbox(root, ["up", "--stack", "prod", "--yes", ...PACK_ARGS, "--config-file", other]);
        assert.notStrictEqual(run.code, 0, tail(run));
        assert.match(
            `${run.out}${run.err}`,
            /\.build\/other\.prod\.yaml: vectora-inbox:stageStack is "organization\/scratch\/stage" but the policy pack pins organization\/vectora-inbox\/stage/,
        );
        assert.deepStrictEqual(accountResources(root, "prod"), []);
    });

    it("bytes hidden from git status (index flags, a clean filter, an untracked link) never reach stage: it deploys the commit", () => {
        const restore = hideChanges(root);
        try {
            assert.strictEqual(git(root, "status", "--porcelain", "--untracked-files=no"), "");
            const before = account(root).resources[FN_STAGE].outputs.codeSha256;
            // Had stage built the working tree, its bytes would not be dev's and its own gate would have refused.
            const up = engineUp(root, "stage");
            assert.strictEqual(up.code, 0, tail(up));
            assert.strictEqual(account(root).resources[FN_STAGE].outputs.codeSha256, before);
        } finally {
            restore();
        }
    });

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
