import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Evaluation } from "../../simulation/evaluate";
import * as childProcess from "child_process";
import { REPO, copyProject, fakePackageIndex, sha256Of, tempDir } from "../helpers/fixtures";
import { UNKNOWN } from "../../pulumi/wire";
import { evaluate, inputs, ofType, one, outputs } from "../helpers/program";

const ENVS = ["dev", "stage", "prod"] as const;
const FUNCTIONS = ["ingest-v2", "normalize-score-v2", "newsletter-v2"];

/** The physical names a stack must hold, written out by hand from the team's naming rule ({base-name}-{env}). */
function expectedNames(env: string): string[] {
    return [
        `vectora-inbox-config-${env}`,
        `vectora-inbox-data-${env}`,
        `vectora-inbox-newsletters-${env}`,
        `vectora-inbox-lambda-code-${env}`,
        `vectora-inbox-vectora-core-${env}`,
        `vectora-inbox-common-deps-${env}`,
        `vectora-inbox-ingest-v2-${env}`,
        `vectora-inbox-normalize-score-v2-${env}`,
        `vectora-inbox-newsletter-v2-${env}`,
        `vectora-inbox-ingest-v2-role-${env}`,
        `vectora-inbox-normalize-score-v2-role-${env}`,
        `vectora-inbox-newsletter-v2-role-${env}`,
        `vectora-inbox-ingest-v2-access-${env}`,
        `vectora-inbox-normalize-score-v2-access-${env}`,
        `vectora-inbox-newsletter-v2-access-${env}`,
        `/aws/lambda/vectora-inbox-ingest-v2-${env}`,
        `/aws/lambda/vectora-inbox-normalize-score-v2-${env}`,
        `/aws/lambda/vectora-inbox-newsletter-v2-${env}`,
        // Prod logs access to its own log bucket and backs its data up with AWS Backup.
        ...(env === "prod"
            ? [
                  "vectora-inbox-access-logs-prod",
                  "vectora-inbox-backup-prod",
                  "vectora-inbox-daily-backup-prod",
                  "vectora-inbox-backup-role-prod",
                  "vectora-inbox-data-buckets-prod",
              ]
            : []),
    ].sort();
}

const NAME_PROPERTY: Record<string, string> = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:lambda/layerVersion:LayerVersion": "layerName",
    "aws:lambda/function:Function": "name",
    "aws:iam/role:Role": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:backup/vault:Vault": "name",
    "aws:backup/plan:Plan": "name",
    "aws:backup/selection:Selection": "name",
};

function physicalNames(ev: Evaluation): string[] {
    return ev.resources
        .filter((r) => NAME_PROPERTY[r.type])
        .map((r) => String(inputs(r)[NAME_PROPERTY[r.type]]))
        .sort();
}

function versionFile(): Record<string, string> {
    return Object.fromEntries(
        fs
            .readFileSync(path.join(REPO, "VERSION"), "utf8")
            .split("\n")
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => l.split("=") as [string, string]),
    );
}

