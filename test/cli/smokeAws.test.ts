import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { LambdaClient, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { smoke } from "../../cli/smoke";
import { awsSmokeTarget } from "../../cli/awsSmokeTarget";
import { tempDir, write } from "../helpers/fixtures";
import { pythonTree } from "../helpers/handlerDigest";
import { CommandRun, Json, runIn } from "../helpers/io";
import { InvokeAnswer, Moto, invokeProxy, startMoto } from "../helpers/moto";
import { CANONICAL, COMMIT, SmokeStack, smokeStack } from "../helpers/smokeStack";
import { StandIn, standInPulumi } from "../helpers/standinPulumi";

/**
 * The AWS side of npm run smoke, against moto (moto[server], test/emulator): GetFunctionConfiguration,
 * GetLayerVersionByArn, S3 GetObject of each zip's version and Invoke through the AWS SDK, as they go to AWS. Moto runs
 * no function without docker (none here): its Invoke answers the next result queued with
 * /moto-api/static/lambda-simple/response, or echoes the event when none is (moto/awslambda_simple/models.py). So the
 * reports here are written by the test, as a handler would answer them, with digests Python computes from the zips;
 * a function error and an Invoke that never answers come from a proxy in front of moto. Nothing here ran on AWS.
 */

const REGION = "eu-west-3";
const CODE_BUCKET = "vectora-inbox-lambda-code-dev";
const FUNCTION = "vectora-inbox-ingest-v2-dev";
const AWS_VARIABLES = ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"];

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file));

