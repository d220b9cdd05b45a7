import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { physicalName } from "../contract/naming";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { list } from "../support/iamDocument";
import { forBucket, knownString, ofTypes, refersTo, valueOf } from "../support/references";
import { stackEnvFor } from "../support/stackEnv";

/** The prod buckets whose content cannot be rebuilt from the repository. */
const DATA_ROLES = ["data", "newsletters"] as const;

function replicated(bucket: PolicyResource, resources: readonly PolicyResource[]): boolean {
    return ofTypes(resources, TYPES.replication).some(
        (r) => forBucket(r, bucket) && list(valueOf(r, "rules")).some((rule) => isRecord(rule) && rule.status === "Enabled"),
    );
}

/** A bucket's name from its ARN (a selection lists ARNs; the bucket's own ARN may be unknown during preview). */
function bucketNameOf(reference: string): string {
    return reference.replace(/^arn:aws[a-z-]*:s3:::/, "");
}

function backedUp(bucket: PolicyResource, resources: readonly PolicyResource[]): boolean {
    const plans = ofTypes(resources, TYPES.backupPlan);
    return ofTypes(resources, TYPES.backupSelection).some(
        (selection) =>
            refersTo(selection, "resources", bucket, ["bucket", "arn"], bucketNameOf) &&
            plans.some((plan) => refersTo(selection, "planId", plan, ["id", "name"])),
    );
}

/** A deleted or overwritten prod object can be restored from somewhere else than the bucket itself. */
export const vectoraS3ProdBackup: StackValidationPolicy = {
    name: "vectora-s3-prod-backup",
    description:
        "In the prod stack, the data and newsletters buckets are backed up: an AWS Backup selection of a backup plan in the " +
        "stack names the bucket, or an enabled replication configuration copies it.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: [
        "s3",
        "reliability",
        "external/aws-securityhub/S3.7",
        "external/cdk-nag/HIPAA.Security-S3BucketReplicationEnabled",
        "external/cdk-nag/NIST.800.53.R5-S3BucketReplicationEnabled",
    ],
    remediationSteps:
        "Back the bucket up: an AWS Backup plan with a selection that names it (the DataBackup component, components/dataBackup.ts, " +
        "does for data and newsletters), or an enabled replication configuration.",
    url: "RULES.md#vectora-s3-prod-backup",
    rationale: {
        why:
            "Versioning does not survive the deletion of the bucket or a compromised account; a recovery point in an AWS Backup vault " +
            "(or a replica) does. Advisory: the team chooses which copy.",
        severityReason:
            "Without a copy, a deleted bucket or a compromised account loses prod data for good; advisory while the team chooses the " +
            "copy.",
    },
    validateStack: (args, reportViolation) => {
        if (stackEnvFor(args) !== "prod") {
            return args.notApplicable("prod only");
        }
        const buckets = ofTypes(args.resources, TYPES.bucket, TYPES.bucketV2).filter((b) =>
            DATA_ROLES.some((role) => knownString(b, "bucket") === physicalName(role, "prod")),
        );
        if (buckets.length === 0) {
            return args.notApplicable("no prod data bucket in the stack");
        }
        for (const bucket of buckets) {
            const name = knownString(bucket, "bucket") as string;
            if (!replicated(bucket, args.resources) && !backedUp(bucket, args.resources)) {
                reportViolation(
                    `bucket "${name}" is not backed up; versioning does not survive the bucket's deletion or a ` +
                        `compromised account. Add it to an AWS Backup plan (the program's DataBackup component) or replicate it.`,
                    bucket.urn,
                );
            }
        }
    },
};
