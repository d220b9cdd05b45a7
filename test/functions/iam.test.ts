import * as assert from "assert";
import { functionPolicyDocument, lambdaAssumeRolePolicy, tlsOnlyBucketPolicy } from "../../functions/iam";

describe("IAM documents", () => {
    const base = {
        env: "stage",
        region: "eu-west-3",
        accountId: "111122223333",
        logGroupName: "/aws/lambda/vectora-inbox-ingest-v2-stage",
        readBuckets: ["vectora-inbox-config-stage", "vectora-inbox-data-stage"],
        writeBuckets: ["vectora-inbox-data-stage"],
        pubmedKey: true,
    };

    it("grants a function its log group, its buckets and its PubMed parameter, by name", () => {
        const doc = functionPolicyDocument(base);
        assert.deepStrictEqual(doc.Statement, [
            {
                Sid: "OwnLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: "arn:aws:logs:eu-west-3:111122223333:log-group:/aws/lambda/vectora-inbox-ingest-v2-stage:*",
            },
            {
                Sid: "ListOwnBuckets",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: ["arn:aws:s3:::vectora-inbox-config-stage", "arn:aws:s3:::vectora-inbox-data-stage"],
            },
            {
                Sid: "ReadObjects",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: ["arn:aws:s3:::vectora-inbox-config-stage/*", "arn:aws:s3:::vectora-inbox-data-stage/*"],
            },
            { Sid: "WriteObjects", Effect: "Allow", Action: "s3:PutObject", Resource: ["arn:aws:s3:::vectora-inbox-data-stage/*"] },
            {
                Sid: "ReadPubmedKey",
                Effect: "Allow",
                Action: "ssm:GetParameter",
                Resource: "arn:aws:ssm:eu-west-3:111122223333:parameter/rag-lai/stage/pubmed/*",
            },
        ]);
    });

    it("grants Bedrock on the configured model only", () => {
        const doc = functionPolicyDocument({
            ...base,
            pubmedKey: false,
            bedrock: { region: "us-east-1", modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0" },
        });
        const invoke = doc.Statement.find((s) => s.Sid === "InvokeModel");
        assert.deepStrictEqual(invoke?.Resource, ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"]);
        assert.ok(!doc.Statement.some((s) => s.Sid === "ReadPubmedKey"));
        const profile = functionPolicyDocument({
            ...base,
            bedrock: { region: "us-east-1", modelId: "eu.anthropic.claude-3-5-sonnet-20240620-v1:0" },
        });
        assert.deepStrictEqual(profile.Statement.find((s) => s.Sid === "InvokeModel")?.Resource, [
            "arn:aws:bedrock:us-east-1:111122223333:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
            "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
        ]);
    });

    it("lets only Lambda assume a function role, and denies S3 requests without TLS", () => {
        assert.deepStrictEqual(lambdaAssumeRolePolicy().Statement, [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const tls = tlsOnlyBucketPolicy("vectora-inbox-data-prod").Statement[0];
        assert.strictEqual(tls.Effect, "Deny");
        assert.deepStrictEqual(tls.Resource, ["arn:aws:s3:::vectora-inbox-data-prod", "arn:aws:s3:::vectora-inbox-data-prod/*"]);
        assert.deepStrictEqual(tls.Condition, { Bool: { "aws:SecureTransport": "false" } });
    });
});
