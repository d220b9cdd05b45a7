import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";
import { REPO, edit, git, write } from "./fixtures";
import {
    PACK,
    PACK_ARGS,
    account,
    checkpoint,
    engineUp,
    requireEngine,
    sandbox,
    sandboxProject,
    soaked,
    stackTagsFile,
    tail,
} from "./sandbox";

/**
 * The promotion gate's engine suites (test/engine/gate*.test.ts): one sandbox project each, dev and stage deployed
 * from the base commit 20 days ago (past the soak), prod never deployed; every case starts from there again.
 */

export const GATE_URN = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";
export const DAY_MS = 24 * 3600 * 1000;
export const HANDLER = "python-src/lambdas/ingest-v2/handler.py";
export const FN_STAGE = "aws:lambda/function:Function vectora-inbox-ingest-v2-stage";
export const STAGE_STACK = "organization/vectora-inbox/stage";
export const UP_PROD = ["up", "--stack", "prod", ...PACK_ARGS, "--yes", "--skip-preview"];
export const REFUSED_1_6_0 = /prod would deploy ingest-v2 1\.6\.0 but stage runs ingest-v2 1\.5\.0/;

/** Dev's true state dressed as stage's: its URNs and our physical names moved to stage, as a forged evidence file. */
export function asStage(devExport: string): unknown {
    return JSON.parse(
        devExport.replace(/urn:pulumi:dev::/g, "urn:pulumi:stage::").replace(/(vectora-inbox-[a-z0-9-]+?)-dev\b/g, "$1-stage"),
    );
}

/** Edits a file of the project copy and commits it, as a change reaches a deploy: through a commit. */
export function commitEdit(root: string, file: string, change: (text: string) => string): void {
    edit(root, file, change);
    git(root, "commit", "-q", "-a", "-m", `edit ${file}`);
}

/** A release of ingest-v2 that stage does not run: VERSION bumped and the handler changed, committed. */
export function commitIngest(root: string, version: string): void {
    commitEdit(root, "VERSION", (t) => t.replace(/INGEST_VERSION=.*/, `INGEST_VERSION=${version}`));
    commitEdit(root, HANDLER, (t) => `${t}# ${version}\n`);
}

/** The offline preview's verdicts for prod against stage's real state (an export). */
export function offlineVerdicts(root: string, stageState: string): string[] {
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
export function mandatory(report: { violations: Array<{ policy: string; level: string; urn: string; message: string }> }): string[] {
    return report.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${v.urn.split("::").pop()}: ${v.message}`);
}

/** What the simulated account holds of one stack, to show that a refused deploy changed nothing. */
export function stackInAccount(root: string, stack: string): string {
    return JSON.stringify(Object.values(account(root).resources).filter((r) => r.stack === stack));
}

/** A gate suite's project: where it lives, its base commit, stage's export, and what puts dev and stage back. */
export interface GateProject {
    readonly root: string;
    readonly base: string;
    readonly stageState: string;
    readonly reset: () => void;
}

/** Deploys dev and stage of a fresh sandbox project 20 days ago (past the 14-day soak) and keeps that as its base. */
export function gateProject(): GateProject {
    requireEngine();
    const root = sandboxProject();
    const base = git(root, "rev-parse", "HEAD");
    const past = { VECTORA_SANDBOX_NOW: new Date(Date.now() - 20 * DAY_MS).toISOString() };
    for (const stack of ["dev", "stage"]) {
        const up = engineUp(root, stack, [], past);
        assert.strictEqual(up.code, 0, `${stack}: ${tail(up)}`);
    }
    const exported = sandbox(root, ["stack", "export", "--stack", "stage"]);
    assert.strictEqual(exported.code, 0, tail(exported));
    const stageState = write(root, ".build/stage.export.json", exported.out);
    const restore = checkpoint(root);
    return {
        root,
        base,
        stageState,
        reset: () => {
            git(root, "reset", "-q", "--hard", base);
            restore();
        },
    };
}

/**
 * The hooks of a gate suite, in the describe that calls it: the project made once before its cases (`got` receives
 * it), and every case starting from dev and stage on the base commit, with no prod.
 */
export function onGateProject(got: (project: GateProject) => void): void {
    let project: GateProject | undefined;
    before(() => {
        project = gateProject();
        got(project);
    });
    afterEach(() => project?.reset());
}
