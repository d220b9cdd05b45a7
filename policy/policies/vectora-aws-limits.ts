import { ResourceValidationPolicy } from "@pulumi/policy";
import {
    MAX_DESCRIPTION_LENGTH,
    MAX_ENVIRONMENT_BYTES,
    MAX_LAYERS_PER_FUNCTION,
    MAX_NAME_LENGTH,
    bucketNameProblem,
    environmentBytes,
} from "../contract/limits";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";

const NAME_LIMITS: Readonly<Record<string, [string, number]>> = {
    [TYPES.function]: ["name", MAX_NAME_LENGTH.function],
    [TYPES.layerVersion]: ["layerName", MAX_NAME_LENGTH.layer],
    [TYPES.role]: ["name", MAX_NAME_LENGTH.role],
    [TYPES.rolePolicy]: ["name", MAX_NAME_LENGTH.rolePolicy],
    [TYPES.logGroup]: ["name", MAX_NAME_LENGTH.logGroup],
};

/** Limits that AWS enforces only when the deploy reaches the resource, caught at preview instead. */
export const vectoraAwsLimits: ResourceValidationPolicy = {
    name: "vectora-aws-limits",
    description:
        "Resources stay within AWS limits that otherwise fail half-way through a deploy: bucket naming " +
        "rules, name lengths, descriptions of at most 256 characters, at most 5 layers per function and at most 4 KB of " +
        "environment variables.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["limits"],
    remediationSteps:
        "Shorten the name, description or version the message names, merge layers down to at most 5, or move large environment values " +
        "to the config bucket; the limits are in policy/contract/limits.ts.",
    url: "RULES.md#vectora-aws-limits",
    rationale: {
        why: "Catch at preview what AWS would reject in the middle of `pulumi up`.",
        severityReason:
            "AWS itself refuses these values; the check only makes the failure come at preview instead of half-way through a deploy.",
    },
    validateResource: (args, reportViolation) => {
        if (args.type === TYPES.bucket || args.type === TYPES.bucketV2) {
            const name: unknown = args.props.bucket;
            const problem = typeof name === "string" ? bucketNameProblem(name) : undefined;
            if (problem) {
                reportViolation(`bucket name ${String(name)} ${problem}.`);
            }
            return;
        }
        const limit = NAME_LIMITS[args.type];
        if (!limit) {
            return args.notApplicable("no limit checked for this type");
        }
        const [property, max] = limit;
        const name: unknown = args.props[property];
        if (typeof name === "string" && name.length > max) {
            reportViolation(
                `${args.type} "${args.name}": ${property} "${name}" ` +
                    `is ${name.length} characters; AWS allows ${max}. Shorten the base name.`,
            );
        }
        const description: unknown = args.type === TYPES.function || args.type === TYPES.layerVersion ? args.props.description : undefined;
        if (typeof description === "string" && description.length > MAX_DESCRIPTION_LENGTH) {
            reportViolation(
                `${args.type} "${args.name}": description is ${description.length} characters; ` +
                    `Lambda allows ${MAX_DESCRIPTION_LENGTH}. Shorten the version.`,
            );
        }
        if (args.type === TYPES.function) {
            const layers: unknown = args.props.layers;
            if (Array.isArray(layers) && layers.length > MAX_LAYERS_PER_FUNCTION) {
                reportViolation(
                    `function "${args.name}" has ${layers.length} layers; Lambda allows ${MAX_LAYERS_PER_FUNCTION}. Merge layers.`,
                );
            }
            const environment: unknown = args.props.environment;
            const variables = isRecord(environment) && isRecord(environment.variables) ? environment.variables : {};
            const bytes = environmentBytes(Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])));
            if (bytes > MAX_ENVIRONMENT_BYTES) {
                reportViolation(
                    `function "${args.name}" has ${bytes} bytes of environment variables; Lambda ` +
                        `allows ${MAX_ENVIRONMENT_BYTES}. Move large values to the config bucket.`,
                );
            }
        }
    },
};
