import { ResourceValidationPolicy } from "@pulumi/policy";
import { PARAMETER_ROOT } from "../contract/lambdaEnvironment";
import { ENVIRONMENTS, Env, PROJECT } from "../contract/naming";
import { raw, strings } from "../support/props";
import { isPulumiInternal } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";

/**
 * Identifiers of one environment found inside a string: names of the project's resources
 * (`vectora-inbox-...-<env>`, in names, ARNs and S3 URIs) and SSM paths (`/rag-lai/<env>/`).
 */
export function environmentsNamed(text: string): Array<{ env: Env; token: string }> {
    const found: Array<{ env: Env; token: string }> = [];
    const names = new RegExp(`${PROJECT}-[a-z0-9-]*?-(${ENVIRONMENTS.join("|")})(?![a-z0-9-])`, "g");
    for (const match of text.matchAll(names)) {
        found.push({ env: match[1] as Env, token: match[0] });
    }
    const paths = new RegExp(`${PARAMETER_ROOT}/(${ENVIRONMENTS.join("|")})/`, "g");
    for (const match of text.matchAll(paths)) {
        found.push({ env: match[1] as Env, token: match[0] });
    }
    return found;
}

/** No input of a resource in one environment names a resource of another (the stage-on-dev-layer incident). */
export const noCrossEnvReference: ResourceValidationPolicy = {
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
