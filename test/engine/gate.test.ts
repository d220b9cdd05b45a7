import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";
import { REPO, edit, git, write } from "../helpers/fixtures";
import { PACK, account, accountResources, enginePreview, engineUp, requireEngine, sandbox, sandboxProject, tail } from "../helpers/sandbox";

const GATE_URN = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";
const DAY_MS = 24 * 3600 * 1000;

/** Edits a file of the project copy and commits it, as a change reaches a deploy: through a commit. */
function commitEdit(root: string, file: string, change: (text: string) => string): void {
    edit(root, file, change);
    git(root, "commit", "-q", "-a", "-m", `edit ${file}`);
}

/** The offline preview's verdicts for prod against a stage outputs file. */
function offlineVerdicts(root: string, stageOutputs: string): string[] {
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
            "--stage-outputs",
            stageOutputs,
        ],
        {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        },
    );
    return (JSON.parse(run.stdout).violations as Array<{ policy: string; level: string; urn: string }>)
        .map((v) => `${v.policy} ${v.level} ${v.urn}`)
        .sort();
}

describe("engine: prod's promotion gate in the real CLI", function () {
    this.timeout(20 * 60_000);
    let root: string;
    let stageOutputs: string;
    const handler = "python-src/lambdas/ingest-v2/handler.py";
    let base: string;

    before(() => {
        requireEngine();
        root = sandboxProject();
        base = git(root, "rev-parse", "HEAD");
        // Stage published its artifacts 20 days ago: past the 14-day soak.
        const up = engineUp(root, "stage", [], { VECTORA_SANDBOX_NOW: new Date(Date.now() - 20 * DAY_MS).toISOString() });
        assert.strictEqual(up.code, 0, tail(up));
        const out = sandbox(root, ["stack", "output", "--stack", "stage", "--json", "--show-secrets"]);
        stageOutputs = write(root, ".build/stage-outputs.json", out.out);
    });

    afterEach(() => {
        git(root, "reset", "-q", "--hard", base);
    });

    it("blocks prod when stage runs another version, naming the artifact with both versions, as the offline preview does", () => {
        commitEdit(root, "VERSION", (t) => t.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.6.0"));
        commitEdit(root, handler, (t) => `${t}# 1.6.0\n`);
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        const mandatory = preview.report.violations.filter((v) => v.level === "mandatory");
        assert.deepStrictEqual(
            mandatory.map((v) => [v.policy, v.urn, v.message]),
            [
                [
                    "vectora-promotion-stage-first",
                    GATE_URN,
                    "Promotion gate: prod would deploy ingest-v2 1.6.0 but stage runs ingest-v2 1.5.0; " +
                        "promote 1.6.0 to stage first (npm run promote -- --to stage) and let it run there.",
                ],
            ],
        );
        assert.deepStrictEqual(
            offlineVerdicts(root, stageOutputs),
            preview.report.violations.map((v) => `${v.policy} ${v.level} ${v.urn}`).sort(),
        );
    });

    it("blocks prod when stage runs the same version with other bytes", () => {
        commitEdit(root, handler, (t) => `${t}# rebuilt without a version bump\n`);
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 1, tail(preview));
        const messages = preview.report.violations.filter((v) => v.level === "mandatory").map((v) => v.message);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(
            messages[0],
            /^Promotion gate: prod would deploy ingest-v2 1\.5\.0 with sha256 [0-9a-f]{16} but stage runs 1\.5\.0 with sha256 [0-9a-f]{16}: same version, other bytes is a rebuild, not a promotion/,
        );
    });

    it("with --skip-preview, creates nothing of prod when the gate blocks a first deploy", () => {
        commitEdit(root, "VERSION", (t) => t.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.6.0"));
        commitEdit(root, handler, (t) => `${t}# 1.6.0\n`);
        const up = engineUp(root, "prod", ["--skip-preview"]);
        assert.notStrictEqual(up.code, 0, tail(up));
        assert.ok(
            up.report.violations.some((v) => v.policy === "vectora-promotion-stage-first" && v.level === "mandatory" && v.urn === GATE_URN),
            tail(up),
        );
        assert.deepStrictEqual(accountResources(root, "prod"), []);
    });

    it("deploys prod with no violation at all once stage has run every artifact for 20 days", () => {
        const first = engineUp(root, "prod");
        assert.strictEqual(first.code, 0, tail(first));
        assert.deepStrictEqual(first.report.violations, []);
        assert.strictEqual(accountResources(root, "prod").filter((r) => r.type === "aws:lambda/function:Function").length, 3);
    });

    it("with --skip-preview, changes nothing of a deployed prod when the gate blocks an update", () => {
        const prodState = () => JSON.stringify(Object.values(account(root).resources).filter((r) => r.stack === "prod"));
        const before = prodState();
        assert.ok(before.length > 1000, "prod is deployed");
        commitEdit(root, "VERSION", (t) => t.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.6.0"));
        commitEdit(root, handler, (t) => `${t}# 1.6.0\n`);
        const up = engineUp(root, "prod", ["--skip-preview"]);
        assert.notStrictEqual(up.code, 0, tail(up));
        assert.strictEqual(prodState(), before);
        const fn = account(root).resources["aws:lambda/function:Function vectora-inbox-ingest-v2-prod"];
        assert.strictEqual(fn.outputs.s3Key, "lambdas/ingest-v2-1.5.0.zip");
    });
});
