import * as assert from "assert";
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { audit } from "../../cli/audit";
import { compare } from "../../cli/compare";
import { drift } from "../../cli/drift";
import { promote } from "../../cli/promote";
import { snapshot } from "../../cli/snapshot";
import { toDisplay } from "../../pulumi/wire";
import { REPO, git, write } from "../helpers/fixtures";
import { Json, runIn, withEnv } from "../helpers/io";
import { assertSameVerdicts } from "../helpers/auditConformance";
import { withoutPulumi } from "../helpers/standinPulumi";
import { pinnedClock } from "../helpers/pack";
import {
    EngineReport,
    PACK,
    attestDeployed,
    PACK_ARGS,
    account,
    accountResources,
    enginePreview,
    engineUp,
    requireEngine,
    sandbox,
    sandboxProject,
    stackTagsFile,
    tail,
    tamper,
} from "../helpers/sandbox";

const PREVIEW_JS = path.join(REPO, ".build", "cli", "preview.js");

/** dev and stage are deployed and tested 15 days and an hour ago on the simulated clock: stage has soaked by today. */
const PAST = new Date(Date.now() - 15 * 24 * 60 * 60 * 1000 - 60 * 60 * 1000).toISOString();

/** Runs `fn` with every Node process it starts (the CLI's program, pack and provider) living at `iso`. */
function startedAt<T>(iso: string, fn: () => Promise<T>): Promise<T> {
    return withEnv(pinnedClock(iso), fn);
}

/** What a preview says of a stack: resources with parents, their inputs, and the policy verdicts. */
interface Listing {
    readonly resources: string[];
    /** Each resource's inputs as the preview shows them (unknowns spelled out, assets as path and sha256). */
    readonly inputs: Record<string, unknown>;
    readonly verdicts: string[];
}

/** The engine's listing, from its own events. */
function engineListing(report: EngineReport, root: string): Listing {
    return {
        resources: report.resources.map((r) => `${r.urn} parent=${r.parent}`).sort(),
        inputs: Object.fromEntries(report.resources.map((r) => [r.urn, toDisplay(r.inputs, root, root)])),
        verdicts: report.violations.map((v) => `${v.policy} ${v.level} ${v.urn}`).sort(),
    };
}

/** The offline preview's listing, from its --json document. */
function offlineListing(root: string, stack: string, extra: string[] = []): Listing {
    const run = childProcess.spawnSync(
        process.execPath,
        [PREVIEW_JS, "--stack", stack, "--json", "--cwd", root, "--policy-pack", PACK, ...extra],
        {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        },
    );
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const doc = JSON.parse(run.stdout) as {
        resources: Array<{ urn: string; type: string; parent?: string; inputs: unknown }>;
        violations: Array<{ policy: string; level: string; urn: string }>;
    };
    // The engine reports no step for the default provider it creates itself; compare everything else.
    const resources = doc.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
    return {
        resources: resources.map((r) => `${r.urn} parent=${r.parent ?? ""}`).sort(),
        inputs: Object.fromEntries(resources.map((r) => [r.urn, r.inputs])),
        verdicts: doc.violations.map((v) => `${v.policy} ${v.level} ${v.urn}`).sort(),
    };
}

/**
 * Lambda's CodeSha256 in the state, as the provider answered it, is the hash of the zip the build wrote (hashed
 * here from the file), for every function and layer.
 */
function assertCodeHashesAreTheZips(exported: Json, root: string): void {
    const deployed = (exported.deployment.resources as Json[]).filter(
        (r) => r.type === "aws:lambda/function:Function" || r.type === "aws:lambda/layerVersion:LayerVersion",
    );
    assert.strictEqual(deployed.length, 5);
    for (const r of deployed) {
        const zip = fs.readFileSync(path.join(root, ".build", "artifacts", path.basename(r.outputs.s3Key)));
        assert.strictEqual(r.outputs.codeSha256, crypto.createHash("sha256").update(zip).digest("base64"), r.urn);
    }
}

