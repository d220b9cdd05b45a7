import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { promote } from "../../cli/promote";
import { rollback } from "../../cli/rollback";
import { smoke } from "../../cli/smoke";
import { edit, git, write } from "../helpers/fixtures";
import { Json, runIn } from "../helpers/io";
import { account, engineUp, requireEngine, sandbox, sandboxProject, tail } from "../helpers/sandbox";

const INGEST = "vectora-inbox-ingest-v2-dev";
/** Release B's ingest: a fix, and a module that cannot load in stage's environment (what only stage's smoke test finds). */
const STAGE_ONLY_FAULT = 'import os\nif os.environ.get("ENV") == "stage":\n    raise RuntimeError("release B cannot start in stage")\n';

/** sha256 of a file, base64: Lambda's CodeSha256 of a zip. */
function codeSha256(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("base64");
}

describe("engine: promote smoke-tests and rolls back, npm run rollback puts a stack back on a release it passed (--sandbox)", function () {
    this.timeout(15 * 60_000);
    let root: string;
    /** Copies of the ingest zips of release A and release B, as their builds wrote them. */
    let zipA: string;
    let zipB: string;
    /** A copy of the ingest zip a build wrote for a version (builds go on writing into the same folder). */
    const keep = (version: string) => {
        const copy = path.join(path.dirname(root), `${path.basename(root)}-ingest-${version}.zip`);
        fs.copyFileSync(path.join(root, ".build", "artifacts", `ingest-v2-${version}.zip`), copy);
        return copy;
    };
    /** The CodeSha256 of a stack's ingest function in the simulated account (what the account runs). */
    const accountIngest = (stack = "dev"): string => {
        const fn = account(root).resources[`aws:lambda/function:Function vectora-inbox-ingest-v2-${stack}`];
        assert.strictEqual(fn?.stack, stack);
        assert.ok(fn, "the account holds the ingest function");
        return String(fn.outputs.codeSha256);
    };
    const snapshots = () => (fs.existsSync(path.join(root, "snapshots")) ? fs.readdirSync(path.join(root, "snapshots")).sort() : []);
    const smokeDev = () => runIn(smoke, "--stack", "dev", "--sandbox", "--cwd", root);
    const rollbackDev = (...extra: string[]) => runIn(rollback, "--stack", "dev", "--sandbox", "--yes", "--cwd", root, ...extra);
    const tags = (): Record<string, string> => JSON.parse(sandbox(root, ["stack", "tag", "ls", "--stack", "dev", "--json"]).out);

    before(async () => {
        requireEngine();
        root = sandboxProject();
        // Release A: the checkout as it is, deployed and smoke-tested (the test records it as passed on dev).
        const upA = engineUp(root, "dev");
        assert.strictEqual(upA.code, 0, tail(upA));
        zipA = keep("1.5.0");
        const smokeA = await smokeDev();
        assert.strictEqual(smokeA.code, 0, smokeA.err + smokeA.out);
        // stage gets A through promote, which now smoke-tests it there and records the pass on stage.
        const toStage = await runIn(promote, "--to", "stage", "--sandbox", "--yes", "--cwd", root);
        assert.strictEqual(toStage.code, 0, `${toStage.err}\n${toStage.out.slice(-2000)}`);
        assert.match(toStage.out, /stage now runs what dev runs, and passed its smoke test \(recorded on stage\)/);
        assert.strictEqual(accountIngest("stage"), codeSha256(zipA));
        // Release B: a fix to ingest with its version bump, committed, deployed, smoke-tested: it passes in dev.
        edit(root, "python-src/lambdas/ingest-v2/handler.py", (t) => `${t}\n${STAGE_ONLY_FAULT}`);
        edit(root, "VERSION", (t) => t.replace(/^INGEST_VERSION=.*$/m, "INGEST_VERSION=1.5.1"));
        git(root, "commit", "-q", "-am", "release B");
        const upB = engineUp(root, "dev");
        assert.strictEqual(upB.code, 0, tail(upB));
        zipB = keep("1.5.1");
        assert.notStrictEqual(codeSha256(zipA), codeSha256(zipB));
        const smokeB = await smokeDev();
        assert.strictEqual(smokeB.code, 0, smokeB.err + smokeB.out);
        assert.strictEqual(accountIngest(), codeSha256(zipB));
    });

    it("promote of B: stage's smoke test fails, stage goes back to A (smoke-tested), exit 1 with one line saying so", async () => {
        const run = await runIn(promote, "--to", "stage", "--sandbox", "--yes", "--cwd", root);
        assert.strictEqual(run.code, 1, `${run.err}\n${run.out.slice(-3000)}`);
        const lines = run.err.split("\n").filter((l) => l.startsWith("error: "));
        assert.strictEqual(lines.length, 1, run.err);
        const first = git(root, "rev-list", "--max-parents=0", "HEAD");
        assert.match(lines[0], /^error: the smoke test failed: vectora-inbox-ingest-v2-stage: .*release B cannot start in stage/);
        assert.ok(
            lines[0].includes(
                `; rolled back to the release before the deploy: stage now runs release ` +
                    `${lines[0].match(/stage now runs release ([0-9a-f]{16})/)?.[1]}, deployed from commit ${first.slice(0, 12)}; ` +
                    `its smoke test passed`,
            ),
            lines[0],
        );
        // The account runs A's ingest in stage again; B's failed smoke test and A's new pass are on stage's tags.
        assert.strictEqual(accountIngest("stage"), codeSha256(zipA));
        const stageTags: Record<string, string> = JSON.parse(sandbox(root, ["stack", "tag", "ls", "--stack", "stage", "--json"]).out);
        const results = Object.entries(stageTags)
            .filter(([name]) => name.startsWith("vectora:smoke:"))
            .map(([, value]) => value.split(" ")[1])
            .sort();
        assert.deepStrictEqual(results, ["fail", "pass"]);
    });

    it("refuses, exit 2 and nothing deployed, a digest dev never ran and passed", async () => {
        const before = snapshots();
        const run = await rollbackDev("--to", "ab".repeat(32));
        assert.strictEqual(run.code, 2, run.err + run.out);
        assert.match(run.err, /^error: --to (ab){32}: a digest that dev never ran and passed/);
        assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
        assert.deepStrictEqual(snapshots(), before);
        assert.strictEqual(accountIngest(), codeSha256(zipB));
    });

    it("refuses, exit 2, a corrupt snapshot file, naming it and the expected form", async () => {
        const state = sandbox(root, ["stack", "export", "--stack", "dev"]);
        assert.strictEqual(state.code, 0, tail(state));
        const cut = write(path.dirname(root), `${path.basename(root)}-cut.export.json`, state.out.slice(0, state.out.length / 2));
        const run = await rollbackDev("--to", cut);
        assert.strictEqual(run.code, 2, run.err + run.out);
        assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
        assert.ok(run.err.includes(cut), run.err);
        assert.match(
            run.err,
            /invalid JSON: unexpected end of file; expected a snapshot of dev, the JSON printed by `pulumi stack export --stack dev`$/m,
        );
        assert.strictEqual(run.out, "");
        assert.strictEqual(accountIngest(), codeSha256(zipB));
    });

    it("restores A by default: the account runs A's bytes, its smoke test passes and is recorded, B's state is in a snapshot", async () => {
        const passedBefore = Object.entries(tags()).filter(([name]) => name.startsWith("vectora:smoke:"));
        assert.strictEqual(passedBefore.length, 2, JSON.stringify(passedBefore));
        const run = await rollbackDev();
        assert.strictEqual(run.code, 0, `${run.err}\n${run.out.slice(-3000)}`);
        assert.strictEqual(accountIngest(), codeSha256(zipA));
        assert.match(run.out, /Rolled back: dev now runs release [0-9a-f]{16}, deployed from commit [0-9a-f]{12}; its smoke test passed/);
        // The commit A was deployed from is the copy's first commit: the worktree checked it out, and is gone.
        const first = git(root, "rev-list", "--max-parents=0", "HEAD");
        assert.ok(run.out.includes(`deployed from commit ${first.slice(0, 12)}`), run.out);
        assert.strictEqual(git(root, "worktree", "list").split("\n").length, 1);
        assert.deepStrictEqual(
            fs.readdirSync(path.join(root, ".build", "rollback")).filter((n) => n.startsWith("rollback-")),
            [],
        );
        // The snapshot taken first holds B: its ingest function ran B's zip.
        const taken = snapshots().filter((f) => f.startsWith("dev-") && f.endsWith(".export.json"));
        assert.strictEqual(taken.length, 1, taken.join(", "));
        const doc = JSON.parse(fs.readFileSync(path.join(root, "snapshots", taken[0]), "utf8")) as Json;
        const ingest = doc.deployment.resources.find((r: Json) => r.type === "aws:lambda/function:Function" && r.outputs.name === INGEST);
        assert.strictEqual(ingest.outputs.codeSha256, codeSha256(zipB));
        // The smoke test after the rollback is recorded: A's attestation is now the newest pass, and names commit A.
        const values = Object.entries(tags())
            .filter(([name]) => name.startsWith("vectora:smoke:"))
            .map(([, value]) => value.split(" "));
        const newest = values.filter((v) => v[1] === "pass").sort((a, b) => Date.parse(b[2]) - Date.parse(a[2]))[0];
        assert.strictEqual(newest[4], first);
        // git and the working tree are as they were: HEAD is still B.
        assert.strictEqual(git(root, "log", "-1", "--format=%s"), "release B");
        assert.strictEqual(git(root, "status", "--porcelain", "--untracked-files=no"), "");
    });
    it("--only ingest-v2 --to B's digest: B's ingest on top of HEAD, committed apart, deployed and smoke-tested", async () => {
        const head = git(root, "rev-parse", "HEAD");
        const passB = Object.values(tags())
            .map((value) => value.split(" "))
            .find((v) => v[0] === "v1" && v[1] === "pass" && v[4] === head);
        assert.ok(passB, JSON.stringify(tags()));
        const run = await rollbackDev("--only", "ingest-v2", "--to", passB[3]);
        assert.strictEqual(run.code, 0, `${run.err}\n${run.out.slice(-3000)}`);
        assert.match(run.out, /Restoring on dev: ingest-v2 of release [0-9a-f]{16} \(commit [0-9a-f]{12}\) on top of HEAD/);
        assert.strictEqual(accountIngest(), codeSha256(zipB));
        // The combination's commit is the worktree's own, detached: the branch, HEAD and the working tree are untouched.
        assert.strictEqual(git(root, "rev-parse", "HEAD"), head);
        assert.strictEqual(git(root, "status", "--porcelain", "--untracked-files=no"), "");
        assert.strictEqual(git(root, "worktree", "list").split("\n").length, 1);
    });
});
