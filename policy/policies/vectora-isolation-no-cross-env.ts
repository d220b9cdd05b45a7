import { ResourceValidationPolicy } from "@pulumi/policy";
import { raw, strings } from "../support/props";
import { isPulumiInternal } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";
import { environmentsNamed } from "../support/environmentsNamed";

/** No input of a resource in one environment names a resource of another (the stage-on-dev-layer incident). */
export const vectoraIsolationNoCrossEnv: ResourceValidationPolicy = {
    name: "vectora-isolation-no-cross-env",
    description:
        "No input of a resource in one environment names a bucket, layer, role, parameter " +
        "or ARN of another environment: each environment only uses its own resources.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["governance", "isolation", "security"],
    remediationSteps:
        "Point the input at this environment's own resource (the name ending in -<env>): names come from policy/contract/naming.ts and " +
        "Pulumi.<stack>.yaml, never from a name typed for another environment; then run pulumi up for the stack.",
    url: "RULES.md#vectora-isolation-no-cross-env",
    rationale: {
        why: "The incident: a stage Lambda ran a dev layer. Environments share nothing.",
        severityReason:
            "One environment using another's bucket, layer or role is the incident itself: test data and untested code cross into the " +
            "wrong environment.",
    },
    validateResource: (args, reportViolation) => {
        if (isPulumiInternal(args.type)) {
            return args.notApplicable("Pulumi's own resources");
        }
        const env = envFor(args);
        for (const { path, value } of strings(raw(args.props))) {
            for (const { env: other, token } of environmentsNamed(value)) {
                if (other !== env) {
                    reportViolation(
                        `${args.type} "${args.name}" refers to ${token} (a ${other} resource) ` +
                            `in ${path}; in the ${env} stack use the ${env} resource (…-${env}) instead.`,
                    );
                }
            }
        }
    },
};