/** The differential check: the offline preview says exactly what the engine says. */
function assertAgree(offline: Listing, engine: Listing): void {
    assert.ok(engine.resources.length > 60, `${engine.resources.length} resources from the engine`);
    assert.deepStrictEqual(offline.resources, engine.resources);
    assert.deepStrictEqual(offline.inputs, engine.inputs);
    assert.deepStrictEqual(offline.verdicts, engine.verdicts);
}

describe("engine: the team's workflow through the real CLI, dev -> stage -> prod", function () {
    this.timeout(20 * 60_000);
    let root: string;
    before(() => {
        requireEngine();
        root = sandboxProject();
    });

    it("previews dev with the pack as the offline preview does (resources, inputs, verdicts)", () => {
        const run = enginePreview(root, "dev");
        assert.strictEqual(run.code, 0, tail(run));
        assertAgree(offlineListing(root, "dev"), engineListing(run.report, root));
    });

    it("blocks stage while dev runs nothing, and prod while stage runs nothing, in the CLI's own output", () => {
        for (const [stack, source, how] of [
            ["stage", "dev", "deploy 1\\.2\\.4 to dev first \\(pulumi up --stack dev\\)"],
            ["prod", "stage", "promote 1\\.2\\.4 to stage first \\(npm run promote -- --to stage\\)"],
        ]) {
            const run = sandbox(root, ["preview", "--stack", stack, ...PACK_ARGS]);
            assert.strictEqual(run.code, 1, tail(run));
            const policy = stack === "stage" ? "vectora-promotion-dev-first" : "vectora-promotion-stage-first";
            // The CLI shows a policy's severity (its metadata) beside its level.
            assert.match(
                run.out,
                new RegExp(
                    `- \\[mandatory\\] \\[severity: critical\\] {2}${policy} {2}\\(vectora:promotion:PromotionGate: promotion-gate\\)`,
                ),
            );
            assert.match(
                run.out,
                new RegExp(
                    `Promotion gate: ${stack} would deploy vectora-core 1\\.2\\.4 \\(sha256 [0-9a-f]{64}\\) but ${source} ` +
                        `organization/vectora-inbox/${source} does not run vectora-core; ${how} and let it run there\\.`,
                ),
            );
        }
    });

    it("deploys dev, previews stage against the real dev as the offline preview does, promotes it with npm run promote", async () => {
        const dev = engineUp(root, "dev", [], pinnedClock(PAST));
        assert.strictEqual(dev.code, 0, tail(dev));
        assert.ok((dev.report.changes.create ?? 0) > 60, JSON.stringify(dev.report.changes));
        const devState = write(root, ".build/dev.export.json", sandbox(root, ["stack", "export", "--stack", "dev"]).out);
        const stagePreview = enginePreview(root, "stage");
        assert.strictEqual(stagePreview.code, 0, tail(stagePreview));
        assertAgree(
            offlineListing(root, "stage", ["--source-state", devState, "--source-tags", stackTagsFile(root, "dev")]),
            engineListing(stagePreview.report, root),
        );
        const snapshots = path.join(root, ".build", "snapshots");
        const dry = await runIn(promote, "--to", "stage", "--sandbox", "--dry-run", "--cwd", root);
        assert.strictEqual(dry.code, 0, dry.out + dry.err);
        assert.match(dry.out, /Dry run: stopping before sandbox pulumi up --stack stage --policy-pack /);
        assert.deepStrictEqual(accountResources(root, "stage"), [], "a dry run changes nothing");

        const promoted = await startedAt(PAST, () =>
            runIn(promote, "--to", "stage", "--sandbox", "--yes", "--cwd", root, "--snapshot-dir", snapshots),
        );
        assert.strictEqual(promoted.code, 0, promoted.out + promoted.err);
        assert.match(
            promoted.out,
            /Promotion dev -> stage: dev runs exactly what this checkout builds, its state is what its cloud holds\./,
        );
        attestDeployed(root, "stage");
        // Traceable: dev's source output names the sandbox copy's commit, a clean tree (stage has none yet).
        const head = git(root, "rev-parse", "HEAD");
        assert.ok(
            promoted.out.includes(`dev was deployed from commit ${head.slice(0, 12)}; stage from unknown commit (no source output).`),
            promoted.out,
        );
        // Stage ran nothing: every artifact is new, at dev's version and bytes.
        for (const artifact of ["vectora-core", "common-deps", "ingest-v2", "normalize-score-v2", "newsletter-v2", "canonical"]) {
            assert.match(promoted.out, new RegExp(`\\n {4}${artifact} +- +-> +[0-9.]+ sha256:[0-9a-f]{16} +new\\n`), artifact);
        }
        assert.match(promoted.out, /6 artifact\(s\) change in stage\./);
        assert.match(promoted.out, /Snapshot of stage before the deploy: .*stage-.*\.export\.json/);
        assert.strictEqual(accountResources(root, "stage").filter((r) => r.type === "aws:lambda/function:Function").length, 3);
        const again = engineUp(root, "stage");
        assert.strictEqual(again.code, 0, tail(again));
        assert.deepStrictEqual(Object.keys(again.report.changes), ["same"]);
    });

    it("previews prod against the real stage as the offline preview does, and promotes it with no violation", async () => {
        const exported = sandbox(root, ["stack", "export", "--stack", "stage"]);
        assert.strictEqual(exported.code, 0, tail(exported));
        const stageState = write(root, ".build/stage.export.json", exported.out);
        const preview = enginePreview(root, "prod");
        assert.strictEqual(preview.code, 0, tail(preview));
        const engine = engineListing(preview.report, root);
        assertAgree(offlineListing(root, "prod", ["--source-state", stageState, "--source-tags", stackTagsFile(root, "stage")]), engine);
        // Prod reads no StackReference: the gate read stage's state and tags itself; stage is tested and has soaked.
        assert.ok(!engine.resources.some((r) => r.includes("pulumi:pulumi:StackReference")));
        assert.deepStrictEqual(preview.report.violations, []);

        // Without any CLI, from state files: every check promote can make, then the plan.
        const prodState = write(root, ".build/prod-before.export.json", JSON.stringify({ version: 3, deployment: { resources: [] } }));
        const offline = await withoutPulumi(() =>
            runIn(promote, "--to", "prod", "--dry-run", "--source-state", stageState, "--target-state", prodState, "--cwd", root),
        );
        assert.strictEqual(offline.code, 0, offline.out + offline.err);
        assert.match(offline.out, /Promotion stage -> prod: stage runs exactly what this checkout builds \(its state was read from /);

        // pulumi up fails (the provider crashes): promote says so, that prod ran nothing to go back to, and where its snapshot is.
        const snapshots = path.join(root, ".build", "snapshots");
        process.env.VECTORA_SANDBOX_PROVIDER_FAULT = "crash";
        let failed;
        try {
            failed = await runIn(promote, "--to", "prod", "--sandbox", "--yes", "--cwd", root, "--snapshot-dir", snapshots);
        } finally {
            delete process.env.VECTORA_SANDBOX_PROVIDER_FAULT;
        }
        assert.strictEqual(failed.code, 1, failed.out + failed.err);
        assert.match(
            failed.err,
            /^error: sandbox pulumi up --stack prod failed \(exit \d+\); no release to go back to: prod ran nothing before the deploy \(snapshot .*prod-.*\.export\.json\); prod now runs /m,
        );

        const promoted = await runIn(promote, "--to", "prod", "--sandbox", "--yes", "--cwd", root, "--snapshot-dir", snapshots);
        assert.strictEqual(promoted.code, 0, promoted.out + promoted.err);
        assert.strictEqual(accountResources(root, "prod").filter((r) => r.type === "aws:lambda/function:Function").length, 3);
    });

    it("feeds pulumi stack export of stage and prod to npm run audit, which passes them, the gate read live", async () => {
        for (const stack of ["stage", "prod"]) {
            const exported = sandbox(root, ["stack", "export", "--stack", stack]);
            assert.strictEqual(exported.code, 0, tail(exported));
            const file = write(root, `.build/${stack}.export.json`, exported.out);
            // --live: the gate reads what dev (for stage) or stage (for prod) runs now, through the sandbox's CLI.
            const run = await runIn(audit, "--state", file, "--live", "--sandbox", "--json", "--cwd", root);
            assert.strictEqual(run.code, 0, run.out + run.err);
            const doc = JSON.parse(run.out);
            assert.deepStrictEqual(
                [...new Set(doc.violations.map((v: { policy: string; level: string }) => `${v.policy} ${v.level}`))],
                [],
            );
            assert.ok(!doc.notes.some((n: string) => n.startsWith("not checked")), doc.notes.join("\n"));
            // The gate's component is in the exported state, with what the program read of the source.
            assert.ok(doc.resources.some((r: { type: string }) => r.type === "vectora:promotion:PromotionGate"));
            assertCodeHashesAreTheZips(JSON.parse(exported.out), root);
            // The engine's pulumi policy analyze and the pack over its own protocol agree on this real export.
            await assertSameVerdicts(file);
        }
    });

    it("feeds pulumi stack export to npm run compare, which also reads the stacks by name with --sandbox", async () => {
        const byFile = await runIn(
            compare,
            path.join(root, ".build/stage.export.json"),
            path.join(root, ".build/prod.export.json"),
            "--cwd",
            root,
        );
        assert.strictEqual(byFile.code, 0, byFile.out + byFile.err);
        assert.match(byFile.out, /^Comparing stage \(export .*stage\.export\.json\) with prod \(export .*prod\.export\.json\)/);
        assert.match(byFile.out, /stage and prod run the same artifacts\./);
        const byName = await runIn(compare, "dev", "prod", "--sandbox", "--cwd", root, "--json");
        assert.strictEqual(byName.code, 0, byName.out + byName.err);
        assert.strictEqual(JSON.parse(byName.out).differences, 0);
    });

    it("takes a snapshot through the real CLI with npm run snapshot --sandbox", async () => {
        const dir = path.join(root, ".build", "snapshots");
        const snap = await runIn(snapshot, "--stack", "dev", "--sandbox", "--cwd", root, "--dir", dir);
        assert.strictEqual(snap.code, 0, snap.out + snap.err);
        const exports = fs.readdirSync(dir).filter((f) => f.endsWith(".export.json"));
        assert.deepStrictEqual([...new Set(exports.map((f) => f.split("-")[0]))].sort(), ["dev", "prod", "stage"]);
        const state = JSON.parse(fs.readFileSync(path.join(dir, exports.find((f) => f.startsWith("dev")) as string), "utf8"));
        assert.ok(state.deployment.resources.length > 60);
    });

    it("npm run drift reports a change made by hand (sandbox:tamper) by resource and property, and the next up puts it back", async () => {
        const clean = await runIn(drift, "--stack", "stage", "--sandbox", "--cwd", root);
        assert.strictEqual(clean.code, 0, clean.out + clean.err);
        assert.strictEqual(clean.out, "No drift: stage in the cloud is what the repository declares.\n");
        const changed = tamper(root, [
            "--stack",
            "stage",
            "--resource",
            "vectora-inbox-ingest-v2-stage",
            "--set",
            'environment.variables.LOG_LEVEL="DEBUG"',
        ]);
        assert.strictEqual(changed.code, 0, changed.err);
        assert.match(
            changed.out,
            /aws:lambda\/function:Function vectora-inbox-ingest-v2-stage: environment\.variables\.LOG_LEVEL "INFO" -> "DEBUG"/,
        );
        const drifted = await runIn(drift, "--stack", "stage", "--sandbox", "--cwd", root, "--json");
        assert.strictEqual(drifted.code, 1, drifted.out + drifted.err);
        assert.deepStrictEqual(JSON.parse(drifted.out).drift, [
            {
                urn: "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2",
                type: "aws:lambda/function:Function",
                name: "ingest-v2",
                op: "update",
                properties: [{ path: "environment.variables.LOG_LEVEL", cloud: "DEBUG", repository: "INFO" }],
            },
        ]);
        const fixed = sandbox(root, ["up", "--stack", "stage", "--refresh", "--yes"]);
        assert.strictEqual(fixed.code, 0, tail(fixed));
        const fn = account(root).resources["aws:lambda/function:Function vectora-inbox-ingest-v2-stage"].outputs as {
            environment: { variables: Record<string, string> };
        };
        assert.strictEqual(fn.environment.variables.LOG_LEVEL, "INFO");
    });
});
