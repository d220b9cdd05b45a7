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
