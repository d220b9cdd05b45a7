import { ResourceValidationPolicy } from "@pulumi/policy";
import { physicalName } from "../contract/naming";
import { TYPES } from "../contract/resourceTypes";
import { currentEnv } from "../support/stackEnv";

/** Buckets whose content cannot be rebuilt from the repository. */
const DATA_ROLES = ["data", "newsletters"] as const;

/** In prod, the buckets that hold data cannot be deleted by a mistaken `pulumi destroy` or rename. */
export const vectoraS3ProdDataProtected: ResourceValidationPolicy = {
    name: "vectora-s3-prod-data-protected",
    description:
        "In the prod stack, the buckets that hold data (vectora-inbox-data-prod, " +
        "vectora-inbox-newsletters-prod) are protected (protect: true) and not force-destroyable.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["s3", "reliability"],
    remediationSteps:
        "Keep protect: true on vectora-inbox-data-prod and vectora-inbox-newsletters-prod (program.ts sets it from the prod stack's " +
        "settings) and never set forceDestroy on them.",
    url: "RULES.md#vectora-s3-prod-data-protected",
    rationale: {
        why: "Data and newsletters cannot be rebuilt from the repository; a mistaken destroy or rename must not delete them.",
        severityReason: "A mistaken destroy or rename would delete client data and newsletters that the repository cannot rebuild.",
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.bucket && args.type !== TYPES.bucketV2) {
            return args.notApplicable("only S3 buckets");
        }
        if (currentEnv() !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const name: unknown = args.props.bucket;
        if (!DATA_ROLES.some((role) => physicalName(role, "prod") === name)) {
            return args.notApplicable("not a data bucket");
        }
        if (!args.opts.protect) {
            reportViolation(
                `bucket ${String(name)} holds prod data but is not protected; declare ` +
                    `it with { protect: true } so that pulumi refuses to delete it.`,
            );
        }
        if (args.props.forceDestroy === true) {
            reportViolation(
                `bucket ${String(name)} holds prod data but has forceDestroy: true, ` +
                    `which deletes every object with the bucket; set forceDestroy: false.`,
            );
        }
    },
};
