import { ResourceValidationPolicy } from "@pulumi/policy";
import { ENVIRONMENTS } from "../contract/naming";
import { NAMED_TYPES } from "../contract/resourceTypes";
import { setByProvider } from "../contract/providerDefaults";
import { currentEnv, currentStack } from "../support/stackEnv";

/** Every named AWS resource carries an explicit physical name that ends in `-<env>`. */
export const vectoraNamingEnvSuffix: ResourceValidationPolicy = {
    name: "vectora-naming-env-suffix",
    description:
        "Every AWS resource with a physical name (bucket, function, layer, role, role policy, log group, " +
        "...) has an explicit name that ends in -<env>, env being the stack (dev, stage or prod).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["governance", "naming"],
    remediationSteps:
        "Give the resource an explicit physical name (bucket, name, layerName, ...) that ends in -<env>, built from the base names of " +
        "policy/contract/naming.ts as the components do (components/*.ts); never leave it to auto-naming or a namePrefix.",
    url: "RULES.md#vectora-naming-env-suffix",
    rationale: {
        why:
            "A name says which environment a resource belongs to; an auto-named or mis-named resource is how a stage Lambda ended up on " +
            "a dev layer.",
        severityReason:
            "A name is how people and every other check tell environments apart; a missing or wrong suffix is how the incident's stage " +
            "Lambda reached a dev layer.",
    },
    validateResource: (args, reportViolation) => {
        const named = NAMED_TYPES[args.type];
        if (!named) {
            return args.notApplicable(`${args.type} has no physical name`);
        }
        const env = currentEnv(args.urn);
        if (!env) {
            reportViolation(
                `${args.type} "${args.name}": stack "${currentStack(args.urn)}" is not one of ${ENVIRONMENTS.join(", ")}, ` +
                    `so no name can carry a valid environment; deploy with --stack dev, stage or prod.`,
            );
            return;
        }
        const name: unknown = args.props[named.name];
        if (named.prefix && args.props[named.prefix] !== undefined) {
            reportViolation(
                `${args.type} "${args.name}" sets ${named.prefix}, so AWS adds a random ` +
                    `suffix; set ${named.name} to an explicit name ending in -${env} instead.`,
            );
            return;
        }
        // The provider's Check auto-names an unnamed resource before the pack sees it, and says so.
        if (typeof name !== "string" || name === "" || setByProvider(args.props, named.name)) {
            const chosen = typeof name === "string" && name !== "" ? ` (the provider chose "${name}")` : "";
            reportViolation(
                `${args.type} "${args.name}" has no explicit ${named.name} and ` +
                    `would be auto-named${chosen}; set ${named.name} to a name ending in -${env}.`,
            );
            return;
        }
        if (!name.endsWith(`-${env}`)) {
            reportViolation(
                `${args.type} "${args.name}" is named "${name}", which does not end in -${env}; ` +
                    `rename it to "<base-name>-${env}" (for example vectora-inbox-ingest-v2-${env}).`,
            );
        }
    },
};
