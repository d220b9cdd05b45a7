import { ResourceValidationPolicy } from "@pulumi/policy";
import { prodBucket } from "../support/prodBuckets";

/** In prod, the protected buckets can never be emptied and deleted in one step. */
export const vectoraS3ProdNoForceDestroy: ResourceValidationPolicy = {
    name: "vectora-s3-prod-no-force-destroy",
    description:
        "In the prod stack, no protected bucket (vectora-inbox-data-prod, vectora-inbox-newsletters-prod, or any bucket " +
        "declared with protect: true) sets forceDestroy: true.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["s3", "reliability"],
    remediationSteps:
        "Remove forceDestroy: true from the prod bucket (components/privateBucket.ts declares buckets with forceDestroy: false).",
    url: "RULES.md#vectora-s3-prod-no-force-destroy",
    rationale: {
        why: "forceDestroy lets a delete or a replacement empty a bucket of every object version first: prod data would be gone.",
        severityReason: "One mistaken replacement would delete prod data and newsletters the repository cannot rebuild.",
    },
    validateResource: (args, reportViolation) => {
        const { name, data } = prodBucket(args);
        if (!data && !args.opts.protect) {
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
