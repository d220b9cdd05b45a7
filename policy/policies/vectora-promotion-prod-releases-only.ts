import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { isPrerelease } from "../contract/versions";
import { declaredArtifact } from "../support/declaredArtifact";
import { raw } from "../support/props";
import { envFor } from "../support/stackEnv";

/**
 * Prod runs releases only. A pre-release (`2.0.0-rc.1`) is for trying in dev and stage; releasing it changes
 * the version, which then goes through stage like any other. The program refuses it before declaring anything;
 * this catches a program that would not.
 */
export const vectoraPromotionProdReleasesOnly: ResourceValidationPolicy = {
    name: "vectora-promotion-prod-releases-only",
    description:
        "In the prod stack, every layer (its description) and every function (its Version tag) runs a release " +
        "(MAJOR.MINOR.PATCH), never a pre-release such as 2.0.0-rc.1.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["governance", "promotion", "versions"],
    remediationSteps:
        "Release the version: replace the pre-release in VERSION by its release (2.0.0-rc.1 becomes 2.0.0), deploy it to dev and stage, " +
        "then promote it to prod.",
    url: "RULES.md#vectora-promotion-prod-releases-only",
    rationale: {
        why:
            "A pre-release is for trying in dev and stage. Releasing it changes the version, which then goes through stage like any " +
            "other; the program refuses a pre-release in prod before declaring anything, and the pack catches a program that would not.",
        severityReason: "A pre-release in prod skips the release step the team reviews, even when stage ran the same bytes.",
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.layerVersion && args.type !== TYPES.function) {
            return args.notApplicable("only layer versions and functions carry a version");
        }
        if (envFor(args) !== "prod") {
            return args.notApplicable("dev and stage may run pre-releases");
        }
        const version = declaredArtifact(args.type, args.name, raw(args.props))?.version;
        if (version !== undefined && isPrerelease(version)) {
            reportViolation(
                `${args.type === TYPES.layerVersion ? "layer" : "function"} "${args.name}" runs ${version}, a pre-release; ` +
                    `prod runs releases only: release it (drop the suffix), deploy stage, then prod.`,
            );
        }
    },
};
