import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { fsbp } from "../support/metadata";

const BUCKETS = new Set<string>([TYPES.bucket, TYPES.bucketV2]);
const PUBLIC_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

function bucketOf(resource: PolicyResource): unknown {
    return resource.props.bucket;
}

/** True when the encryption configuration sets a default server-side encryption. */
function encrypts(resource: PolicyResource): boolean {
    const rules: unknown = resource.props.rules;
    return (
        Array.isArray(rules) &&
        rules.some(
            (r) =>
                isRecord(r) &&
                isRecord(r.applyServerSideEncryptionByDefault) &&
                typeof r.applyServerSideEncryptionByDefault.sseAlgorithm === "string",
        )
    );
}

function versions(resource: PolicyResource): boolean {
    const config: unknown = resource.props.versioningConfiguration;
    return isRecord(config) && config.status === "Enabled";
}

/** Every bucket comes with the resources that make it private, encrypted and versioned. */
export const vectoraS3PrivateEncryptedVersioned: StackValidationPolicy = {
    name: "vectora-s3-private-encrypted-versioned",
    description:
        "Every S3 bucket has a public access block with all four settings true, a default server-side " +
        "encryption configuration, and versioning enabled, each declared as its own resource for that bucket.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: fsbp("S3.8", "S3 general purpose buckets should block public access"),
    tags: [
        "s3",
        "security",
        "external/aws-securityhub/S3.14",
        "external/cis-aws-v3.0.0/2.1.4",
        "external/cdk-nag/AwsSolutions-S2",
        "external/cdk-nag/HIPAA.Security-S3BucketLevelPublicAccessProhibited",
        "external/cdk-nag/NIST.800.53.R5-S3BucketLevelPublicAccessProhibited",
        "external/cdk-nag/HIPAA.Security-S3BucketVersioningEnabled",
        "external/cdk-nag/NIST.800.53.R5-S3BucketVersioningEnabled",
    ],
    remediationSteps:
        "Declare the bucket with the PrivateBucket component (components/privateBucket.ts), which adds a public access block with all " +
        "four settings true, SSE-S3 default encryption and versioning, each as its own resource for the bucket.",
    url: "RULES.md#vectora-s3-private-encrypted-versioned",
    rationale: {
        why: "Client data and prompts stay private and encrypted; versions are what a canonical or artifact rollback restores.",
        severityReason:
            "Without the public access block one policy change can make client data public, and without versioning a bad sync cannot be " +
            "undone (Security Hub rates S3.8 high).",
    },
    validateStack: (args, reportViolation) => {
        const buckets = args.resources.filter((r) => BUCKETS.has(r.type));
        if (buckets.length === 0) {
            return args.notApplicable("no S3 bucket in the stack");
        }
        const companions = (types: readonly string[], name: unknown) =>
            args.resources.filter((r) => types.includes(r.type) && bucketOf(r) === name);
        for (const bucket of buckets) {
            const name = bucketOf(bucket);
            const label = `bucket ${JSON.stringify(name ?? bucket.name)}`;
            const blocks = companions([TYPES.publicAccessBlock], name);
            if (blocks.length === 0) {
                reportViolation(
                    `${label} has no public access block; add an aws.s3.BucketPublicAccessBlock ` +
                        `with ${PUBLIC_FLAGS.join(", ")} all true (use the PrivateBucket component).`,
                    bucket.urn,
                );
            } else {
                const off = PUBLIC_FLAGS.filter((flag) => !blocks.some((b) => b.props[flag] === true));
                if (off.length > 0) {
                    reportViolation(
                        `${label}: its public access block leaves ${off.join(", ")} unset or false; set all four to true.`,
                        blocks[0].urn,
                    );
                }
            }
            if (!companions([TYPES.encryption, TYPES.encryptionV2], name).some(encrypts)) {
                reportViolation(
                    `${label} has no default server-side encryption; add an ` +
                        `aws.s3.BucketServerSideEncryptionConfiguration (SSE-S3 or SSE-KMS).`,
                    bucket.urn,
                );
            }
            if (!companions([TYPES.versioning, TYPES.versioningV2], name).some(versions)) {
                reportViolation(
                    `${label} has no versioning enabled; add an aws.s3.BucketVersioning with ` +
                        `status Enabled (rollback of configs and artifacts relies on object versions).`,
                    bucket.urn,
                );
            }
        }
    },
};
