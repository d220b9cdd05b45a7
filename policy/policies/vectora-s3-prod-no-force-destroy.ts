import { ResourceValidationPolicy } from "@pulumi/policy";
import { physicalName } from "../contract/naming";
import { TYPES } from "../contract/resourceTypes";
import { currentEnv } from "../support/stackEnv";

/** Buckets whose content cannot be rebuilt from the repository. */
const DATA_ROLES = ["data", "newsletters"] as const;

/** In prod, the protected buckets can never be emptied and deleted in one step. */
export const vectoraS3ProdNoForceDestroy: ResourceValidationPolicy = {
    name: "vectora-s3-prod-no-force-destroy",
    description:
        "In the prod stack, no protected bucket (vectora-inbox-data-prod, vectora-inbox-newsletters-prod, or any bucket " +
        "declared with protect: true) sets forceDestroy: true.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.bucket && args.type !== TYPES.bucketV2) {
            return args.notApplicable("only S3 buckets");
        }
        if (currentEnv() !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const name: unknown = args.props.bucket;
        const dataBucket = DATA_ROLES.some((role) => physicalName(role, "prod") === name);
        if (!dataBucket && !args.opts.protect) {
            return args.notApplicable("not a protected bucket");
        }
        if (args.props.forceDestroy === true) {
            reportViolation(
                `bucket ${String(name)} is one of prod's protected buckets but has forceDestroy: true, which lets a delete ` +
                    `or a replacement empty it of every object version first; set forceDestroy: false (or leave it out).`,
            );
        }
    },
};
