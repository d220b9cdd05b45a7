import type { TestResource } from "./pack";

/**
 * Compliant resources of one environment, written by hand the way the program declares them; each
 * policy test breaks one field at a time.
 */
export function fn(env: string, component = "ingest-v2", overrides: Record<string, unknown> = {}): TestResource {
    return {
        type: "aws:lambda/function:Function",
        name: component,
        props: {
            name: `vectora-inbox-${component}-${env}`,
            role: `arn:aws:iam::123456789012:role/vectora-inbox-${component}-role-${env}`,
            runtime: "python3.12",
            handler: "handler.lambda_handler",
            s3Bucket: `vectora-inbox-lambda-code-${env}`,
            s3Key: `lambdas/${component}-1.5.0.zip`,
            layers: [
                `arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-${env}:7`,
                `arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-common-deps-${env}:3`,
            ],
            environment: {
                variables: {
                    ENV: env,
                    PROJECT_NAME: "vectora-inbox",
                    CONFIG_BUCKET: `vectora-inbox-config-${env}`,
                    DATA_BUCKET: `vectora-inbox-data-${env}`,
                    LOG_LEVEL: env === "dev" ? "DEBUG" : "INFO",
                    BEDROCK_MODEL_ID: "anthropic.claude-3-5-sonnet-20240620-v1:0",
                    BEDROCK_REGION: "us-east-1",
                    PUBMED_API_KEY_PARAM: `/rag-lai/${env}/pubmed/api-key`,
                },
            },
            tags: { Project: "vectora-inbox", Env: env, Component: component, Version: "1.5.0", ArtifactSha256: "a".repeat(64) },
            ...overrides,
        },
    };
}

/** Lambda's sourceCodeHash (base64 of the raw sha256) of a hex sha256. */
export function sourceHash(hex: string): string {
    return Buffer.from(hex, "hex").toString("base64");
}

export function layer(
    env: string,
    component = "vectora-core",
    version = "1.2.3",
    sha256 = "0123456789abcdef".repeat(4),
    overrides: Record<string, unknown> = {},
): TestResource {
    return {
        type: "aws:lambda/layerVersion:LayerVersion",
        name: component,
        props: {
            layerName: `vectora-inbox-${component}-${env}`,
            description: `${component} ${version} sha256:${sha256.slice(0, 16)}`,
            s3Bucket: `vectora-inbox-lambda-code-${env}`,
            s3Key: `layers/${component}-${version}.zip`,
            sourceCodeHash: sourceHash(sha256),
            compatibleRuntimes: ["python3.11", "python3.12"],
            ...overrides,
        },
    };
}

export function bucket(env: string, role = "data", overrides: Record<string, unknown> = {}, protect = false): TestResource {
    return { type: "aws:s3/bucket:Bucket", name: role, props: { bucket: `vectora-inbox-${role}-${env}`, ...overrides }, protect };
}

/** A bucket with the companions that make it private, encrypted and versioned. */
export function secureBucket(env: string, role = "data"): TestResource[] {
    const name = `vectora-inbox-${role}-${env}`;
    return [
        bucket(env, role),
        {
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            name: `${role}-public-access`,
            props: { bucket: name, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        },
        {
            type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            name: `${role}-encryption`,
            props: { bucket: name, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        },
        {
            type: "aws:s3/bucketVersioning:BucketVersioning",
            name: `${role}-versioning`,
            props: { bucket: name, versioningConfiguration: { status: "Enabled" } },
        },
    ];
}

export function rolePolicy(env: string, statements: unknown[], name = `vectora-inbox-ingest-v2-access-${env}`): TestResource {
    return {
        type: "aws:iam/rolePolicy:RolePolicy",
        name: "ingest-v2-access",
        props: {
            name,
            role: `vectora-inbox-ingest-v2-role-${env}`,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
        },
    };
}

export function stackReference(name: string, outputs: unknown): TestResource {
    return { type: "pulumi:pulumi:StackReference", name: "stage", props: { name, outputs, secretOutputNames: [] } };
}

export function canonicalManifest(env: string, version: string, sha256: string): TestResource {
    return {
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        name: "canonical-manifest",
        props: {
            bucket: `vectora-inbox-config-${env}`,
            key: "manifests/canonical.json",
            metadata: { "canonical-version": version, "canonical-sha256": sha256 },
        },
    };
}

/** Prod's promotion gate, as the program registers it: stage's outputs beside what prod deploys. */
export function promotionGate(stage: unknown, deploys: unknown, stageStack: unknown = "organization/vectora-inbox/stage"): TestResource {
    // A value the program did not set is absent from the wire form, not undefined.
    const props = Object.fromEntries(Object.entries({ stageStack, stage, deploys }).filter(([, v]) => v !== undefined));
    return { type: "vectora:promotion:PromotionGate", name: "promotion-gate", props };
}
