import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Io } from "../../lib/command";
import { program } from "../../program";
import { evaluateStack } from "../../pulumi/evaluate";
import { toPlain } from "../../pulumi/wire";
import { promote } from "../../cli/promote";
import { snapshot } from "../../cli/snapshot";
import { REPO, fakePackageIndex, noPackageIndex, tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { StandIn, standInPulumi, withStandIn, withoutPulumi } from "../helpers/standinPulumi";

type Artifacts = Record<string, { version: string; sha256: string; key?: string }>;

/**
 * What a stack deployed from another commit exports: every artifact at the checkout's versions but with other
 * bytes, written here by hand. (Outputs of a stack deployed from this very checkout come from the real CLI in
 * test/engine/workflow.test.ts, never from the program promote checks against.)
 */
function otherCommitOutputs(env: string): { env: string; artifacts: Artifacts } {
    const versions = Object.fromEntries(
        fs
            .readFileSync(path.join(REPO, "VERSION"), "utf8")
            .split("\n")
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => l.split("=") as [string, string]),
    );
    const artifact = (version: string, fill: string) => ({ version, sha256: fill.repeat(64) });
    return {
        env,
        artifacts: {
            "vectora-core": artifact(versions.VECTORA_CORE_VERSION, "1"),
            "common-deps": artifact(versions.COMMON_DEPS_VERSION, "2"),
            "ingest-v2": artifact(versions.INGEST_VERSION, "3"),
            "normalize-score-v2": artifact(versions.NORMALIZE_VERSION, "f"),
            "newsletter-v2": artifact(versions.NEWSLETTER_VERSION, "5"),
            canonical: artifact(versions.CANONICAL_VERSION, "6"),
        },
    };
}

/** The outputs of a stack deployed from this checkout where pip reached a (fake) package index. */
async function checkoutOutputs(env: string): Promise<unknown> {
    const ev = await evaluateStack({
        root: REPO,
        stack: env,
        preview: true,
        program: () => program({ root: REPO, deps: fakePackageIndex, buildDir: tempDir(), warn: () => undefined }),
    });
    return toPlain(ev.outputs);
}

/** Promote with an injected package index, building in a temporary folder (never the repository's .build). */
function promoteWith(deps = fakePackageIndex) {
    const buildDir = tempDir("vectora-promote-build-");
    return (argv: readonly string[], io: Io) => promote(argv, io, { deps, buildDir });
}

function stage(standIn: StandIn, stack: string, outputs: unknown): void {
    fs.writeFileSync(path.join(standIn.data, `${stack}.outputs.json`), JSON.stringify(outputs));
    fs.writeFileSync(
        path.join(standIn.data, `${stack}.export.json`),
        JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }),
    );
}

describe("npm run promote", () => {
    it("refuses when the source does not run exactly what the checkout builds, and never runs pulumi up", async () => {
        const standIn = standInPulumi();
        stage(standIn, "dev", otherCommitOutputs("dev"));
        stage(standIn, "stage", {});
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage", "--yes"));
        assert.strictEqual(run.code, 1);
        assert.match(run.err, /^error: dev does not run exactly what this checkout builds/);
        assert.match(
            run.err,
            /\n {4}normalize-score-v2: dev runs 2\.1\.0 sha256:ffffffffffffffff, this checkout builds 2\.1\.0 sha256:[0-9a-f]{16}\n/,
        );
        assert.ok(!standIn.calls().some((c) => c[0] === "up"));
    });

    it("without a package index, still checks every other artifact and says which one it could not", async () => {
        const standIn = standInPulumi();
        stage(standIn, "dev", otherCommitOutputs("dev"));
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(noPackageIndex), "--to", "stage", "--dry-run"));
        assert.strictEqual(run.code, 1);
        assert.match(run.err, /^error: dev does not run exactly what this checkout builds/);
        assert.ok(!/ {4}common-deps: /.test(run.err), run.err);
        assert.match(run.err, /\n {4}ingest-v2: dev runs 1\.5\.0 sha256:3333333333333333, this checkout builds 1\.5\.0 sha256:/);
        assert.match(run.err, /^not checked: common-deps could not be built here \(its Python dependencies did not install\)/m);
    });

    it("without a package index, prints the dry run's plan for what it could check, then fails on what it could not", async () => {
        const dir = tempDir();
        // dev deployed from this checkout, where the packages did install.
        const dev = await checkoutOutputs("dev");
        const run = await runIn(
            promoteWith(noPackageIndex),
            "--to",
            "stage",
            "--dry-run",
            "--source-outputs",
            write(dir, "dev.json", JSON.stringify(dev)),
            "--target-outputs",
            write(dir, "stage.json", JSON.stringify(otherCommitOutputs("stage"))),
        );
        assert.strictEqual(run.code, 1, run.err);
        assert.match(
            run.out,
            /^Promotion dev -> stage: dev runs exactly what this checkout builds, common-deps excepted \(not checked\)\.$/m,
        );
        assert.match(run.out, /^ {4}ingest-v2 +1\.5\.0 sha256:3333333333333333 +-> +1\.5\.0 sha256:[0-9a-f]{16} +rebuilt bytes$/m);
        assert.match(run.err, /^error: not checked: common-deps could not be built here/);
    });

    it("says clearly when the pulumi CLI is missing, and what would do without it", async () => {
        const missing = await withoutPulumi(() => runIn(promoteWith(), "--to", "prod"));
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /^error: the pulumi CLI is not on PATH, and promote runs pulumi up through it; install the Pulumi CLI/);
        assert.match(missing.err, /without it: --dry-run --source-outputs FILE --target-outputs FILE; or --sandbox\)$/m);
    });

    it("exits 2 on a bad target or a source that exports no artifacts", async () => {
        const bad = await runIn(promoteWith(), "--to", "dev");
        assert.strictEqual(bad.code, 2);
        assert.match(bad.err, /--to dev: promotion targets are stage and prod/);
        const standIn = standInPulumi();
        stage(standIn, "dev", { env: "dev" });
        const empty = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage"));
        assert.strictEqual(empty.code, 2);
        assert.match(empty.err, /the dev stack exports no artifacts output; deploy dev with this program first/);
    });
});

describe("npm run snapshot", () => {
    it("saves the export and the outputs of a stack for audit and compare", async () => {
        const standIn = standInPulumi();
        stage(standIn, "prod", { env: "prod", artifacts: {} });
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
