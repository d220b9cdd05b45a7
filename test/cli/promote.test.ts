import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Io } from "../../lib/command";
import { promote } from "../../cli/promote";
import { snapshot } from "../../cli/snapshot";
import { REPO, fakePackageIndex, noPackageIndex, tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { simulatedSourceExport } from "../helpers/program";
import { b64, deployedExport, release, sha, stackExport } from "../helpers/stackExports";
import { StandIn, standInPulumi, withStandIn, withoutPulumi } from "../helpers/standinPulumi";

/** The VERSION file's versions, by artifact, read here (never through the code under test). */
function checkoutVersions(): Record<string, string> {
    const v = Object.fromEntries(
        fs
            .readFileSync(path.join(REPO, "VERSION"), "utf8")
            .split("\n")
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => l.split("=") as [string, string]),
    );
    return {
        "vectora-core": v.VECTORA_CORE_VERSION,
        "common-deps": v.COMMON_DEPS_VERSION,
        "ingest-v2": v.INGEST_VERSION,
        "normalize-score-v2": v.NORMALIZE_VERSION,
        "newsletter-v2": v.NEWSLETTER_VERSION,
        canonical: v.CANONICAL_VERSION,
    };
}

/**
 * The state of a stack deployed from another commit: every artifact at the checkout's versions but with other
 * bytes, written here by hand. (States of stacks deployed from this very checkout come from the real CLI in
 * test/engine/, or from a simulated deploy, never from the program promote checks against.)
 */
function otherCommitState(env: string): Record<string, unknown> {
    return deployedExport(env, release("another commit", checkoutVersions()));
}

/** Promote with an injected package index, building in a temporary folder (never the repository's .build). */
function promoteWith(deps = fakePackageIndex) {
    const buildDir = tempDir("vectora-promote-build-");
    return (argv: readonly string[], io: Io) => promote(argv, io, { deps, buildDir });
}

/** The stand-in's canned state of a stack, and what a refresh of it finds. */
function stage(standIn: StandIn, stack: string, state: Record<string, unknown>, refresh?: unknown): void {
    fs.writeFileSync(path.join(standIn.data, `${stack}.export.json`), JSON.stringify(state));
    if (refresh !== undefined) {
        fs.writeFileSync(path.join(standIn.data, `${stack}.refresh.json`), JSON.stringify(refresh));
    }
}

