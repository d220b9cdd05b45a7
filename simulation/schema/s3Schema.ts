import { PropertySpec, ResourceSchema, TAGS, bool, int, object, objects, output, str, stringMap } from "./model";
import { S3_EXPIRATION_STATUS, S3_MFA_DELETE, S3_OBJECT_CANNED_ACLS, S3_OBJECT_OWNERSHIP, S3_SERVER_SIDE_ENCRYPTION } from "./enums";
import { lengthBetween, validArn, validJson } from "./rules";

/**
 * S3's resource types. Names, required arguments and outputs as @pulumi/aws 7.48 declares them (s3/*.d.ts);
 * validation, defaults and ForceNew from terraform-provider-aws internal/service/s3/.
 */

/** The AWS-computed parts of a bucket that a v7 `aws.s3.Bucket` still reports (Optional + Computed in bucket.go). */
const bucketComputed = (tf: string, kind: PropertySpec["kind"] = "string"): PropertySpec => ({ kind, tf, computed: "optional" });

/**
 * aws_s3_bucket: bucket.go (v6, `@Tags(identifierAttribute="bucket", resourceType="Bucket")`). The name rules
 * (lowercase, 3 to 63 characters, no IP form) are checked at create (resourceBucketCreate, validBucketName), not by
 * Check: a preview with such a name passes, the deploy fails. pulumi-aws auto-names buckets in lower case, 63
 * characters at most (provider/resources.go, AutoNameTransform("bucket", 63, strings.ToLower)).
 */
export const BUCKET: ResourceSchema = {
    token: "aws:s3/bucket:Bucket",
    source: 'terraform-provider-aws internal/service/s3/bucket.go (v6, @Tags(identifierAttribute="bucket", resourceType="Bucket"))',
    regional: true,
    taggable: true,
    autoName: { property: "bucket", maxLength: 63, lowerCase: true, prefix: "bucketPrefix" },
    properties: {
        bucket: str("bucket", { forceNew: true, computed: "optional", rules: [lengthBetween(0, 63)] }),
        bucketPrefix: str("bucket_prefix", { forceNew: true, computed: "optional", rules: [lengthBetween(0, 37)] }),
        forceDestroy: bool("force_destroy", { default: false }),
        objectLockEnabled: bool("object_lock_enabled", { forceNew: true, computed: "optional" }),
        acl: bucketComputed("acl"),
        accelerationStatus: bucketComputed("acceleration_status"),
        requestPayer: bucketComputed("request_payer"),
        policy: bucketComputed("policy"),
        corsRules: bucketComputed("cors_rule", "objectList"),
        grants: bucketComputed("grant", "objectList"),
        lifecycleRules: bucketComputed("lifecycle_rule", "objectList"),
        logging: bucketComputed("logging", "object"),
        objectLockConfiguration: bucketComputed("object_lock_configuration", "object"),
        replicationConfiguration: bucketComputed("replication_configuration", "object"),
        serverSideEncryptionConfiguration: bucketComputed("server_side_encryption_configuration", "object"),
        versioning: bucketComputed("versioning", "object"),
        website: bucketComputed("website", "object"),
        ...TAGS,
        arn: output("arn"),
        bucketDomainName: output("bucket_domain_name"),
        bucketRegionalDomainName: output("bucket_regional_domain_name"),
        hostedZoneId: output("hosted_zone_id"),
        websiteDomain: output("website_domain"),
        websiteEndpoint: output("website_endpoint"),
    },
};