describe("npm run smoke against AWS, through the AWS SDK, tested on moto", function () {
    this.timeout(300_000);
    let moto: Moto;
    let stack: SmokeStack;
    let cli: StandIn;
    let report: Json;
    let made: Json;

    /** Runs the command with the emulator's endpoint and test credentials (other AWS settings unset). */
    async function smokeAgainst(endpoint: string, ...argv: string[]): Promise<CommandRun> {
        const saved = { ...process.env };
        AWS_VARIABLES.forEach((k) => delete process.env[k]);
        Object.assign(
            process.env,
            cli.env({ AWS_ENDPOINT_URL: endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }),
        );
        try {
            return await runIn(smoke, "--stack", "dev", "--cwd", stack.root, ...argv);
        } finally {
            for (const key of Object.keys(process.env)) {
                if (!(key in saved)) {
                    delete process.env[key];
                }
            }
            Object.assign(process.env, saved);
        }
    }

    /** Queues the answers of moto's next Invokes. */
    async function queue(...results: unknown[]): Promise<void> {
        const answer = await fetch(`${moto.endpoint}/moto-api/static/lambda-simple/response`, {
            method: "POST",
            body: JSON.stringify({ results: results.map((r) => JSON.stringify(r)), region: REGION }),
        });
        assert.strictEqual(answer.status, 201);
    }

    /** The state export of dev: the stack deployed in moto, with ingest-v2 only (moto's queue answers in call order). */
    function exportWith(extraFunction?: string): Json {
        const exported = JSON.parse(JSON.stringify(stack.exported)) as Json;
        const versionOf = (key: string) => made.objects[`${CODE_BUCKET}/${key}`];
        const resources: Json[] = [];
        for (const r of exported.deployment.resources) {
            if (r.type === "aws:lambda/layerVersion:LayerVersion") {
                r.outputs.arn = made.layers[r.outputs.layerName];
                r.outputs.s3ObjectVersion = versionOf(r.outputs.s3Key);
            }
            if (r.type === "aws:lambda/function:Function") {
                if (r.outputs.name !== FUNCTION) {
                    continue;
                }
                r.outputs.arn = made.functions[FUNCTION];
                r.outputs.layers = ["vectora-inbox-vectora-core-dev", "vectora-inbox-common-deps-dev"].map((n) => made.layers[n]);
                r.outputs.s3ObjectVersion = versionOf(r.outputs.s3Key);
                if (extraFunction) {
                    resources.push({ ...r, urn: `${r.urn}-other`, outputs: { ...r.outputs, name: extraFunction } });
                }
            }
            resources.push(r);
        }
        exported.deployment.resources = resources;
        return exported;
    }

    before(async () => {
        stack = await smokeStack();
        moto = await startMoto();
        // moto's Lambda without docker: Invoke answers from its queue instead of running the function.
        const config = await fetch(`${moto.endpoint}/moto-api/config`, {
            method: "POST",
            body: JSON.stringify({ lambda: { use_docker: false } }),
        });
        assert.strictEqual(config.status, 201);
        const a = stack.artifacts;
        const spec = {
            objects: Object.values(a).map((artifact) => ({ bucket: CODE_BUCKET, key: artifact.key, file: artifact.zipPath })),
            layers: (["vectora-core", "common-deps"] as const).map((n) => ({
                name: `vectora-inbox-${n}-dev`,
                bucket: CODE_BUCKET,
                key: a[n].key,
                description: `${n} ${a[n].version} sha256:${a[n].sha256.slice(0, 16)}`,
            })),
            functions: [
                {
                    name: FUNCTION,
                    bucket: CODE_BUCKET,
                    key: a["ingest-v2"].key,
                    layers: ["vectora-inbox-vectora-core-dev", "vectora-inbox-common-deps-dev"],
                    environment: { ENV: "dev" },
                    tags: { Component: "ingest-v2", Version: "1.5.0" },
                },
            ],
        };
        made = JSON.parse(moto.seed("smoke", write(tempDir(), "spec.json", JSON.stringify(spec))));
        cli = standInPulumi();
        write(cli.data, "dev.export.json", JSON.stringify(exportWith()));
        report = {
            vectora_smoke: 1,
            ok: true,
            failures: [],
            function: { name: FUNCTION, artifact: "ingest-v2", version: "1.5.0" },
            code: { path: "/var/task", tree_sha256: pythonTree(a["ingest-v2"].zipPath, ".") },
            layers: {
                "vectora-core": {
                    path: "/opt/python/vectora_core",
                    tree_sha256: pythonTree(a["vectora-core"].zipPath, "python/vectora_core"),
                    version: "1.2.3",
                },
                "common-deps": {
                    path: "/opt/python",
                    tree_sha256: pythonTree(a["common-deps"].zipPath, "python", ["vectora_core"]),
                    version: "1.0.5",
                    excluded: ["vectora_core"],
                },
            },
            canonical: {
                bucket: "vectora-inbox-config-dev",
                key: "manifests/canonical.json",
                version: "1.1",
                sha256: CANONICAL.sha256,
                expected_version: "1.1",
            },
        };
    });
    after(() => moto?.stop());

    it("passes a function whose report matches: its CodeSha256 and its layers' as Lambda answers them", async () => {
        await queue(report);
        const run = await smokeAgainst(moto.endpoint, "--json");
        assert.strictEqual(run.code, 0, run.err + run.out);
        const doc = JSON.parse(run.out) as Json;
        assert.strictEqual(doc.target, "aws");
        assert.strictEqual(doc.where, `${moto.endpoint} (AWS_ENDPOINT_URL)`);
        assert.strictEqual(doc.commit, COMMIT);
        const fn = doc.functions[0];
        assert.strictEqual(fn.codeSha256, sha256(stack.artifacts["ingest-v2"].zipPath).digest("base64"));
        assert.deepStrictEqual(
            fn.layers.map((l: Json) => [l.name, l.version, l.codeSha256]),
            [
                ["vectora-core", "1.2.3", sha256(stack.artifacts["vectora-core"].zipPath).digest("base64")],
                ["common-deps", "1.0.5", sha256(stack.artifacts["common-deps"].zipPath).digest("base64")],
            ],
        );
        // The pass is recorded on dev's tags: the release (every artifact's version and the hex of Lambda's hashes),
        // its digest as the gates compute it (`name version sha256` lines in name order), the commit.
        const hex = (name: keyof typeof stack.artifacts) => sha256(stack.artifacts[name].zipPath).digest("hex");
        const lines = [
            ["canonical", "1.1", CANONICAL.sha256],
            ["common-deps", "1.0.5", hex("common-deps")],
            ["ingest-v2", "1.5.0", hex("ingest-v2")],
            ["vectora-core", "1.2.3", hex("vectora-core")],
        ];
        const digest = crypto
            .createHash("sha256")
            .update(lines.map((l) => `${l.join(" ")}\n`).join(""))
            .digest("hex");
        const tags = JSON.parse(fs.readFileSync(path.join(cli.data, "dev.tags.json"), "utf8")) as Record<string, string>;
        assert.match(tags[`vectora:smoke:${digest.slice(0, 24)}`], new RegExp(`^v1 pass \\S+Z ${digest} ${COMMIT}$`));
        assert.deepStrictEqual(
            Object.keys(tags)
                .filter((k) => k.startsWith("vectora:release:"))
                .sort()
                .map((k) => tags[k]),
            lines.map((l) => l.join(" ")),
        );
        assert.strictEqual(doc.attestation.result, "pass");
    });

    it("fails a report that claims another version or a tree other than the deployed zip's", async () => {
        await queue({
            ...report,
            function: { ...report.function, version: "1.4.9" },
            code: { ...report.code, tree_sha256: "f".repeat(64) },
        });
        const run = await smokeAgainst(moto.endpoint);
        assert.strictEqual(run.code, 1, run.err + run.out);
        assert.match(run.out, /^vectora-inbox-ingest-v2-dev: the code is ingest-v2 1\.4\.9, but the function's Version tag says 1\.5\.0$/m);
        // The failure replaces the pass of the same release: the next gate refuses it until a run passes again.
        assert.match(run.out, /^Recorded on dev: vectora:smoke:[0-9a-f]{24} = fail \(release [0-9a-f]{16}\)\.$/m);
        const tags = JSON.parse(fs.readFileSync(path.join(cli.data, "dev.tags.json"), "utf8")) as Record<string, string>;
        assert.deepStrictEqual(
            Object.values(tags)
                .filter((v) => v.startsWith("v1 "))
                .map((v) => v.split(" ")[1]),
            ["fail"],
        );
        assert.match(
            run.out,
            /^vectora-inbox-ingest-v2-dev: the code it runs \(tree ffffffffffffffff\) is not the zip the stack deployed/m,
        );
    });

    it("sends the smoke event with the stack's canonical version, RequestResponse, and fails an answer that is no report", async () => {
        // Nothing queued: moto answers with the event it was sent.
        const target = awsSmokeTarget(REGION);
        const saved = { ...process.env };
        Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
        try {
            const event = { vectora_smoke: true, expect: { canonical_version: "1.1" } };
            const probe = await target.probe({
                stack: "dev",
                functions: [{ functionName: FUNCTION, event }],
                layers: [],
                objects: [],
                timeoutMs: 10_000,
            });
            assert.deepStrictEqual(JSON.parse(probe.functions[0].invocation?.payload ?? ""), event);
        } finally {
            Object.assign(process.env, saved);
            for (const key of ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].filter((k) => !(k in saved))) {
                delete process.env[key];
            }
        }
        const run = await smokeAgainst(moto.endpoint);
        assert.strictEqual(run.code, 1, run.err);
        assert.match(run.out, /^vectora-inbox-ingest-v2-dev: the report's format is true; this checker reads format 1$/m);
    });

    it("reports Lambda's function error, an Invoke with no answer within the bound, and a function Lambda lacks", async () => {
        let next: InvokeAnswer = { functionError: "Unhandled", body: JSON.stringify({ errorMessage: "boom", errorType: "RuntimeError" }) };
        const proxy = await invokeProxy(moto.endpoint, () => next);
        try {
            const failed = await smokeAgainst(proxy.endpoint);
            assert.strictEqual(failed.code, 1, failed.err);
            assert.match(failed.out, /^vectora-inbox-ingest-v2-dev: function error \(Unhandled\): RuntimeError: boom$/m);
            next = "hang";
            const started = Date.now();
            const hung = await smokeAgainst(proxy.endpoint, "--timeout-seconds", "1");
            assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
            assert.strictEqual(hung.code, 1, hung.err);
            assert.match(hung.out, /^vectora-inbox-ingest-v2-dev: invocation: no answer within 1 s \(--timeout-seconds\)$/m);
        } finally {
            await proxy.close();
        }
        write(cli.data, "dev.export.json", JSON.stringify(exportWith("vectora-inbox-ghost-dev")));
        try {
            await queue(report);
            const run = await smokeAgainst(moto.endpoint);
            assert.strictEqual(run.code, 1, run.err);
            assert.match(
                run.out,
                new RegExp(
                    `^vectora-inbox-ghost-dev: not in ${moto.endpoint} \\(AWS_ENDPOINT_URL\\): Lambda has no function of this name$`,
                    "m",
                ),
            );
            assert.doesNotMatch(run.out, /^vectora-inbox-ingest-v2-dev: /m);
        } finally {
            write(cli.data, "dev.export.json", JSON.stringify(exportWith()));
        }
    });

    it("fails a function whose code was replaced outside Pulumi (UpdateFunctionCode)", async () => {
        const lambda = new LambdaClient({
            endpoint: moto.endpoint,
            region: REGION,
            credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
        await lambda.send(
            new UpdateFunctionCodeCommand({ FunctionName: FUNCTION, ZipFile: fs.readFileSync(stack.artifacts["newsletter-v2"].zipPath) }),
        );
        await queue(report);
        const run = await smokeAgainst(moto.endpoint);
        assert.strictEqual(run.code, 1, run.err);
        const expected = `it runs CodeSha256 ${sha256(stack.artifacts["newsletter-v2"].zipPath).digest("base64")}, the stack deployed`;
        assert.ok(run.out.includes(`vectora-inbox-ingest-v2-dev: its code was changed outside Pulumi: ${expected}`), run.out);
    });

    it("refuses to start without credentials: one line, exit 2", async () => {
        const saved = { ...process.env };
        AWS_VARIABLES.forEach((k) => delete process.env[k]);
        Object.assign(
            process.env,
            cli.env({
                AWS_REGION: REGION,
                AWS_SHARED_CREDENTIALS_FILE: path.join(tempDir(), "none"),
                AWS_CONFIG_FILE: path.join(tempDir(), "none"),
            }),
        );
        try {
            const run = await runIn(smoke, "--stack", "dev", "--cwd", stack.root);
            assert.strictEqual(run.code, 2, run.err + run.out);
            assert.match(run.err, /^error: no AWS credentials found for GetFunctionConfiguration; set AWS_PROFILE/);
            assert.strictEqual(run.err.trim().split("\n").length, 1);
        } finally {
            for (const key of Object.keys(process.env)) {
                if (!(key in saved)) {
                    delete process.env[key];
                }
            }
            Object.assign(process.env, saved);
        }
    });
});
