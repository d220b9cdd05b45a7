import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { preview } from "../../cli/preview";
import type { DepsInstaller } from "../../artifacts/pythonDeps";
import { REPO, copyProject, tempDir, write } from "../helpers/fixtures";
import { Json } from "../helpers/io";
import { junitSchemaErrors, readJunit, sarifSchemaErrors } from "../helpers/reportSchemas";
import { simulatedSourceExport } from "../helpers/program";
import { testedTags, withFunctionVersion } from "../helpers/stackExports";

const STAGE_FQN = "organization/vectora-inbox/stage";

/** What pip does for the preview below (VECTORA_SKIP_DEPS=1): nothing, so common-deps holds its pinned list only. */
const skippedDeps: DepsInstaller = () => ({ ok: false, reason: "skipped because VECTORA_SKIP_DEPS=1" });

const PREVIEW = path.join(REPO, ".build/cli/preview.js");

interface Run {
    code: number;
    out: string;
    err: string;
}

/** The preview in this process, as `npm run preview -- ...` runs it (pip is skipped: CI has no index). */
async function runPreview(...argv: string[]): Promise<Run> {
    let out = "";
    let err = "";
    const previous = process.env.VECTORA_SKIP_DEPS;
    process.env.VECTORA_SKIP_DEPS = "1";
    try {
        const { runCommand } = await import("../../lib/command");
        const code = await runCommand(preview, argv, { out: (t) => (out += t), err: (t) => (err += t) });
        return { code, out, err };
    } finally {
        if (previous === undefined) {
            delete process.env.VECTORA_SKIP_DEPS;
        } else {
            process.env.VECTORA_SKIP_DEPS = previous;
        }
    }
}

