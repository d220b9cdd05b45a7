import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Io } from "../../cli/lib/command";
import { promote } from "../../cli/promote";
import { snapshot } from "../../cli/snapshot";
import { toPlain } from "../../cli/lib/wire";
import { REPO, fakePackageIndex, noPackageIndex, tempDir } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { evaluate } from "../helpers/program";
import { StandIn, standInPulumi, withStandIn, withoutPulumi } from "../helpers/standinPulumi";

type Artifacts = Record<string, { version: string; sha256: string; key?: string }>;

/** What dev runs when it was deployed from this checkout (its outputs, as pulumi stack output prints them). */
async function deployedOutputs(env: string): Promise<{ env: string; artifacts: Artifacts }> {
    const ev = await evaluate(REPO, env, { deps: fakePackageIndex });
    return toPlain(ev.outputs) as { env: string; artifacts: Artifacts };
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
    it("shows the change, snapshots the target and runs pulumi up with the policy pack", async () => {
        const standIn = standInPulumi();
        const dev = await deployedOutputs("dev");
        const current = JSON.parse(JSON.stringify({ ...dev, env: "stage" }));
        current.artifacts["ingest-v2"] = { version: "1.4.0", sha256: "0".repeat(64) };
        stage(standIn, "dev", dev);
        stage(standIn, "stage", current);
        const snapshots = tempDir();
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage", "--yes", "--snapshot-dir", snapshots));
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /^Promotion dev -> stage: dev runs exactly what this checkout builds\./);
        assert.match(run.out, /\n {4}ingest-v2 +1\.4\.0 sha256:000000000000 +-> +1\.5\.0 sha256:[0-9a-f]{12} +update\n/);
        assert.match(run.out, /\n {4}vectora-core +1\.2\.3 sha256:[0-9a-f]{12} +-> +1\.2\.3 sha256:[0-9a-f]{12} +unchanged\n/);
        assert.match(run.out, /1 artifact\(s\) change in stage\./);
        const calls = standIn.calls();
        assert.deepStrictEqual(calls.slice(0, 3), [
            ["stack", "output", "--json", "--show-secrets", "--stack", "dev", "--non-interactive"],
            ["stack", "output", "--json", "--show-secrets", "--stack", "stage", "--non-interactive"],
            ["stack", "export", "--stack", "stage", "--non-interactive"],
        ]);
        assert.deepStrictEqual(calls[3], [
            "up",
            "--stack",
            "stage",
            "--policy-pack",
            path.join(REPO, "policy"),
            "--policy-pack-config",
            path.join(REPO, "policy/policy-config.json"),
            "--yes",
        ]);
        const files = fs.readdirSync(snapshots).sort();
        assert.strictEqual(files.length, 2);
        assert.match(files[0], /^stage-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.export\.json$/);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(snapshots, files[1]), "utf8")), current);
    });

    it("promotes stage to prod the same way, and reports pulumi up's failure with the snapshot", async () => {
        const standIn = standInPulumi();
        const staged = { ...(await deployedOutputs("stage")), env: "stage" };
        stage(standIn, "stage", staged);
        stage(standIn, "prod", {});
        const run = await withStandIn(standIn, { STANDIN_UP_EXIT: "255" }, () =>
            runIn(promoteWith(), "--to", "prod", "--snapshot-dir", tempDir()),
        );
        assert.strictEqual(run.code, 1);
        assert.match(run.out, /\n {4}vectora-core +- +-> +1\.2\.3 sha256:[0-9a-f]{12} +new\n/);
        assert.match(
            run.err,
            /^error: pulumi up --stack prod failed \(exit 255\); prod before the attempt is in .*prod-.*\.export\.json$/m,
        );
        assert.deepStrictEqual(standIn.calls().pop(), [
            "up",
            "--stack",
            "prod",
            "--policy-pack",
            path.join(REPO, "policy"),
            "--policy-pack-config",
            path.join(REPO, "policy/policy-config.json"),
        ]);
    });

    it("refuses when the source does not run exactly what the checkout builds, and never runs pulumi up", async () => {
        const standIn = standInPulumi();
        const dev = await deployedOutputs("dev");
        dev.artifacts["normalize-score-v2"] = { ...dev.artifacts["normalize-score-v2"], sha256: "f".repeat(64) };
        stage(standIn, "dev", dev);
        stage(standIn, "stage", {});
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage", "--yes"));
        assert.strictEqual(run.code, 1);
        assert.match(run.err, /^error: dev does not run exactly what this checkout builds/);
        assert.match(
            run.err,
            /\n {4}normalize-score-v2: dev runs 2\.1\.0 sha256:ffffffffffff, this checkout builds 2\.1\.0 sha256:[0-9a-f]{12}\n/,
        );
        assert.ok(!standIn.calls().some((c) => c[0] === "up"));
    });

    it("refuses when common-deps cannot be built here", async () => {
        const standIn = standInPulumi();
        stage(standIn, "dev", await deployedOutputs("dev"));
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(noPackageIndex), "--to", "stage", "--dry-run"));
        assert.strictEqual(run.code, 1);
        assert.match(
            run.err,
            /^error: common-deps could not be built here, so promote cannot check that dev runs what this checkout builds/,
        );
    });

    it("stops before pulumi up with --dry-run", async () => {
        const standIn = standInPulumi();
        stage(standIn, "dev", await deployedOutputs("dev"));
        stage(standIn, "stage", await deployedOutputs("dev"));
        const run = await withStandIn(standIn, {}, () => runIn(promoteWith(), "--to", "stage", "--dry-run"));
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /stage already runs these artifacts/);
        assert.match(run.out, /Dry run: stopping before pulumi up --stack stage --policy-pack /);
        assert.deepStrictEqual(
            standIn.calls().map((c) => c[1]),
            ["output", "output"],
        );
    });

    it("says clearly when the pulumi CLI is missing, and works offline from output files with --dry-run", async () => {
        const missing = await withoutPulumi(() => runIn(promoteWith(), "--to", "prod"));
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /^error: the pulumi CLI is not on PATH, and promote runs pulumi up through it; install the Pulumi CLI/);
        const dir = tempDir();
        const stageFile = path.join(dir, "stage.json");
        const prodFile = path.join(dir, "prod.json");
        fs.writeFileSync(stageFile, JSON.stringify({ ...(await deployedOutputs("stage")), env: "stage" }));
        fs.writeFileSync(prodFile, JSON.stringify({ env: "prod" }));
        const offline = await withoutPulumi(() =>
            runIn(promoteWith(), "--to", "prod", "--dry-run", "--source-outputs", stageFile, "--target-outputs", prodFile),
        );
        assert.strictEqual(offline.code, 0, offline.err);
        assert.match(offline.out, /Promotion stage -> prod/);
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