describe("npm run promote", () => {
    it("refuses when the source does not run exactly what the checkout builds, and never runs pulumi up", async () => {
        const standIn = standInPulumi();
        stage(standIn, "dev", otherCommitState("dev"));
        stage(standIn, "stage", stackExport("stage", []));
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage", "--yes"));
        assert.strictEqual(run.code, 1);
        assert.match(run.err, /^error: dev does not run exactly what this checkout builds/);
        const other = release("another commit").functions["normalize-score-v2"].sha256.slice(0, 16);
        assert.match(
            run.err,
            new RegExp(
                `\\n {4}normalize-score-v2: dev runs 2\\.1\\.0 sha256:${other}, this checkout builds 2\\.1\\.0 sha256:[0-9a-f]{16}\\n`,
            ),
        );
        assert.ok(!standIn.calls().some((c) => c[0] === "up"));
    });

    it("refuses a source whose state is not what its cloud holds (a hand change, an edited import), before building anything", async () => {
        const standIn = standInPulumi();
        const state = otherCommitState("dev");
        const fn = "urn:pulumi:dev::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2";
        stage(standIn, "dev", state, {
            steps: [{ op: "refresh", urn: fn, oldState: { outputs: { a: 1 } }, newState: { outputs: { a: 2 } } }],
        });
        const run = await withStandIn(standIn, { STANDIN_REFRESH_EXIT: "255" }, () => runIn(promoteWith(), "--to", "stage", "--yes"));
        assert.strictEqual(run.code, 1, run.err);
        assert.match(
            run.err,
            /^error: dev's state is not what its cloud holds \(1 resource\(s\) differ: ingest-v2\): a change made by hand, or a state edited and imported\./,
        );
        assert.deepStrictEqual(
            standIn.calls().map((c) => c.slice(0, 2)),
            [
                ["stack", "export"],
                ["refresh", "--preview-only"],
            ],
        );
    });

    it("refuses a source whose state does not hang together, naming why", async () => {
        const standIn = standInPulumi();
        const state = otherCommitState("dev") as { deployment: { resources: Array<{ outputs?: Record<string, unknown> }> } };
        const fn = state.deployment.resources.find((r) => r.outputs?.name === "vectora-inbox-ingest-v2-dev") as {
            outputs: Record<string, unknown>;
        };
        fn.outputs.codeSha256 = b64(sha("uploaded by hand"));
        stage(standIn, "dev", state);
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage", "--yes"));
        assert.strictEqual(run.code, 1, run.err);
        assert.match(
            run.err,
            /^error: dev's state cannot be trusted as evidence, so there is nothing to promote as is:\n {4}function vectora-inbox-ingest-v2-dev runs code with sha256/,
        );
        assert.ok(!standIn.calls().some((c) => c[0] === "up"));
    });

    it("without a package index, still checks every other artifact and says which one it could not", async () => {
        const standIn = standInPulumi();
        stage(standIn, "dev", otherCommitState("dev"));
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(noPackageIndex), "--to", "stage", "--dry-run"));
        assert.strictEqual(run.code, 1);
        assert.match(run.err, /^error: dev does not run exactly what this checkout builds/);
        assert.ok(!/ {4}common-deps: /.test(run.err), run.err);
        const ingest = release("another commit").functions["ingest-v2"].sha256.slice(0, 16);
        assert.match(run.err, new RegExp(`\\n {4}ingest-v2: dev runs 1\\.5\\.0 sha256:${ingest}, this checkout builds 1\\.5\\.0 sha256:`));
        assert.match(run.err, /^not checked: common-deps could not be built here \(its Python dependencies did not install\)/m);
    });

    it("without a CLI, from state files, prints the plan for what it could check, then fails on the rest", async () => {
        const dir = tempDir();
        // dev deployed from this checkout, where the packages did install (a simulated deploy of this commit).
        const dev = await simulatedSourceExport(REPO, "stage", { deps: fakePackageIndex });
        const run = await withoutPulumi(() =>
            runIn(
                promoteWith(noPackageIndex),
                "--to",
                "stage",
                "--dry-run",
                "--source-state",
                write(dir, "dev.json", JSON.stringify(dev)),
                "--target-state",
                write(dir, "stage.json", JSON.stringify(otherCommitState("stage"))),
            ),
        );
        assert.strictEqual(run.code, 1, run.err);
        assert.match(
            run.out,
            /^Promotion dev -> stage: dev runs exactly what this checkout builds, common-deps excepted \(not checked\) \(its state was read from .*dev\.json, not checked against its cloud\)\.$/m,
        );
        const ingest = release("another commit").functions["ingest-v2"].sha256.slice(0, 16);
        assert.match(
            run.out,
            new RegExp(`^ {4}ingest-v2 +1\\.5\\.0 sha256:${ingest} +-> +1\\.5\\.0 sha256:[0-9a-f]{16} +rebuilt bytes$`, "m"),
        );
        assert.match(run.err, /^error: not checked: common-deps could not be built here/);
    });

    it("says clearly when the pulumi CLI is missing, and what would do without it", async () => {
        const missing = await withoutPulumi(() => runIn(promoteWith(), "--to", "prod"));
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /^error: the pulumi CLI is not on PATH, and promote runs pulumi up through it; install the Pulumi CLI/);
        assert.match(missing.err, /without it: --dry-run --source-state FILE --target-state FILE; or --sandbox\)$/m);
    });

    describe("a deploy that fails: the target goes back to the snapshot's release, or the line says why not", () => {
        /** Promote to stage with dev deployed from this checkout and `pulumi up` failing; the one error line. */
        async function failedUp(stageState: Record<string, unknown>): Promise<{ line: string; standIn: StandIn }> {
            const standIn = standInPulumi();
            stage(standIn, "dev", await simulatedSourceExport(REPO, "stage", { deps: fakePackageIndex }));
            stage(standIn, "stage", stageState);
            const dir = tempDir();
            const run = await withStandIn(standIn, { STANDIN_UP_EXIT: "1" }, () =>
                runIn(promoteWith(), "--to", "stage", "--yes", "--snapshot-dir", dir),
            );
            assert.strictEqual(run.code, 1, run.err);
            const lines = run.err.split("\n").filter((l) => l !== "");
            assert.strictEqual(lines.length, 1, run.err);
            return { line: lines[0], standIn };
        }

        it("a target that ran nothing: no release to go back to, and what it runs now", async () => {
            const { line, standIn } = await failedUp(stackExport("stage", []));
            assert.match(
                line,
                /^error: pulumi up --stack stage failed \(exit 1\); no release to go back to: stage ran nothing before the deploy \(snapshot .*stage-[0-9T:-]+Z\.export\.json\); stage now runs nothing \(no artifact in its state\)$/,
            );
            assert.strictEqual(standIn.calls().filter((c) => c[0] === "up").length, 1);
        });

        it("a release whose commit this repository does not hold: the rollback is refused, and the line says what runs", async () => {
            const before = otherCommitState("stage") as { deployment: { resources: Array<Record<string, unknown>> } };
            before.deployment.resources[0].outputs = { env: "stage", source: { commit: "c".repeat(40), dirty: false } };
            const { line, standIn } = await failedUp(before);
            assert.match(
                line,
                /^error: pulumi up --stack stage failed \(exit 1\); the rollback to the release before the deploy was refused \(commit cccccccccccc \(from the snapshot .*\) is not in this repository; fetch it/,
            );
            assert.match(line, /; stage now runs release [0-9a-f]{16}, deployed from commit cccccccccccc$/);
            // Refused before its deploy: one pulumi up only, promote's own.
            assert.strictEqual(standIn.calls().filter((c) => c[0] === "up").length, 1);
        });
    });

    it("exits 2 on a bad target or a source that runs nothing", async () => {
        const bad = await runIn(promoteWith(), "--to", "dev");
        assert.strictEqual(bad.code, 2);
        assert.match(bad.err, /--to dev: promotion targets are stage and prod/);
        const standIn = standInPulumi();
        stage(standIn, "dev", stackExport("dev", []));
        const empty = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage"));
        assert.strictEqual(empty.code, 2);
        assert.match(empty.err, /the dev stack runs none of the artifacts; deploy dev with this program first/);
    });
});

describe("npm run snapshot", () => {
    it("saves the export and the outputs of a stack for audit and compare", async () => {
        const standIn = standInPulumi();
        stage(standIn, "prod", stackExport("prod", []));
        fs.writeFileSync(path.join(standIn.data, "prod.outputs.json"), JSON.stringify({ env: "prod", artifacts: {} }));
        const dir = tempDir();
        const run = await withStandIn(standIn, {}, () => runIn(snapshot, "--stack", "prod", "--dir", dir));
        assert.strictEqual(run.code, 0, run.err);
        const files = fs.readdirSync(dir).sort();
        assert.deepStrictEqual(
            files.map((f) => f.replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ/, "TIME")),
            ["prod-TIME.export.json", "prod-TIME.outputs.json"],
        );
        assert.match(run.out, /Audit it with: npm run audit -- --state .*prod-.*\.export\.json/);
        const missing = await withoutPulumi(() => runIn(snapshot, "--stack", "prod"));
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /the pulumi CLI is not on PATH, and a snapshot reads stack prod through it/);
    });
});