/** The preview as its own process, as a user runs it. */
function spawnPreview(...argv: string[]): Run {
    const result = childProcess.spawnSync(process.execPath, [PREVIEW, ...argv], {
        cwd: REPO,
        encoding: "utf8",
        env: { ...process.env, VECTORA_SKIP_DEPS: "1" },
    });
    return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

/** A policy pack folder inside the repository (so that it resolves our node_modules), with its main script. */
function packFolder(name: string, indexJs: string): string {
    const dir = tempDir("vectora-pack-", true);
    write(dir, "PulumiPolicy.yaml", "runtime: nodejs\n");
    write(dir, "package.json", JSON.stringify({ name, version: "0.0.1", main: "index.js" }));
    write(dir, "index.js", indexJs);
    return dir;
}

/** A stand-in policy pack: a plain JS server that misbehaves the way a broken pack would. */
function brokenPack(behaviour: "exit" | "hang"): string {
    return packFolder(
        "broken",
        `const net = require("net");
const server = net.createServer((socket) => { ${behaviour === "exit" ? "process.exit(7);" : "socket.on('data', () => {});"} });
server.listen(0, "127.0.0.1", () => console.log(String(server.address().port)));`,
    );
}

/** Another team's pack, with one policy that throws on buckets; it ships no policy config. */
function throwingPack(): string {
    return packFolder(
        "other",
        `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("other", { policies: [{
    name: "throws-on-buckets", description: "throws", enforcementLevel: "mandatory",
    validateResource: (args) => { if (args.type === "aws:s3/bucket:Bucket") { throw new Error("boom: no bucket rule"); } },
}] });`,
    );
}

describe("npm run preview", () => {
    it("lists every resource with its type and physical name, then outputs and policies (stage)", async () => {
        const run = await runPreview("--stack", "stage");
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /^Previewing vectora-inbox\/stage offline: /);
        assert.match(run.out, /\n \+ {3}pulumi:pulumi:Stack +vectora-inbox-stage\n/);
        assert.match(run.out, /\n \+ {7}aws:s3:Bucket +vectora-inbox-config-stage\n/);
        assert.match(run.out, /\n \+ {7}aws:lambda:Function +vectora-inbox-ingest-v2-stage\n/);
        assert.match(run.out, /\n \+ {7}aws:s3:BucketObjectv2 +s3:\/\/vectora-inbox-config-stage\/canonical\/clients\/lai_weekly\.yaml\n/);
        assert.match(run.out, /\n {4}common-deps +1\.0\.5 +NOT BUILT \(skipped because VECTORA_SKIP_DEPS=1\)/);
        assert.match(run.out, /\nOutputs:\n {4}artifacts: \{/);
        assert.match(
            run.out,
            /\nPolicies: vectora-inbox@1\.0\.0 with policy\/policy-config\.json: 0 mandatory, 0 advisory violation\(s\)\n/,
        );
    });

    it("prints one JSON document (--format json, or --json) with its format version, resources, outputs and violations", async () => {
        const run = await runPreview("--stack", "dev", "--format", "json");
        assert.strictEqual(run.code, 0, run.err);
        const doc = JSON.parse(run.out);
        assert.deepStrictEqual(Object.keys(doc), [
            "formatVersion",
            "stack",
            "project",
            "offline",
            "build",
            "resources",
            "outputs",
            "policyPack",
            "violations",
        ]);
        assert.strictEqual(doc.formatVersion, 1);
        assert.strictEqual(doc.stack, "dev");
        assert.deepStrictEqual(Object.keys(doc.resources[0]), ["urn", "type", "name", "parent", "inputs"]);
        const zip = doc.resources.find((r: { name: string }) => r.name === "vectora-core-zip");
        assert.strictEqual(zip.inputs.source.asset, ".build/artifacts/vectora-core-1.2.4.zip");
        assert.match(zip.inputs.source.sha256, /^[0-9a-f]{64}$/);
        assert.strictEqual(zip.inputs.source.sha256, doc.outputs.artifacts["vectora-core"].sha256);
        assert.deepStrictEqual(doc.violations, []);
        assert.deepStrictEqual(doc.outputs.incompleteArtifacts, ["common-deps"]);
    });

    it("prints the same output twice on unchanged sources (two processes)", () => {
        const a = spawnPreview("--stack", "stage", "--json");
        const b = spawnPreview("--stack", "stage", "--json");
        assert.strictEqual(a.code, 0, a.err);
        assert.strictEqual(b.out, a.out);
    });

    it("for stage and prod, says where the source's state came from and passes when it runs this commit", async () => {
        for (const [stack, source] of [
            ["stage", "dev"],
            ["prod", "stage"],
        ]) {
            const run = await runPreview("--stack", stack);
            assert.strictEqual(run.code, 0, run.err);
            assert.match(
                run.out,
                new RegExp(
                    `Promotion gate: ${source} state simulated offline as a deploy of this commit \\(Pulumi\\.${source}\\.yaml\\) ` +
                        `that passed its smoke test and has run since 2000-01-01 \\(simulated dates\\), not read from the deployed ` +
                        `${source} stack; pass --source-state FILE`,
                ),
            );
        }
        // The simulated stage is tested and has soaked (its dates are said to be simulated): nothing is left open.
        assert.match((await runPreview("--stack", "prod")).out, /0 mandatory, 0 advisory violation/);
    });

    it("for prod, gates against --source-state (stage's export) and exits 1 on a mandatory violation", async () => {
        const stage = await simulatedSourceExport(REPO, "prod", { deps: skippedDeps });
        const file = write(tempDir(), "stage.export.json", JSON.stringify(withFunctionVersion(stage, "ingest-v2", "1.4.2")));
        const run = await runPreview("--stack", "prod", "--source-state", file, "--json");
        assert.strictEqual(run.code, 1, run.err);
        const doc = JSON.parse(run.out);
        assert.deepStrictEqual(doc.sourceState, {
            stack: "organization/vectora-inbox/stage",
            source: `stage state read from ${file} (no --source-tags: no smoke test of stage on record)`,
        });
        const untested = (d: { violations: Array<{ policy: string }> }) =>
            d.violations.filter((v) => v.policy === "vectora-promotion-tested");
        assert.strictEqual(untested(doc).length, 1);
        // With stage's tags (pulumi stack tag ls --json) holding a passed smoke test of what it runs, that check passes.
        const tags = write(tempDir(), "stage.tags.json", JSON.stringify(testedTags(JSON.parse(fs.readFileSync(file, "utf8")), STAGE_FQN)));
        const tagged = JSON.parse((await runPreview("--stack", "prod", "--source-state", file, "--source-tags", tags, "--json")).out);
        assert.strictEqual(tagged.sourceState.source, `stage state read from ${file}, its tags from ${tags}`);
        assert.deepStrictEqual(untested(tagged), []);
        // Untested, every resource that carries stage's bytes is refused too; tested, the gate names only what stage lacks.
        const refused = (d: { violations: Array<{ policy: string; message: string }> }) =>
            d.violations.filter((v) => v.policy === "vectora-promotion-stage-first" && /has no smoke test on record/.test(v.message));
        assert.ok(refused(doc).length > 10);
        assert.deepStrictEqual(refused(tagged), []);
        const gate = tagged.violations.filter((v: { policy: string }) => v.policy === "vectora-promotion-stage-first");
        assert.deepStrictEqual(
            gate.map((v: { level: string; urn: string; message: string }) => [v.level, v.urn.split("::").pop(), v.message]),
            [
                ["promotion-gate", ""],
                ["ingest-v2-zip", "zip lambdas/ingest-v2-1.5.0.zip: "],
                ["ingest-v2", "function vectora-inbox-ingest-v2-prod: "],
            ].map(([name, what]) => [
                "mandatory",
                name,
                `Promotion gate: ${what}` +
                    "prod would deploy ingest-v2 1.5.0 but stage runs ingest-v2 1.4.2; promote 1.5.0 to stage first (npm " +
                    "run promote -- --to stage) and let it run there.",
            ]),
        );
    });

    it("exits 2 with one line for a missing, empty, truncated or wrong source state file", async () => {
        const dir = tempDir();
        const exportText = fs.readFileSync(path.join(REPO, "test/fixtures/stage-incident.export.json"), "utf8");
        const cases: Array<[string, RegExp]> = [
            [
                path.join(dir, "absent.json"),
                /absent\.json: cannot read \(no such file\); expected the JSON printed by `pulumi stack export --stack stage`/,
            ],
            [write(dir, "empty.json", ""), /empty\.json: file is empty/],
            [write(dir, "cut.json", '{"version": 3, "deployment": {'), /cut\.json:1:\d+: invalid JSON: unexpected end of file/],
            [
                write(dir, "outputs.json", '{"env": "stage", "artifacts": {}}'),
                /outputs\.json: holds stack outputs \(pulumi stack output\), not a stack export/,
            ],
            [
                write(dir, "dev.json", exportText.replace(/urn:pulumi:stage::/g, "urn:pulumi:dev::")),
                /dev\.json: holds the state of the dev stack; --source-state takes the stage stack's\n/,
            ],
        ];
        for (const [file, pattern] of cases) {
            const run = await runPreview("--stack", "prod", "--source-state", file);
            assert.strictEqual(run.code, 2, `${file}: ${run.err}`);
            assert.match(run.err, pattern);
            assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
            assert.strictEqual(run.out, "");
        }
    });

    it("exits 2 with one line and no stack trace on bad input (own process)", () => {
        const root = copyProject();
        fs.writeFileSync(path.join(root, "VERSION"), "VECTORA_CORE_VERSION=1.2\n");
        const cases: Array<[string[], RegExp]> = [
            [["--stack", "qa"], /^error: unknown stack "qa"; expected one of dev, stage, prod\n$/],
            [["--stak", "stage"], /^error: Unknown option '--stak'; usage: npm run preview -- --stack/],
            [[], /^error: missing --stack; usage: /],
            [
                ["--stack", "stage", "--cwd", root, "--policy-pack", path.join(REPO, "policy")],
                /^error: VERSION:1: VECTORA_CORE_VERSION value "1\.2" is not a valid version; expected VECTORA_CORE_VERSION=MAJOR\.MINOR\.PATCH \(e\.g\. VECTORA_CORE_VERSION=1\.2\.3\)\n$/,
            ],
            [["--stack", "dev", "--source-state", "x.json"], /^error: --source-state is for --stack stage or prod/],
        ];
        for (const [argv, pattern] of cases) {
            const run = spawnPreview(...argv);
            assert.strictEqual(run.code, 2, `${argv.join(" ")}: ${run.err}`);
            assert.match(run.err, pattern);
            assert.ok(!/\n\s+at /.test(run.err), `no stack trace expected: ${run.err}`);
            assert.strictEqual(run.out, "");
        }
    });

    it("exits 2 on a policy config that names an unknown policy or a bad level", async () => {
        const dir = tempDir();
        const unknown = await runPreview("--stack", "dev", "--policy-pack-config", write(dir, "a.json", '{"vectora-naming": "advisory"}'));
        assert.strictEqual(unknown.code, 2);
        assert.match(unknown.err, /a\.json: unknown policy "vectora-naming"; the vectora-inbox pack has vectora-naming-env-suffix, /);
        const level = await runPreview("--stack", "dev", "--policy-pack-config", write(dir, "b.json", '{"all": "warn"}'));
        assert.strictEqual(level.code, 2);
        assert.match(level.err, /b\.json: all is "warn"; expected one of advisory, mandatory, disabled, remediate/);
    });

    it("turns a mandatory policy into advisory with --policy-pack-config in a preview (a deploy refuses such a config)", async () => {
        const stage = await simulatedSourceExport(REPO, "prod", { deps: skippedDeps });
        const dir = tempDir();
        const stateFile = write(dir, "stage.json", JSON.stringify(withFunctionVersion(stage, "ingest-v2", "1.4.2")));
        const config = write(
            dir,
            "relaxed.json",
            JSON.stringify({
                "vectora-promotion-stage-first": "advisory",
                "vectora-promotion-deployed-as-staged": "advisory",
                "vectora-promotion-tested": "advisory",
                "vectora-promotion-stage-soak": "advisory",
            }),
        );
        const run = await runPreview("--stack", "prod", "--source-state", stateFile, "--policy-pack-config", config);
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /\[advisory\] vectora-promotion-stage-first/);
        assert.match(run.out, /\[advisory\] vectora-promotion-deployed-as-staged/);
    });

    it("warns once that common-deps is not built, even for prod (which evaluates stage too)", async () => {
        const run = await runPreview("--stack", "prod");
        assert.deepStrictEqual(
            run.err.split("\n").filter((l) => l.includes("NOT BUILT")),
            [
                "warning: common-deps 1.0.5 is NOT BUILT (skipped because VECTORA_SKIP_DEPS=1): this preview shows a layer " +
                    "without its dependencies; pulumi up will refuse it",
            ],
        );
    });

    it("runs another pack without our policy config, and names the policy and resource when one throws", async () => {
        const run = await runPreview("--stack", "dev", "--policy-pack", throwingPack());
        assert.strictEqual(run.code, 1, run.err);
        assert.strictEqual(run.err.split("\n").filter((l) => l.startsWith("error:")).length, 1, run.err);
        assert.match(
            run.err,
            new RegExp(
                "^error: policy check failed closed: policy throws-on-buckets \\(pack other@v0\\.0\\.1\\) threw on " +
                    "urn:pulumi:dev::vectora-inbox::[^ ]*aws:s3/bucket:Bucket::[a-z-]+: Error: boom: no bucket rule " +
                    "\\(VECTORA_DEBUG=1 prints the stack trace\\)$",
                "m",
            ),
        );
    });

    it("fails closed, within the timeout, when the policy pack exits or hangs", async () => {
        const exits = await runPreview("--stack", "dev", "--policy-pack", brokenPack("exit"));
        assert.strictEqual(exits.code, 1);
        assert.match(exits.err, /^error: policy check failed closed: .*the policy pack exited \(code 7\)$/m);
        const hangs = await runPreview("--stack", "dev", "--policy-pack", brokenPack("hang"), "--policy-timeout", "1");
        assert.strictEqual(hangs.code, 1);
        assert.match(hangs.err, /^error: policy check failed closed: the policy pack did not answer getPluginInfo within 1 s$/m);
        assert.strictEqual(hangs.out, "");
    });

    describe("--format sarif|junit and --output", () => {
        const GATE = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";
        const INGEST = "urn:pulumi:prod::vectora-inbox::vectora:lambda:VectoraFunction";
        let stageFile: string;
        let stageTags: string;

        before(async () => {
            // Stage runs an older ingest-v2 than this commit declares, tested there: prod's gate blocks it.
            const stage = withFunctionVersion(await simulatedSourceExport(REPO, "prod"), "ingest-v2", "1.4.2");
            stageFile = write(tempDir(), "stage.export.json", JSON.stringify(stage));
            stageTags = write(tempDir(), "stage.tags.json", JSON.stringify(testedTags(stage, STAGE_FQN)));
        });

        it("writes a valid SARIF log to --output whole, prints one line, and points the gate's finding at INGEST_VERSION", async () => {
            const dir = tempDir();
            const out = path.join(dir, "prod.sarif");
            const run = await runPreview(
                "--stack",
                "prod",
                "--source-state",
                stageFile,
                "--source-tags",
                stageTags,
                "--format",
                "sarif",
                "--output",
                out,
            );
            assert.strictEqual(run.code, 1, run.err);
            assert.strictEqual(run.out, `Preview of vectora-inbox/prod: 5 mandatory, 0 advisory violation(s); report written to ${out}\n`);
            assert.deepStrictEqual(fs.readdirSync(dir), ["prod.sarif"], "no temporary file is left beside it");
            const log = JSON.parse(fs.readFileSync(out, "utf8"));
            assert.deepStrictEqual(sarifSchemaErrors(log), []);
            assert.strictEqual(log.runs[0].tool.driver.rules.length, 36);
            const gate = log.runs[0].results.find((r: Json) => r.ruleId === "vectora-promotion-stage-first");
            assert.strictEqual(gate.level, "error");
            assert.match(gate.message.text, /prod would deploy ingest-v2 1\.5\.0 but stage runs ingest-v2 1\.4\.2/);
            // VERSION's fourth line is INGEST_VERSION=1.5.0 (20 characters).
            assert.deepStrictEqual(gate.locations[0].physicalLocation, {
                artifactLocation: { uri: "VERSION", uriBaseId: "%SRCROOT%" },
                region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 21 },
            });
            assert.deepStrictEqual(gate.locations[0].logicalLocations, [{ fullyQualifiedName: GATE, kind: "resource" }]);
            // The soak is mandatory now: an error too (stage's export says it deployed moments ago).
            const soak = log.runs[0].results.find((r: Json) => r.ruleId === "vectora-promotion-stage-soak");
            assert.strictEqual(soak.level, "error");
        });

        it("writes JUnit that junit-10.xsd accepts, the gate's case failed and the other prod resources passed", async () => {
            const run = await runPreview("--stack", "prod", "--source-state", stageFile, "--source-tags", stageTags, "--format", "junit");
            assert.strictEqual(run.code, 1, run.err);
            assert.deepStrictEqual(await junitSchemaErrors(run.out), []);
            const read = readJunit(run.out);
            const gate = read.suites.find((s) => s.name === "vectora-promotion-stage-first");
            // The gate fails on itself and on each resource that would carry the version stage never ran.
            assert.deepStrictEqual(
                gate?.cases
                    .filter((c) => c.failureType !== undefined)
                    .map((c) => [c.name, c.failureType])
                    .sort(),
                [
                    [`${INGEST}$aws:lambda/function:Function::ingest-v2`, "mandatory"],
                    [`${INGEST}$aws:s3/bucketObjectv2:BucketObjectv2::ingest-v2-zip`, "mandatory"],
                    [GATE, "mandatory"],
                ].sort(),
            );
            const staged = read.suites.find((s) => s.name === "vectora-promotion-deployed-as-staged");
            assert.deepStrictEqual(
                staged?.cases.filter((c) => c.failureType !== undefined).map((c) => c.name),
                [`${INGEST}$aws:lambda/function:Function::ingest-v2`],
            );
            // The gate's three, deployed-as-staged and the unsoaked release (stage's is tested).
            assert.strictEqual(read.failures, 5);
            const naming = read.suites.find((s) => s.name === "vectora-naming-env-suffix");
            assert.ok((naming?.tests ?? 0) > 20 && naming?.failures === 0, "every named prod resource is a passed case");
        });

        it("exits 2 with one line, before running anything and writing nothing, on a bad --format or --output", async () => {
            const dir = tempDir();
            const cases: Array<[string[], string]> = [
                [["--format", "xml"], "error: --format xml: expected one of text, json, sarif, junit\n"],
                [["--format", "sarif", "--json"], "error: --json and --format sarif disagree; --json is --format json, give one of them\n"],
                [
                    ["--output", path.join(dir, "missing", "x.sarif")],
                    `error: --output ${path.join(dir, "missing", "x.sarif")}: folder ${path.join(dir, "missing")} does not exist; ` +
                        "expected a file in an existing folder\n",
                ],
                [["--output", dir], `error: --output ${dir}: is a folder; expected the path of a file to write\n`],
            ];
            for (const [argv, line] of cases) {
                const run = await runPreview("--stack", "dev", ...argv);
                assert.deepStrictEqual([run.code, run.err, run.out], [2, line, ""], argv.join(" "));
            }
            assert.deepStrictEqual(fs.readdirSync(dir), []);
        });

        it("leaves an existing --output file as it was when the run stops on bad input", async () => {
            const dir = tempDir();
            const out = write(dir, "report.sarif", "previous report\n");
            const config = write(dir, "bad.json", '{"all": "warn"}');
            const run = await runPreview("--stack", "dev", "--format", "sarif", "--output", out, "--policy-pack-config", config);
            assert.strictEqual(run.code, 2, run.err);
            assert.strictEqual(fs.readFileSync(out, "utf8"), "previous report\n");
            assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["bad.json", "report.sarif"]);
        });
    });
});
