import * as assert from "assert";
import { VectoraFunction } from "../../components/vectoraFunction";
import type { FunctionProfile } from "../../functions/profiles";
import { builtArtifact, find, registrations } from "../helpers/components";

/** A profile written here, not read from the program's table: the component must run what it is given. */
const PROFILE: FunctionProfile = {
    description: "Ingests a client's sources into the data bucket",
    memoryMb: 512,
    timeoutSeconds: 300,
    reads: ["config", "data"],
    writes: ["data"],
    bedrock: false,
    pubmedKey: true,
};

describe("VectoraFunction", () => {
    const sha = "cd".repeat(32);
    const declare = (extra: { reservedConcurrency?: number } = {}) =>
        void new VectoraFunction("ingest-v2", {
            ...extra,
            functionName: "vectora-inbox-ingest-v2-stage",
            roleName: "vectora-inbox-ingest-v2-role-stage",
            policyName: "vectora-inbox-ingest-v2-access-stage",
            artifact: builtArtifact("ingest-v2", "1.5.0", sha),
            codeBucket: "vectora-inbox-lambda-code-stage",
            layers: ["arn:layer:core:1", "arn:layer:deps:1"],
            environment: { ENV: "stage", LOG_LEVEL: "INFO" },
            policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] },
            profile: PROFILE,
            logRetentionDays: 30,
            tags: { Env: "stage" },
        });

    it("owns its zip, log group, role and inline policy, all children of the component", async () => {
        const all = await registrations(() => declare());
        assert.deepStrictEqual(
            all
                .filter((r) => r.parent === "ingest-v2")
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:s3/bucketObjectv2:BucketObjectv2 ingest-v2-zip",
                "aws:cloudwatch/logGroup:LogGroup ingest-v2-logs",
                "aws:iam/role:Role ingest-v2-role",
                "aws:iam/rolePolicy:RolePolicy ingest-v2-access",
                "aws:lambda/function:Function ingest-v2",
            ].sort(),
        );
        assert.deepStrictEqual(find(all, "aws:cloudwatch/logGroup:LogGroup", "ingest-v2-logs").inputs.retentionInDays, 30);
        const trust = JSON.parse(find(all, "aws:iam/role:Role", "ingest-v2-role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement, [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const access = find(all, "aws:iam/rolePolicy:RolePolicy", "ingest-v2-access").inputs;
        assert.strictEqual(access.name, "vectora-inbox-ingest-v2-access-stage");
        assert.deepStrictEqual(JSON.parse(access.policy).Statement[0].Action, "s3:GetObject");
    });

    it("runs the zip's exact bytes on python3.12 with its layers, variables and traceable tags", async () => {
        const fn = find(await registrations(() => declare()), "aws:lambda/function:Function", "ingest-v2");
        assert.strictEqual(fn.inputs.name, "vectora-inbox-ingest-v2-stage");
        assert.strictEqual(fn.inputs.runtime, "python3.12");
        assert.strictEqual(fn.inputs.handler, "handler.lambda_handler");
        assert.strictEqual(fn.inputs.s3Key, "lambdas/ingest-v2-1.5.0.zip");
        assert.strictEqual(fn.inputs.sourceCodeHash, Buffer.from(sha, "hex").toString("base64"));
        assert.deepStrictEqual(fn.inputs.layers, ["arn:layer:core:1", "arn:layer:deps:1"]);
        assert.deepStrictEqual(fn.inputs.environment, { variables: { ENV: "stage", LOG_LEVEL: "INFO" } });
        assert.deepStrictEqual(fn.inputs.tags, { Env: "stage", Component: "ingest-v2", Version: "1.5.0", ArtifactSha256: sha });
        assert.strictEqual(fn.inputs.memorySize, 512);
        assert.strictEqual(fn.inputs.timeout, 300);
        assert.ok(!("reservedConcurrentExecutions" in fn.inputs), "no reservation unless asked: it shares the account's pool");
    });

    it("reserves (and caps) the concurrency it is given", async () => {
        const fn = find(await registrations(() => declare({ reservedConcurrency: 5 })), "aws:lambda/function:Function", "ingest-v2");
        assert.strictEqual(fn.inputs.reservedConcurrentExecutions, 5);
    });

    it("is created after its permissions and its log group, so that its first invocation can use them", async () => {
        const deps = find(await registrations(() => declare()), "aws:lambda/function:Function", "ingest-v2").dependencies;
        assert.ok(deps.includes("ingest-v2-access") && deps.includes("ingest-v2-logs"), deps.join(", "));
    });
});