/** aws_s3_object: object.go (v6, `@Tags(identifierAttribute="arn", resourceType="Object")`). */
export const OBJECT: ResourceSchema = {
    token: "aws:s3/bucketObjectv2:BucketObjectv2",
    source: 'terraform-provider-aws internal/service/s3/object.go (v6, @Tags(identifierAttribute="arn", resourceType="Object"))',
    regional: true,
    taggable: true,
    properties: {
        bucket: str("bucket", { required: true, forceNew: true, rules: [lengthBetween(1, Infinity)] }),
        key: str("key", { forceNew: true, rules: [lengthBetween(1, Infinity)] }),
        source: { kind: "asset", tf: "source" },
        content: str("content"),
        contentBase64: str("content_base64"),
        contentType: str("content_type", { computed: "optional" }),
        cacheControl: str("cache_control"),
        contentDisposition: str("content_disposition"),
        contentEncoding: str("content_encoding"),
        contentLanguage: str("content_language"),
        metadata: stringMap("metadata"),
        forceDestroy: bool("force_destroy", { default: false }),
        acl: str("acl", { computed: "optional", oneOf: S3_OBJECT_CANNED_ACLS }),
        etag: str("etag", { computed: "optional" }),
        kmsKeyId: str("kms_key_id", { computed: "optional", rules: [validArn] }),
        serverSideEncryption: str("server_side_encryption", { computed: "optional", oneOf: S3_SERVER_SIDE_ENCRYPTION }),
        bucketKeyEnabled: bool("bucket_key_enabled", { computed: "optional" }),
        storageClass: str("storage_class", { computed: "optional" }),
        ...TAGS,
        arn: output("arn"),
        versionId: output("version_id"),
    },
};

/** The `bucket` of a bucket's sub-resource: required, and a new bucket means a new resource. */
const subResourceBucket = str("bucket", { required: true, forceNew: true, rules: [lengthBetween(1, 63)] });
const expectedBucketOwner = str("expected_bucket_owner", { forceNew: true });

/** aws_s3_bucket_policy: bucket_policy.go (policy: StringIsJSON, stored normalised). */
export const BUCKET_POLICY: ResourceSchema = {
    token: "aws:s3/bucketPolicy:BucketPolicy",
    source: "terraform-provider-aws internal/service/s3/bucket_policy.go (v6)",
    regional: true,
    properties: {
        bucket: str("bucket", { required: true, forceNew: true }),
        policy: str("policy", { required: true, document: true, rules: [validJson] }),
    },
};

/** aws_s3_bucket_public_access_block: bucket_public_access_block.go (the four switches default to false). */
export const PUBLIC_ACCESS_BLOCK: ResourceSchema = {
    token: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    source: "terraform-provider-aws internal/service/s3/bucket_public_access_block.go (v6)",
    regional: true,
    properties: {
        bucket: str("bucket", { required: true, forceNew: true }),
        blockPublicAcls: bool("block_public_acls", { default: false }),
        blockPublicPolicy: bool("block_public_policy", { default: false }),
        ignorePublicAcls: bool("ignore_public_acls", { default: false }),
        restrictPublicBuckets: bool("restrict_public_buckets", { default: false }),
        skipDestroy: bool("skip_destroy"),
    },
};

/** aws_s3_bucket_ownership_controls: bucket_ownership_controls.go (rule.object_ownership: the ObjectOwnership enum). */
export const OWNERSHIP_CONTROLS: ResourceSchema = {
    token: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    source: "terraform-provider-aws internal/service/s3/bucket_ownership_controls.go (v6)",
    regional: true,
    properties: {
        bucket: str("bucket", { required: true, forceNew: true }),
        rule: object(
            "rule",
            { objectOwnership: str("object_ownership", { required: true, oneOf: S3_OBJECT_OWNERSHIP }) },
            { required: true },
        ),
    },
};

/** aws_s3_bucket_server_side_encryption_configuration: bucket_server_side_encryption_configuration.go. */
export const ENCRYPTION: ResourceSchema = {
    token: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    source: "terraform-provider-aws internal/service/s3/bucket_server_side_encryption_configuration.go (v6)",
    regional: true,
    properties: {
        bucket: subResourceBucket,
        expectedBucketOwner,
        rules: objects(
            "rule",
            {
                applyServerSideEncryptionByDefault: object("apply_server_side_encryption_by_default", {
                    sseAlgorithm: str("sse_algorithm", { required: true, oneOf: S3_SERVER_SIDE_ENCRYPTION }),
                    kmsMasterKeyId: str("kms_master_key_id"),
                }),
                bucketKeyEnabled: bool("bucket_key_enabled"),
            },
            { required: true },
        ),
    },
};

