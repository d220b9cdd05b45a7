import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { renderSmoke, smoke } from "../../cli/smoke";
import { SmokeRun, runSmoke } from "../../cli/smokeRun";
import { sandboxSmokeTarget } from "../../cli/sandboxFlag";
import { resourceKey } from "../../sandbox/account";
import { stateExportOf } from "../../pulumi/stateExport";
import { updateCodeByHand } from "../../sandbox/tamper";
import { tempDir } from "../helpers/fixtures";
import { CommandRun, Json, runIn } from "../helpers/io";
import { CANONICAL, CANONICAL_FILE, COMMIT, SmokeStack, changedZip, smokeStack } from "../helpers/smokeStack";
import { standInPulumi, withStandIn } from "../helpers/standinPulumi";

const FUNCTION = "aws:lambda/function:Function";
const quiet = { out: () => undefined, err: () => undefined };

/** Bad input: exit 2, one line on stderr, nothing on stdout. */
function assertRejected(run: CommandRun, pattern: RegExp): void {
    assert.strictEqual(run.code, 2, run.err || run.out.slice(0, 300));
    assert.match(run.err, pattern);
    assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
    assert.strictEqual(run.out, "");
}

/** A smoke run of the stack's dev in its sandbox account: the real handlers, run from the account's bytes. */
function smokeOf(stack: SmokeStack, extra: { timeoutSeconds?: number; invokeModel?: boolean; state?: Json } = {}): Promise<SmokeRun> {
    return runSmoke({
        stack: "dev",
        root: stack.root,
        sandbox: true,
        io: quiet,
        state: extra.state ?? stack.state(),
        target: sandboxSmokeTarget(stack.root),
        timeoutSeconds: extra.timeoutSeconds,
        invokeModel: extra.invokeModel,
    });
}

function failuresOf(run: SmokeRun): Record<string, readonly string[]> {
    return Object.fromEntries(run.functions.map((f) => [f.name, f.failures]));
}

describe("npm run smoke: bad input is one line, exit 2, before any function is invoked", () => {
    it("a missing or unknown --stack, a bad --timeout-seconds, an unknown flag", async () => {
        for (const [argv, pattern] of [
            [[], /^error: missing --stack; usage: npm run smoke -- --stack <dev\|stage\|prod>/],
            [["--stack", "qa"], /^error: unknown stack "qa"/],
            [
                ["--stack", "dev", "--timeout-seconds", "0"],
                /^error: --timeout-seconds "0": expected a whole number of seconds from 1 to 900/,
            ],
            [["--stack", "dev", "--timeout-seconds", "901"], /^error: --timeout-seconds "901"/],
            [["--stack", "dev", "--timeout-seconds", "2.5"], /^error: --timeout-seconds "2\.5"/],
            [["--stack", "dev", "--retries", "3"], /^error: Unknown option '--retries'/],
        ] as Array<[string[], RegExp]>) {
            assertRejected(await runIn(smoke, ...argv, "--cwd", tempDir()), pattern);
        }
    });
});

