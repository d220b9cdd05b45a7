import type { TestResource } from "./pack";

/**
 * Compliant resources of one environment, written by hand the way the program declares them; each
 * policy test breaks one field at a time.
 */
export function fn(env: string, component = "ingest-v2", overrides: Record<string, unknown> = {}): TestResource {
    return {
        type: "aws:lambda/function:Function",
        name: component,
        props: defined({
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
            tags: {
                Project: "vectora-inbox",
                Env: env,
                ManagedBy: "pulumi",
                Component: component,
                Version: "1.5.0",
                ArtifactSha256: "a".repeat(64),
            },
            ...overrides,
        }),
    };
}

/** Props without the keys set to undefined: a value the program does not set is absent from the wire form. */
function defined(props: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
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
        props: defined({
            layerName: `vectora-inbox-${component}-${env}`,
            description: `${component} ${version} sha256:${sha256.slice(0, 16)}`,
            s3Bucket: `vectora-inbox-lambda-code-${env}`,
            s3Key: `layers/${component}-${version}.zip`,
            sourceCodeHash: sourceHash(sha256),
            compatibleRuntimes: ["python3.12"],
            ...overrides,
        }),
    };
}

export function bucket(env: string, role = "data", overrides: Record<string, unknown> = {}, protect = false): TestResource {
    return {
        type: "aws:s3/bucket:Bucket",
        name: role,
        props: defined({ bucket: `vectora-inbox-${role}-${env}`, tags: tags(env), ...overrides }),
        protect,
    };
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

/** The standard tags of an environment, written out. */
export function tags(env: string): Record<string, string> {
    return { Project: "vectora-inbox", Env: env, ManagedBy: "pulumi" };
}

/** A function's role as the program declares it: only Lambda may assume it. */
export function role(env: string, component = "ingest-v2", overrides: Record<string, unknown> = {}): TestResource {
    return {
        type: "aws:iam/role:Role",
        name: `${component}-role`,
        props: {
            name: `vectora-inbox-${component}-role-${env}`,
            arn: `arn:aws:iam::123456789012:role/vectora-inbox-${component}-role-${env}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: tags(env),
            ...overrides,
        },
    };
}

/** A function, its role and the role's policy, linked as the engine links them (property dependencies). */
export function functionWithRole(
    env: string,
    component: string,
    statements: unknown[],
    fnOverrides: Record<string, unknown> = {},
): { fn: TestResource; role: TestResource; policy: TestResource } {
    const r = role(env, component);
    const policy = { ...rolePolicy(env, statements, `vectora-inbox-${component}-access-${env}`), name: `${component}-access` };
    const withRole = { ...policy, props: { ...policy.props, role: r.props.name }, propertyDependencies: { role: [r] } };
    const f = fn(env, component, { role: r.props.arn, ...fnOverrides });
    return { fn: { ...f, propertyDependencies: { role: [r] } }, role: r, policy: withRole };
}

/** The Bedrock statement the program grants a function that calls the model. */
export const BEDROCK_STATEMENT = {
    Sid: "InvokeModel",
    Effect: "Allow",
    Action: "bedrock:InvokeModel",
    Resource: ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"],
};

/** A TLS-only bucket policy, with extra statements first. */
export function tlsPolicyDocument(bucketName: string, extra: unknown[] = []): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            ...extra,
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

/** A bucket with every companion the program gives it: public access block, ownership, encryption, versioning, lifecycle, TLS policy. */
export function compliantBucket(env: string, bucketRole = "data"): TestResource[] {
    const name = `vectora-inbox-${bucketRole}-${env}`;
    return [
        ...secureBucket(env, bucketRole),
        {
            type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            name: `${bucketRole}-ownership`,
            props: { bucket: name, rule: { objectOwnership: "BucketOwnerEnforced" } },
        },
        {
            type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            name: `${bucketRole}-lifecycle`,
            props: {
                bucket: name,
                rules: [
                    {
                        id: "noncurrent-versions-and-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                    {
                        id: "expired-delete-markers",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { expiredObjectDeleteMarker: true },
                    },
                ],
            },
        },
        {
            type: "aws:s3/bucketPolicy:BucketPolicy",
            name: `${bucketRole}-tls-only`,
            props: { bucket: name, policy: tlsPolicyDocument(name) },
        },
    ];
}

/** Replaces the props of the resource of a type in a list (one field broken at a time). */
export function withProps(resources: readonly TestResource[], type: string, props: Record<string, unknown>): TestResource[] {
    return resources.map((r) => (r.type === type ? { ...r, props: { ...r.props, ...props } } : r));
}

/** The resources of a list without those of a type. */
export function without(resources: readonly TestResource[], type: string): TestResource[] {
    return resources.filter((r) => r.type !== type);
}
