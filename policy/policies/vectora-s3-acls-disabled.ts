import { StackValidationPolicy } from "@pulumi/policy";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { forBucket, knownString, labelOf, ofTypes } from "../support/references";
import { fsbp } from "../support/metadata";

/** ACLs an object may carry once ACLs are disabled: the ones that grant nothing beyond the bucket owner. */
const PRIVATE_ACLS = new Set(["private", "bucket-owner-full-control"]);

/** Access goes through IAM only: ACLs are disabled on every bucket and no resource sets one. */
export const vectoraS3AclsDisabled: StackValidationPolicy = {
    name: "vectora-s3-acls-disabled",
    description:
        "Every S3 bucket has ownership controls with BucketOwnerEnforced (ACLs disabled), the stack declares no BucketAcl, " +
        "and no bucket or object sets an ACL other than private.",
    enforcementLevel: "mandatory",
    severity: "medium",
    framework: fsbp("S3.12", "ACLs should not be used to manage user access to S3 general purpose buckets"),
    tags: [
        "s3",
        "security",
        "external/cdk-nag/HIPAA.Security-S3BucketPublicReadProhibited",
        "external/cdk-nag/NIST.800.53.R5-S3BucketPublicReadProhibited",
        "external/cdk-nag/HIPAA.Security-S3BucketPublicWriteProhibited",
        "external/cdk-nag/NIST.800.53.R5-S3BucketPublicWriteProhibited",
    ],
    remediationSteps:
        "Declare aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced for the bucket (PrivateBucket does), remove " +
        "any aws.s3.BucketAcl, and drop every acl other than private from buckets and objects.",
    url: "RULES.md#vectora-s3-acls-disabled",
    rationale: {
        why:
            "ACLs are a second, invisible permission system; with BucketOwnerEnforced only policies grant access, and an object ACL " +
            "such as public-read cannot be set.",
        severityReason:
            "ACLs are a second, invisible permission system; disabling them leaves bucket policies as the only way in (Security Hub " +
            "rates S3.12 medium).",
    },
    validateStack: (args, reportViolation) => {
        const buckets = ofTypes(args.resources, TYPES.bucket, TYPES.bucketV2);
        const objects = ofTypes(args.resources, TYPES.object, TYPES.objectV1);
        const acls = ofTypes(args.resources, TYPES.bucketAcl, TYPES.bucketAclV2);
        if (buckets.length === 0 && objects.length === 0 && acls.length === 0) {
            return args.notApplicable("no S3 bucket, object or ACL in the stack");
        }
        for (const bucket of buckets) {
            const label = `bucket ${labelOf(bucket, "bucket")}`;
            const controls = ofTypes(args.resources, TYPES.ownershipControls).filter((c) => forBucket(c, bucket));
            const enforced = controls.some((c) => {
                const rule: unknown = c.props.rule;
                return isRecord(rule) && rule.objectOwnership === "BucketOwnerEnforced";
            });
            if (!enforced) {
                reportViolation(
                    `${label} does not disable ACLs; add an aws.s3.BucketOwnershipControls with rule ` +
                        `{ objectOwnership: "BucketOwnerEnforced" } (the PrivateBucket component does).`,
                    (controls[0] ?? bucket).urn,
                );
            }
            // The bucket's own (deprecated) acl argument, read without the proxy: the real provider computes it. Its
            // computed grants always list the owner's FULL_CONTROL, so they say nothing here.
            const acl = knownString(bucket, "acl");
            if (acl !== undefined && !PRIVATE_ACLS.has(acl)) {
                reportViolation(`${label} has the ACL ${acl}; remove it: access is granted with IAM only.`, bucket.urn);
            }
        }
        for (const resource of acls) {
            reportViolation(
                `${resource.type} "${resource.name}" sets a bucket ACL; ACLs are disabled on Vectora buckets ` +
                    `(BucketOwnerEnforced), remove it and grant access with IAM.`,
                resource.urn,
            );
        }
        for (const object of objects) {
            const acl = knownString(object, "acl");
            if (acl !== undefined && !PRIVATE_ACLS.has(acl)) {
                reportViolation(
                    `object ${labelOf(object, "key")} has the ACL ${acl}; objects are private, remove the acl argument.`,
                    object.urn,
                );
            }
        }
    },
};