for (const env of ENVS) {
    describe(`the ${env} stack`, () => {
        let ev: Evaluation;
        before(async () => {
            ev = await evaluate(REPO, env);
        });

        it("holds exactly the expected physical names", () => {
            assert.deepStrictEqual(physicalNames(ev), expectedNames(env));
        });

        it("names every resource that has a name with -" + env, () => {
            for (const name of physicalNames(ev)) {
                assert.ok(name.endsWith(`-${env}`), name);
            }
        });

        it("gives each function the standard variables of its environment", () => {
            for (const fn of FUNCTIONS) {
                const vars = inputs(one(ev, "aws:lambda/function:Function", fn)).environment.variables;
                const expected: Record<string, string> = {
                    ENV: env,
                    PROJECT_NAME: "vectora-inbox",
                    CONFIG_BUCKET: `vectora-inbox-config-${env}`,
                    DATA_BUCKET: `vectora-inbox-data-${env}`,
                    LOG_LEVEL: env === "dev" ? "DEBUG" : "INFO",
                    BEDROCK_MODEL_ID: "anthropic.claude-3-5-sonnet-20240620-v1:0",
                    BEDROCK_REGION: "us-east-1",
                    PUBMED_API_KEY_PARAM: `/rag-lai/${env}/pubmed/api-key`,
                };
                if (fn === "newsletter-v2") {
                    expected.NEWSLETTERS_BUCKET = `vectora-inbox-newsletters-${env}`;
                }
                assert.deepStrictEqual(vars, expected, fn);
            }
        });

        it("runs each function on python3.12 with both layers of the same environment (ARNs known once deployed)", async () => {
            const deployed = await evaluate(copyProject({ git: true }), env, { preview: false, deps: fakePackageIndex });
            for (const fn of FUNCTIONS) {
                // In a preview of a new stack the layer ARNs are unknown, as in the engine.
                assert.deepStrictEqual(one(ev, "aws:lambda/function:Function", fn).inputs.layers, [UNKNOWN, UNKNOWN]);
                const f = inputs(one(deployed, "aws:lambda/function:Function", fn));
                assert.strictEqual(f.runtime, "python3.12");
                assert.strictEqual(f.handler, "handler.lambda_handler");
                assert.deepStrictEqual(f.layers, [
                    `arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-${env}:1`,
                    `arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-common-deps-${env}:1`,
                ]);
                assert.strictEqual(f.s3Bucket, `vectora-inbox-lambda-code-${env}`);
                assert.match(f.s3Key, new RegExp(`^lambdas/${fn}-\\d+\\.\\d+\\.\\d+\\.zip$`));
                assert.deepStrictEqual(Object.keys(f.tags).sort(), [
                    "ArtifactSha256",
                    "Component",
                    "Env",
                    "ManagedBy",
                    "Project",
                    "Version",
                ]);
                assert.strictEqual(f.tags.Env, env);
                assert.strictEqual(f.tags.Component, fn);
            }
        });

        it("publishes the layers from versioned keys with their version in the description", () => {
            const v = versionFile();
            const core = inputs(one(ev, "aws:lambda/layerVersion:LayerVersion", "vectora-core"));
            assert.strictEqual(core.s3Key, `layers/vectora-core-${v.VECTORA_CORE_VERSION}.zip`);
            assert.match(
                core.description,
                new RegExp(`^vectora-core ${v.VECTORA_CORE_VERSION.replace(/\./g, "\\.")} sha256:[0-9a-f]{16}$`),
            );
            // Built for the functions' Python only: a layer listing another runtime would promise wheels it does not hold.
            assert.deepStrictEqual(core.compatibleRuntimes, ["python3.12"]);
            assert.strictEqual(core.skipDestroy, true);
            const deps = inputs(one(ev, "aws:lambda/layerVersion:LayerVersion", "common-deps"));
            assert.strictEqual(deps.s3Key, `layers/common-deps-${v.COMMON_DEPS_VERSION}.zip`);
        });

        it("scopes each role policy to this environment's buckets, log group and parameters", () => {
            for (const fn of FUNCTIONS) {
                const policy = JSON.parse(inputs(one(ev, "aws:iam/rolePolicy:RolePolicy", `${fn}-access`)).policy);
                const resources: string[] = policy.Statement.flatMap((s: { Resource: string | string[] }) => [s.Resource].flat());
                for (const resource of resources) {
                    assert.notStrictEqual(resource, "*");
                    for (const other of ENVS.filter((e) => e !== env)) {
                        assert.ok(!resource.includes(`-${other}`) && !resource.includes(`/${other}/`), `${fn}: ${resource}`);
                    }
                }
                const actions: string[] = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
                assert.strictEqual(actions.includes("bedrock:InvokeModel"), fn !== "ingest-v2", `${fn} bedrock`);
                assert.strictEqual(actions.includes("ssm:GetParameter"), fn === "ingest-v2", `${fn} ssm`);
                assert.ok(resources.includes(`arn:aws:logs:eu-west-3:123456789012:log-group:/aws/lambda/vectora-inbox-${fn}-${env}:*`), fn);
            }
        });

        it("gives every bucket its security resources", () => {
            for (const role of ["config", "data", "newsletters", "lambda-code"]) {
                const bucket = `vectora-inbox-${role}-${env}`;
                const block = inputs(one(ev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${role}-public-access`));
                assert.deepStrictEqual(block, {
                    bucket,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                });
                assert.deepStrictEqual(
                    inputs(one(ev, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${role}-ownership`)).rule,
                    { objectOwnership: "BucketOwnerEnforced" },
                );
                assert.strictEqual(
                    inputs(
                        one(
                            ev,
                            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                            `${role}-encryption`,
                        ),
                    ).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm,
                    "AES256",
                );
                assert.deepStrictEqual(
                    inputs(one(ev, "aws:s3/bucketVersioning:BucketVersioning", `${role}-versioning`)).versioningConfiguration,
                    { status: "Enabled" },
                );
                const policy = JSON.parse(inputs(one(ev, "aws:s3/bucketPolicy:BucketPolicy", `${role}-tls-only`)).policy);
                assert.deepStrictEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
                const protect = one(ev, "aws:s3/bucket:Bucket", role).protect;
                assert.strictEqual(protect, env === "prod" && (role === "data" || role === "newsletters"), `${bucket} protect`);
            }
        });

        it("keeps logs longer in prod", () => {
            const days = ofType(ev, "aws:cloudwatch/logGroup:LogGroup").map((r) => inputs(r).retentionInDays);
            assert.deepStrictEqual(days, [
                { dev: 14, stage: 30, prod: 90 }[env],
                { dev: 14, stage: 30, prod: 90 }[env],
                { dev: 14, stage: 30, prod: 90 }[env],
            ]);
        });

        it("syncs every canonical file to the config bucket, with its type and the canonical version", () => {
            const files = fs
                .readdirSync(path.join(REPO, "canonical"), { recursive: true, encoding: "utf8" })
                .filter((f) => fs.statSync(path.join(REPO, "canonical", f)).isFile())
                .map((f) => f.split(path.sep).join("/"))
                .sort();
            const objects = ofType(ev, "aws:s3/bucketObjectv2:BucketObjectv2")
                .map(inputs)
                .filter((o) => o.key.startsWith("canonical/"));
            assert.deepStrictEqual(
                objects.map((o) => o.key).sort(),
                files.map((f) => `canonical/${f}`),
            );
            for (const o of objects) {
                assert.strictEqual(o.bucket, `vectora-inbox-config-${env}`);
                assert.strictEqual(o.contentType, "application/yaml");
                assert.strictEqual(o.metadata["canonical-version"], versionFile().CANONICAL_VERSION);
                assert.strictEqual(o.metadata.sha256, sha256Of(path.join(REPO, o.key)));
            }
            const manifest = JSON.parse(inputs(one(ev, "aws:s3/bucketObjectv2:BucketObjectv2", "canonical-manifest")).content);
            assert.deepStrictEqual(Object.keys(manifest.files).sort(), files);
        });

        it("exports every VERSION value and each artifact's version, sha256 and key", () => {
            const out = outputs(ev);
            const v = versionFile();
            assert.strictEqual(out.env, env);
            assert.deepStrictEqual(out.versions, v);
            const expected: Record<string, string> = {
                "vectora-core": v.VECTORA_CORE_VERSION,
                "common-deps": v.COMMON_DEPS_VERSION,
                "ingest-v2": v.INGEST_VERSION,
                "normalize-score-v2": v.NORMALIZE_VERSION,
                "newsletter-v2": v.NEWSLETTER_VERSION,
                canonical: v.CANONICAL_VERSION,
            };
            assert.deepStrictEqual(Object.keys(out.artifacts).sort(), Object.keys(expected).sort());
            for (const [name, version] of Object.entries(expected)) {
                assert.strictEqual(out.artifacts[name].version, version, name);
                assert.match(out.artifacts[name].sha256, /^[0-9a-f]{64}$/);
            }
            for (const fn of FUNCTIONS) {
                const tags = inputs(one(ev, "aws:lambda/function:Function", fn)).tags;
                assert.strictEqual(tags.Version, out.artifacts[fn].version);
                assert.strictEqual(tags.ArtifactSha256, out.artifacts[fn].sha256);
                assert.strictEqual(inputs(one(ev, "aws:s3/bucketObjectv2:BucketObjectv2", `${fn}-zip`)).key, out.artifacts[fn].key);
            }
            assert.deepStrictEqual(out.incompleteArtifacts, ["common-deps"]);
            assert.deepStrictEqual(out.buckets, {
                config: `vectora-inbox-config-${env}`,
                data: `vectora-inbox-data-${env}`,
                newsletters: `vectora-inbox-newsletters-${env}`,
                "lambda-code": `vectora-inbox-lambda-code-${env}`,
            });
        });

        it("caps the functions that call Bedrock with a reserved concurrency (1 in dev, 2 in stage, 5 in prod), and not ingest", () => {
            const reserved = Object.fromEntries(
                FUNCTIONS.map((fn) => [fn, inputs(one(ev, "aws:lambda/function:Function", fn)).reservedConcurrentExecutions]),
            );
            const cap = { dev: 1, stage: 2, prod: 5 }[env];
            // -1 is the provider's default (no reservation: terraform-provider-aws function.go), which Check fills in.
            assert.deepStrictEqual(reserved, { "ingest-v2": -1, "normalize-score-v2": cap, "newsletter-v2": cap });
        });

        it("hands the pack and the provider the inputs after the provider's Check: defaults filled in, and named", () => {
            const fn = one(ev, "aws:lambda/function:Function", "ingest-v2").inputs;
            assert.deepStrictEqual(fn.__defaults, ["packageType", "publish", "reservedConcurrentExecutions", "skipDestroy"]);
            assert.deepStrictEqual(fn.tagsAll, fn.tags);
            const block = one(ev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access").inputs;
            assert.deepStrictEqual(block.__defaults, [], "every switch is set by the program");
        });

        it("expires old versions after the rollback window, failed uploads after 7 days, and expired delete markers", () => {
            for (const role of ["config", "data", "newsletters", "lambda-code"]) {
                const rules = inputs(
                    one(ev, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${role}-lifecycle`),
                ).rules;
                const days = { dev: 30, stage: 30, prod: 90 }[env];
                assert.deepStrictEqual(
                    rules.map((r: Record<string, unknown>) => [
                        r.status,
                        r.noncurrentVersionExpiration,
                        r.abortIncompleteMultipartUpload,
                        r.expiration,
                    ]),
                    [
                        ["Enabled", { noncurrentDays: days }, { daysAfterInitiation: 7 }, undefined],
                        ["Enabled", undefined, undefined, { expiredObjectDeleteMarker: true }],
                    ],
                    role,
                );
            }
        });

        it(env === "prod" ? "logs access to config, data and newsletters into prod's log bucket" : "logs no access (prod only)", () => {
            const logging = ofType(ev, "aws:s3/bucketLogging:BucketLogging").map(inputs);
            if (env !== "prod") {
                assert.deepStrictEqual(logging, []);
                return;
            }
            assert.deepStrictEqual(
                logging.map((l) => [l.bucket, l.targetBucket, l.targetPrefix]).sort(),
                ["config", "data", "newsletters"].map((r) => [
                    `vectora-inbox-${r}-prod`,
                    "vectora-inbox-access-logs-prod",
                    `vectora-inbox-${r}-prod/`,
                ]),
            );
        });

        it("tags every bucket, role and log group with Project, Env and ManagedBy", () => {
            const taggable = [
                "aws:s3/bucket:Bucket",
                "aws:iam/role:Role",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:lambda/function:Function",
            ];
            for (const r of ev.resources.filter((x) => taggable.includes(x.type))) {
                const tags = inputs(r).tags;
                assert.deepStrictEqual([tags.Project, tags.Env, tags.ManagedBy], ["vectora-inbox", env, "pulumi"], r.name);
            }
        });

        it(
            env === "dev"
                ? "has no promotion gate"
                : "registers its promotion gate first, naming the pinned source stack, and reads no StackReference",
            () => {
                assert.deepStrictEqual(ofType(ev, "pulumi:pulumi:StackReference"), []);
                const gates = ofType(ev, "vectora:promotion:PromotionGate");
                const source = { dev: undefined, stage: "organization/vectora-inbox/dev", prod: "organization/vectora-inbox/stage" }[env];
                assert.deepStrictEqual(
                    gates.map((g) => inputs(g).sourceStack),
                    source ? [source] : [],
                );
                assert.strictEqual(outputs(ev).sourceStack, source);
                if (source) {
                    // Registered right after the root stack: every other resource waits for it.
                    assert.strictEqual(ev.resources.filter((r) => r.registered)[1].type, "vectora:promotion:PromotionGate");
                }
            },
        );
    });
}

describe("two evaluations of unchanged sources", () => {
    it("declare identical resources and outputs", async () => {
        const a = await evaluate(REPO, "stage");
        const b = await evaluate(REPO, "stage");
        assert.deepStrictEqual(b.resources, a.resources);
        assert.deepStrictEqual(b.outputs, a.outputs);
    });
});

describe("the build manifest", () => {
    it("records each artifact's version, sha256, sizes and the git commit, as the files on disk and git say", async () => {
        const buildDir = tempDir("vectora-manifest-");
        const ev = await evaluate(REPO, "dev", { buildDir });
        const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, "manifest.json"), "utf8"));
        const head = childProcess.spawnSync("git", ["rev-parse", "HEAD"], { cwd: REPO, encoding: "utf8" });
        assert.strictEqual(head.status, 0, `this test reads the commit with git rev-parse HEAD, which failed: ${head.stderr}`);
        assert.strictEqual(manifest.commit, head.stdout.trim());
        const v = versionFile();
        const versions: Record<string, string> = {
            "vectora-core": v.VECTORA_CORE_VERSION,
            "common-deps": v.COMMON_DEPS_VERSION,
            "ingest-v2": v.INGEST_VERSION,
            "normalize-score-v2": v.NORMALIZE_VERSION,
            "newsletter-v2": v.NEWSLETTER_VERSION,
        };
        const out = outputs(ev);
        for (const [name, version] of Object.entries(versions)) {
            const entry = manifest.artifacts[name];
            const zip = path.join(buildDir, "artifacts", `${name}-${version}.zip`);
            assert.strictEqual(entry.version, version, name);
            assert.strictEqual(entry.sha256, sha256Of(zip), name);
            assert.strictEqual(entry.size, fs.statSync(zip).size, name);
            assert.strictEqual(out.artifacts[name].sha256, entry.sha256, `${name}: the stack exports the bytes it built`);
            assert.ok(entry.unzippedSize > 0 && entry.files > 0, name);
        }
        assert.strictEqual(manifest.artifacts["common-deps"].complete, false);
        assert.deepStrictEqual(manifest.canonical, {
            version: out.artifacts.canonical.version,
            sha256: out.artifacts.canonical.sha256,
            files: 7,
        });
    });
});

describe("a canonical file removed from the repository", () => {
    it("is no longer declared, so the next pulumi up deletes it from the bucket", async () => {
        const root = copyProject();
        fs.rmSync(path.join(root, "canonical/scopes/technology_scopes.yaml"));
        const keys = ofType(await evaluate(root, "stage"), "aws:s3/bucketObjectv2:BucketObjectv2").map((r) => inputs(r).key);
        assert.ok(keys.includes("canonical/scopes/company_scopes.yaml"));
        assert.ok(!keys.includes("canonical/scopes/technology_scopes.yaml"));
    });
});
