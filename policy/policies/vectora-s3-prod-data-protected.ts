import { ResourceValidationPolicy } from "@pulumi/policy";
import { prodBucket } from "../support/prodBuckets";

/** In prod, the buckets that hold data cannot be deleted by a mistaken `pulumi destroy` or rename. */
export const vectoraS3ProdDataProtected: ResourceValidationPolicy = {
    name: "vectora-s3-prod-data-protected",
    description:
        "In the prod stack, the buckets that hold data (vectora-inbox-data-prod, " +
        "vectora-inbox-newsletters-prod) are protected (protect: true); forceDestroy is vectora-s3-prod-no-force-destroy's (mandatory).",
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
        const { name, data } = prodBucket(args);
        if (!data) {
            return args.notApplicable("not a data bucket");
        }
        if (!args.opts.protect) {
            reportViolation(
                `bucket ${String(name)} holds prod data but is not protected; declare ` +
                    `it with { protect: true } so that pulumi refuses to delete it.`,
            );
        }
    },
};
