import { pubmedParameterName } from "../policy/contract/lambdaEnvironment";
import { S3_LOGGING_PRINCIPAL } from "../policy/contract/storage";

/**
 * IAM documents, as plain data: least privilege, scoped to one environment's resources by name.
 * Pure functions, so that the policies the program deploys can be tested without Pulumi.
 */

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action: string | readonly string[];
    /** Absent only in trust policies, where the role itself is the resource. */
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

/** What one function may touch. */
export interface FunctionAccess {
    readonly env: string;
    readonly region: string;
    readonly accountId: string;
    /** Name of the function's own log group. */
    readonly logGroupName: string;
    /** Buckets it reads objects from. */
    readonly readBuckets: readonly string[];
    /** Buckets it writes objects to. */
    readonly writeBuckets: readonly string[];
    /** The Bedrock model it invokes, if any. */
    readonly bedrock?: { readonly region: string; readonly modelId: string };
    /** Whether it reads the PubMed API key from SSM. */
    readonly pubmedKey: boolean;
}

export function bucketArn(bucket: string): string {
    return `arn:aws:s3:::${bucket}`;
}

export function logGroupArn(region: string, accountId: string, logGroupName: string): string {
    return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

/** Foundation models have no account in their ARN; inference profiles (`us.`, `eu.`...) do. */
export function bedrockModelArns(region: string, accountId: string, modelId: string): string[] {
    const profile = /^(us|eu|apac|us-gov|global)\.(.+)$/.exec(modelId);
    if (!profile) {
        return [`arn:aws:bedrock:${region}::foundation-model/${modelId}`];
    }
    // A cross-region profile routes to the same model in the regions of its geography.
    return [`arn:aws:bedrock:${region}:${accountId}:inference-profile/${modelId}`, `arn:aws:bedrock:*::foundation-model/${profile[2]}`];
}

/** The trust policy that lets Lambda, and only Lambda, assume a function's role. */
export function lambdaAssumeRolePolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
}

/** The inline policy of a function's role: its log group, its buckets, its model, its parameter. */
export function functionPolicyDocument(access: FunctionAccess): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "OwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn(access.region, access.accountId, access.logGroupName)}:*`,
        },
    ];
    const listed = [...new Set([...access.readBuckets, ...access.writeBuckets])].sort();
    if (listed.length > 0) {
        statements.push({ Sid: "ListOwnBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: listed.map(bucketArn) });
    }
    if (access.readBuckets.length > 0) {
        statements.push({
            Sid: "ReadObjects",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: [...access.readBuckets].sort().map((b) => `${bucketArn(b)}/*`),
        });
    }
    if (access.writeBuckets.length > 0) {
        statements.push({
            Sid: "WriteObjects",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: [...access.writeBuckets].sort().map((b) => `${bucketArn(b)}/*`),
        });
    }
    if (access.bedrock) {
        statements.push({
            Sid: "InvokeModel",
            Effect: "Allow",
            Action: "bedrock:InvokeModel",
            Resource: bedrockModelArns(access.bedrock.region, access.accountId, access.bedrock.modelId),
        });
    }
    if (access.pubmedKey) {
        statements.push({
            Sid: "ReadPubmedKey",
            Effect: "Allow",
            Action: "ssm:GetParameter",
            Resource: `arn:aws:ssm:${access.region}:${access.accountId}:parameter${pubmedParameterName(access.env).replace(/[^/]+$/, "*")}`,
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Denies every request to the bucket that does not use TLS; `grants` are the bucket's few service grants. */
export function tlsOnlyBucketPolicy(bucket: string, grants: readonly PolicyStatement[] = []): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            ...grants,
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn(bucket), `${bucketArn(bucket)}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * Lets S3 server access logging write into the log bucket, for the given source buckets of this account only
 * (AWS S3 user guide, "Enabling Amazon S3 server access logging": with ACLs disabled, the logging service
 * principal is granted by the bucket policy, scoped with aws:SourceArn and aws:SourceAccount).
 */
export function accessLogDeliveryStatement(logBucket: string, sourceBuckets: readonly string[], accountId: string): PolicyStatement {
    return {
        Sid: "S3ServerAccessLogsDelivery",
        Effect: "Allow",
        Principal: { Service: S3_LOGGING_PRINCIPAL },
        Action: "s3:PutObject",
        Resource: `${bucketArn(logBucket)}/*`,
        Condition: {
            ArnLike: { "aws:SourceArn": [...sourceBuckets].sort().map(bucketArn) },
            StringEquals: { "aws:SourceAccount": accountId },
        },
    };
}

/** The trust policy that lets AWS Backup, and only it, assume the backup role. */
export function backupAssumeRolePolicy(): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
}