/** aws_s3_bucket_versioning: bucket_versioning.go (status adds Terraform's own "Disabled" to the API's values). */
export const VERSIONING: ResourceSchema = {
    token: "aws:s3/bucketVersioning:BucketVersioning",
    source: "terraform-provider-aws internal/service/s3/bucket_versioning.go (v6)",
    regional: true,
    properties: {
        bucket: subResourceBucket,
        expectedBucketOwner,
        mfa: str("mfa"),
        versioningConfiguration: object(
            "versioning_configuration",
            {
                status: str("status", { required: true, oneOf: ["Enabled", "Suspended", "Disabled"] }),
                mfaDelete: str("mfa_delete", { computed: "optional", oneOf: S3_MFA_DELETE }),
            },
            { required: true },
        ),
    },
};

const lifecycleFilter = object("filter", {
    prefix: str("prefix"),
    objectSizeGreaterThan: int("object_size_greater_than"),
    objectSizeLessThan: int("object_size_less_than"),
});

/**
 * aws_s3_bucket_lifecycle_configuration: bucket_lifecycle_configuration.go, a Plugin Framework resource in v6
 * (rule.id 1 to 255 characters, rule.status Enabled or Disabled). The bridge's Check of a Framework resource
 * validates but fills in no `__defaults` (pulumi-terraform-bridge pkg/pf).
 */
export const LIFECYCLE: ResourceSchema = {
    token: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    source: "terraform-provider-aws internal/service/s3/bucket_lifecycle_configuration.go (v6, Plugin Framework)",
    regional: true,
    framework: true,
    properties: {
        bucket: subResourceBucket,
        expectedBucketOwner,
        transitionDefaultMinimumObjectSize: str("transition_default_minimum_object_size", { computed: "optional" }),
        rules: objects("rule", {
            id: str("id", { required: true, rules: [lengthBetween(1, 255)] }),
            status: str("status", { required: true, oneOf: S3_EXPIRATION_STATUS }),
            filter: lifecycleFilter,
            prefix: str("prefix"),
            expiration: object("expiration", {
                date: str("date"),
                days: int("days", { range: [0, Infinity] }),
                expiredObjectDeleteMarker: bool("expired_object_delete_marker"),
            }),
            noncurrentVersionExpiration: object("noncurrent_version_expiration", {
                noncurrentDays: int("noncurrent_days", { range: [1, Infinity] }),
                newerNoncurrentVersions: int("newer_noncurrent_versions", { range: [1, Infinity] }),
            }),
            abortIncompleteMultipartUpload: object("abort_incomplete_multipart_upload", {
                daysAfterInitiation: int("days_after_initiation"),
            }),
        }),
    },
};

/** aws_s3_bucket_logging: bucket_logging.go (target_bucket and target_prefix required). */
export const LOGGING: ResourceSchema = {
    token: "aws:s3/bucketLogging:BucketLogging",
    source: "terraform-provider-aws internal/service/s3/bucket_logging.go (v6)",
    regional: true,
    properties: {
        bucket: subResourceBucket,
        expectedBucketOwner,
        targetBucket: str("target_bucket", { required: true }),
        targetPrefix: str("target_prefix", { required: true }),
        targetGrants: objects("target_grant", {}),
        targetObjectKeyFormat: object("target_object_key_format", {}),
    },
};

/** Every S3 type the simulated provider knows. */
export const S3_SCHEMAS = [
    BUCKET,
    OBJECT,
    BUCKET_POLICY,
    PUBLIC_ACCESS_BLOCK,
    OWNERSHIP_CONTROLS,
    ENCRYPTION,
    VERSIONING,
    LIFECYCLE,
    LOGGING,
];
