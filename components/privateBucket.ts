import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tlsOnlyBucketPolicy } from "../stack/iam";

/** Arguments of a PrivateBucket. */
export interface PrivateBucketArgs {
    /** Physical bucket name, `vectora-inbox-<role>-<env>`. */
    readonly bucketName: string;
    /** Tags of the bucket. */
    readonly tags: Readonly<Record<string, string>>;
    /** Protect the bucket against deletion (prod buckets that hold data). */
    readonly protect?: boolean;
}

/**
 * An S3 bucket that is private and encrypted by construction: public access blocked, ACLs disabled
 * (owner enforced), SSE-S3 encryption, versioning on (rollback of configs and artifacts relies on object
 * versions), and a policy that refuses any request without TLS.
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
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, child);
        // The block must be in place first: AWS checks a new bucket policy against it.
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            { bucket, policy: JSON.stringify(tlsOnlyBucketPolicy(args.bucketName)) },
            { ...child, dependsOn: [publicAccess] },
        );
        this.bucketName = bucket;
        this.arn = this.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
