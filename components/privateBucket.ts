import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, tlsOnlyBucketPolicy } from "../functions/iam";
import { MAX_ABORT_MULTIPART_DAYS, accessLogPrefix } from "../policy/contract/storage";

/** How long a bucket keeps what it no longer serves. */
export interface BucketLifecycle {
    /** Days a noncurrent version stays restorable (the rollback window of this environment). */
    readonly noncurrentDays: number;
    /** Days after which current objects expire (only for buckets whose content is disposable, such as logs). */
    readonly expireAfterDays?: number;
}

/** Arguments of a PrivateBucket. */
export interface PrivateBucketArgs {
    /** Physical bucket name, `vectora-inbox-<role>-<env>`. */
    readonly bucketName: string;
    /** Tags of the bucket. */
    readonly tags: Readonly<Record<string, string>>;
    /** Lifecycle of versions, incomplete uploads and delete markers. */
    readonly lifecycle: BucketLifecycle;
    /** Where server access logs go (the environment's log bucket, which must exist first). */
    readonly accessLogs?: { readonly targetBucket: pulumi.Input<string>; readonly after: pulumi.Resource };
    /** Service grants added to the TLS-only bucket policy (the log bucket's delivery grant). */
    readonly policyGrants?: pulumi.Input<PolicyStatement[]>;
    /** Protect the bucket against deletion (prod buckets that hold data). */
    readonly protect?: boolean;
}

/** The lifecycle rules of a bucket: versions, uploads and markers as separate rules, as S3 requires. */
export function lifecycleRules(lifecycle: BucketLifecycle): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const wholeBucket = { prefix: "" };
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "noncurrent-versions-and-uploads",
            status: "Enabled",
            filter: wholeBucket,
            noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: MAX_ABORT_MULTIPART_DAYS },
        },
    ];
    if (lifecycle.expireAfterDays !== undefined) {
        rules.push({ id: "expire-current", status: "Enabled", filter: wholeBucket, expiration: { days: lifecycle.expireAfterDays } });
    } else {
        // ExpiredObjectDeleteMarker cannot share a rule with Days (S3 API reference, LifecycleExpiration).
        rules.push({
            id: "expired-delete-markers",
            status: "Enabled",
            filter: wholeBucket,
            expiration: { expiredObjectDeleteMarker: true },
        });
    }
    return rules;
}

/**
 * An S3 bucket that is private and encrypted by construction: public access blocked, ACLs disabled
 * (owner enforced), SSE-S3 encryption, versioning on (rollback of configs and artifacts relies on object
 * versions) with a lifecycle, a policy that refuses any request without TLS, and optionally access logs.
 */
export class PrivateBucket extends pulumi.ComponentResource {
    /** The bucket itself. */
    public readonly bucket: aws.s3.Bucket;
    /** The bucket's name, once it exists. */
    public readonly bucketName: pulumi.Output<string>;
    /** The bucket's ARN. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vectora:storage:PrivateBucket", name, {}, opts);
        const child = { parent: this };
        this.bucket = new aws.s3.Bucket(
            name,
            { bucket: args.bucketName, forceDestroy: false, tags: { ...args.tags } },
            { ...child, protect: args.protect ?? false },
        );
        const bucket = this.bucket.bucket;
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        // Noncurrent-version rules act on a versioned bucket: versioning first.
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            { bucket, rules: lifecycleRules(args.lifecycle) },
            { ...child, dependsOn: [versioning] },
        );
        // The block must be in place first: AWS checks a new bucket policy against it.
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            {
                bucket,
                policy: pulumi
                    .output(args.policyGrants ?? [])
                    .apply((grants) => JSON.stringify(tlsOnlyBucketPolicy(args.bucketName, grants))),
            },
            { ...child, dependsOn: [publicAccess] },
        );
        if (args.accessLogs) {
            new aws.s3.BucketLogging(
                `${name}-access-logs`,
                { bucket, targetBucket: args.accessLogs.targetBucket, targetPrefix: accessLogPrefix(args.bucketName) },
                { ...child, dependsOn: [args.accessLogs.after] },
            );
        }
        this.bucketName = bucket;
        this.arn = this.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