describe("npm run smoke of a deployed stack, the real handlers run by the sandbox's Lambda from the account's bytes", function () {
    this.timeout(300_000);
    let stack: SmokeStack;
    before(async () => {
        stack = await smokeStack();
    });

    it("a stack the backend does not have, a missing smoke event, a smoke event that is not one", async () => {
        const cli = standInPulumi();
        fs.writeFileSync(path.join(cli.data, "dev.export.json"), JSON.stringify(stack.exported));
        const run = (argv: string[]) => withStandIn(cli, {}, () => runIn(smoke, ...argv, "--cwd", stack.root));
        assertRejected(
            await run(["--stack", "stage"]),
            /^error: pulumi stack export --stack stage failed: error: no stack named 'stage' found/,
        );
        const event = path.join(stack.root, "python-src/lambdas/newsletter-v2/smoke-event.json");
        const saved = fs.readFileSync(event);
        try {
            fs.rmSync(event);
            assertRejected(
                await run(["--stack", "dev"]),
                /^error: python-src\/lambdas\/newsletter-v2\/smoke-event\.json: cannot read \(no such file\); expected a JSON object with "vectora_smoke": true/,
            );
            fs.writeFileSync(event, '{ "vectora_smoke": "yes" }\n');
            assertRejected(
                await run(["--stack", "dev"]),
                /^error: python-src\/lambdas\/newsletter-v2\/smoke-event\.json: holds \{"vectora_smoke":"yes"\}; expected a JSON object/,
            );
            fs.writeFileSync(event, '{ "vectora_smoke": true, }\n');
            assertRejected(
                await run(["--stack", "dev"]),
                /^error: python-src\/lambdas\/newsletter-v2\/smoke-event\.json:1:26: invalid JSON: unexpected "}"/,
            );
        } finally {
            fs.writeFileSync(event, saved);
        }
    });

    it("a stack whose state holds no function", async () => {
        const cli = standInPulumi();
        const exported = JSON.parse(JSON.stringify(stack.exported)) as Json;
        exported.deployment.resources = exported.deployment.resources.filter((r: Json) => r.type !== FUNCTION);
        fs.writeFileSync(path.join(cli.data, "dev.export.json"), JSON.stringify(exported));
        const run = await withStandIn(cli, {}, () => runIn(smoke, "--stack", "dev", "--cwd", stack.root));
        assertRejected(
            run,
            /^error: stack dev runs no function \(its state holds none of ingest-v2, normalize-score-v2, newsletter-v2\); deploy it first/,
        );
    });

    it("passes when every function runs what the stack deployed, with each report's digests and versions", async () => {
        const run = await smokeOf(stack);
        assert.deepStrictEqual(failuresOf(run), { "ingest-v2": [], "newsletter-v2": [], "normalize-score-v2": [] });
        assert.strictEqual(run.ok, true);
        assert.strictEqual(run.target, "sandbox");
        assert.strictEqual(run.commit, COMMIT);
        const ingest = run.functions.find((f) => f.name === "ingest-v2") as Json;
        // What the state says it runs (the fixture's values, written there from the build's sha256).
        assert.strictEqual(ingest.codeSha256, Buffer.from(stack.artifacts["ingest-v2"].sha256, "hex").toString("base64"));
        assert.deepStrictEqual(
            ingest.layers.map((l: Json) => `${l.name} ${l.version}`),
            ["vectora-core 1.2.3", "common-deps 1.0.5"],
        );
        assert.deepStrictEqual(ingest.report.function, { name: "vectora-inbox-ingest-v2-dev", artifact: "ingest-v2", version: "1.5.0" });
        assert.deepStrictEqual(ingest.report.requirements, { checked: 1, problems: [] });
        assert.strictEqual(ingest.report.canonical.version, CANONICAL.version);
        assert.strictEqual(ingest.report.bedrock.invoked, false);
    });

    it("asks for a model call only with --invoke-model, and only of the functions that call Bedrock", async () => {
        const run = await smokeOf(stack, { invokeModel: true });
        const invoked = Object.fromEntries(run.functions.map((f) => [f.name, f.report?.bedrock?.invoked]));
        assert.deepStrictEqual(invoked, { "ingest-v2": false, "newsletter-v2": true, "normalize-score-v2": true });
        assert.strictEqual(run.ok, true);
    });

    it("fails a function whose code was changed by hand, naming it, and only it", async () => {
        const zip = await changedZip(stack, "ingest-v2", "extra.py", "print('added by hand')\n");
        const key = resourceKey(FUNCTION, stack.functionNames["ingest-v2"]);
        const before = stack.account.read().resources[key].outputs.codeSha256;
        try {
            stack.account.transact((state) => updateCodeByHand(state.resources[key], zip, "extra.zip", stack.blobs, new Date()));
            const run = await smokeOf(stack);
            assert.strictEqual(run.ok, false);
            const failures = failuresOf(run);
            assert.deepStrictEqual(failures["newsletter-v2"], []);
            assert.deepStrictEqual(failures["normalize-score-v2"], []);
            assert.strictEqual(failures["ingest-v2"].length, 2, failures["ingest-v2"].join("\n"));
            assert.match(failures["ingest-v2"][0], /^its code was changed outside Pulumi: it runs CodeSha256 \S+, the stack deployed \S+$/);
            assert.match(
                failures["ingest-v2"][1],
                /^the code it runs \(tree [0-9a-f]{16}\) is not the zip the stack deployed \(tree [0-9a-f]{16}\)$/,
            );
        } finally {
            stack.account.transact((state) => {
                state.resources[key].outputs.codeSha256 = before;
            });
        }
    });

    it("fails a function whose report claims another version than its Version tag", async () => {
        const exported = JSON.parse(JSON.stringify(stack.exported)) as Json;
        const fn = exported.deployment.resources.find((r: Json) => r.type === FUNCTION && r.outputs.tags.Component === "newsletter-v2");
        fn.outputs.tags.Version = "1.8.1";
        const run = await smokeOf(stack, { state: stateExportOf(exported, "dev.export.json", "vectora-inbox", "dev") });
        assert.deepStrictEqual(failuresOf(run)["newsletter-v2"], [
            "the code is newsletter-v2 1.8.0, but the function's Version tag says 1.8.1",
        ]);
    });

    it("fails every function when the config bucket's manifest is at another canonical version", async () => {
        const where = "vectora-inbox-config-dev/manifests/canonical.json";
        const files = { [CANONICAL_FILE.path]: crypto.createHash("sha256").update(CANONICAL_FILE.content).digest("hex") };
        const sha256 = stack.blobs.put(Buffer.from(JSON.stringify({ version: "1.0", sha256: CANONICAL.sha256, files })));
        stack.account.transact((state) => state.objectVersions[where].push({ versionId: "v2", sha256 }));
        try {
            const run = await smokeOf(stack);
            for (const f of run.functions) {
                assert.deepStrictEqual(f.failures, [`canonical: s3://${where} is at canonical version 1.0, expected 1.1`], f.name);
            }
        } finally {
            stack.account.transact((state) => state.objectVersions[where].pop());
        }
    });

    it("fails every function when a canonical file was changed by hand behind its manifest, and passes once it is back", async () => {
        const where = `vectora-inbox-config-dev/${CANONICAL_FILE.key}`;
        const changed = "sources:\n  - https://example.invalid/feed\n";
        const sha256 = stack.blobs.put(Buffer.from(changed));
        const listed = crypto.createHash("sha256").update(CANONICAL_FILE.content).digest("hex");
        stack.account.transact((state) => state.objectVersions[where].push({ versionId: "v2", sha256 }));
        try {
            const run = await smokeOf(stack);
            assert.strictEqual(run.ok, false);
            for (const f of run.functions) {
                assert.deepStrictEqual(
                    f.failures.slice(0, 1),
                    [
                        `canonical: s3://${where} has sha256 ${sha256}, ` +
                            `but s3://vectora-inbox-config-dev/manifests/canonical.json lists ${listed}`,
                    ],
                    f.name,
                );
                // The set the function reads is not the stack's: the run is not the release the state says.
                assert.notStrictEqual(f.report?.canonical?.sha256, CANONICAL.sha256, f.name);
            }
        } finally {
            stack.account.transact((state) => state.objectVersions[where].pop());
        }
        assert.strictEqual((await smokeOf(stack)).ok, true);
    });

    it("reports a handler that raises as Lambda's Unhandled function error, and one that hangs as no answer within the bound", async () => {
        const key = (name: string) => resourceKey(FUNCTION, stack.functionNames[name]);
        const raising = await changedZip(
            stack,
            "ingest-v2",
            "handler.py",
            "def lambda_handler(event, context):\n    raise RuntimeError('boom')\n",
        );
        const hanging = await changedZip(
            stack,
            "newsletter-v2",
            "handler.py",
            "import time\ndef lambda_handler(event, context):\n    time.sleep(30)\n",
        );
        const saved = Object.fromEntries(
            ["ingest-v2", "newsletter-v2"].map((n) => [n, stack.account.read().resources[key(n)].outputs.codeSha256]),
        );
        try {
            stack.account.transact((state) => {
                updateCodeByHand(state.resources[key("ingest-v2")], raising, "raising.zip", stack.blobs, new Date());
                updateCodeByHand(state.resources[key("newsletter-v2")], hanging, "hanging.zip", stack.blobs, new Date());
            });
            const started = Date.now();
            const run = await smokeOf(stack, { timeoutSeconds: 2 });
            assert.ok(Date.now() - started < 20_000, "the bound stops the hanging function");
            const failures = failuresOf(run);
            assert.ok(failures["ingest-v2"].includes("function error (Unhandled): RuntimeError: boom"), failures["ingest-v2"].join("\n"));
            assert.ok(failures["newsletter-v2"].includes("invocation: no answer within 2 s"), failures["newsletter-v2"].join("\n"));
            assert.deepStrictEqual(failures["normalize-score-v2"], []);
        } finally {
            stack.account.transact((state) => {
                for (const [name, sha] of Object.entries(saved)) {
                    state.resources[key(name)].outputs.codeSha256 = sha;
                }
            });
        }
    });

    it("fails a function the account no longer has, and a layer zip whose S3 version no longer holds the deployed bytes", async () => {
        const key = resourceKey(FUNCTION, stack.functionNames["normalize-score-v2"]);
        const saved = stack.account.read();
        const layerZip = `vectora-inbox-lambda-code-dev/${stack.artifacts["vectora-core"].key}`;
        try {
            stack.account.transact((state) => {
                delete state.resources[key];
                state.objectVersions[layerZip][0] = { versionId: "v1", sha256: stack.blobs.put(Buffer.from("other bytes")) };
            });
            const run = await smokeOf(stack);
            const failures = failuresOf(run);
            assert.match(
                failures["normalize-score-v2"][0],
                /^not in the sandbox's simulated account 123456789012: the simulated account has no function of this name$/,
            );
            assert.ok(
                failures["ingest-v2"].some((f) =>
                    /^layer \S+vectora-core-dev:1: its zip s3:\/\/\S+\?versionId=v1 no longer holds the bytes the stack deployed/.test(f),
                ),
                failures["ingest-v2"].join("\n"),
            );
        } finally {
            fs.writeFileSync(stack.account.file, JSON.stringify(saved));
        }
    });

    it("renders a row per function and one line per failure, and keeps the JSON document's fields in a stable order", async () => {
        const key = resourceKey(FUNCTION, stack.functionNames["ingest-v2"]);
        const before = stack.account.read().resources[key].outputs.codeSha256;
        const zip = await changedZip(stack, "ingest-v2", "extra.py", "# by hand\n");
        stack.account.transact((state) => updateCodeByHand(state.resources[key], zip, "x.zip", stack.blobs, new Date()));
        try {
            const run = await smokeOf(stack);
            const text = renderSmoke(run);
            assert.match(
                text,
                /^Smoke test of dev in the sandbox's simulated account 123456789012 \(deployed from commit 0123456789ab\)\n/,
            );
            assert.match(
                text,
                /\n {4}FAIL {2}vectora-inbox-ingest-v2-dev +ingest-v2 1\.5\.0 {2}code sha256:[0-9a-f]{16} {2}vectora-core 1\.2\.3, common-deps 1\.0\.5/,
            );
            assert.match(text, /\nvectora-inbox-ingest-v2-dev: its code was changed outside Pulumi: /);
            assert.match(text, /\n3 functions: 2 passed, 1 failed\. \(In the sandbox: nothing ran on AWS/);
            const doc = JSON.parse(JSON.stringify(run)) as Json;
            assert.deepStrictEqual(Object.keys(doc), [
                "formatVersion",
                "stack",
                "target",
                "where",
                "commit",
                "startedAt",
                "finishedAt",
                "ok",
                "functions",
                "release",
                "stateDigest",
            ]);
            // With a function on code the stack did not deploy, the release run is not the one the state says.
            assert.notStrictEqual(doc.release.digest, doc.stateDigest);
            assert.deepStrictEqual(Object.keys(doc.functions[0]), [
                "name",
                "functionName",
                "version",
                "ok",
                "failures",
                "report",
                "codeSha256",
                "layers",
            ]);
        } finally {
            stack.account.transact((state) => {
                state.resources[key].outputs.codeSha256 = before;
            });
        }
    });
});
