import { ResourceValidationPolicy } from "@pulumi/policy";
import { LAYER_COMPONENTS, LEGACY_LAYER_NAMES, physicalName } from "../contract/naming";
import { parseLayerVersionArn } from "../support/arn";
import { isUnknown, raw } from "../support/props";
import { TYPES } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";

/** Knobs of the legacy-layer check. */
export interface VectoraLambdaNoLegacyLayersConfig {
    /** Layer names that no function may use (defaults to the layers of the incident). */
    readonly legacyLayerNames?: string[];
}

/**
 * A function runs only on this stack's own layer versions, never on a legacy or hand-made layer.
 *
 * Layer ARNs that are unknown during a preview are computed by this deployment (a hand-written ARN is
 * always known), so they are left to the check that runs when `pulumi up` registers the function with
 * its resolved inputs.
 */
export const vectoraLambdaNoLegacyLayers: ResourceValidationPolicy = {
    name: "vectora-lambda-no-legacy-layers",
    description:
        "Every layer of a Lambda function is a version of this stack's own layers (vectora-inbox-vectora-core-<env>, " +
        "vectora-inbox-common-deps-<env>) and never a legacy layer such as vectora-inbox-yaml-fix-dev.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["governance", "lambda", "security"],
    remediationSteps:
        "Use only this stack's own layers (the VersionedLayer resources of program.ts) in the function's layers, deploy the environment " +
        "from the repository, then delete the legacy layer with npm run cleanup.",
    url: "RULES.md#vectora-lambda-no-legacy-layers",
    rationale: {
        why: "The hand-made layers of the incident must never be referenced again; only layers built from the repository run.",
        severityReason: "The legacy layers hold hand-built code of unknown content that no review or test has seen.",
    },
    configSchema: {
        properties: {
            legacyLayerNames: { type: "array", items: { type: "string" }, description: "Layer names no function may use." },
        },
    },
    validateResource: (args, reportViolation) => {
        const env = envFor(args, TYPES.function);
        const legacy = new Set(args.getConfig<VectoraLambdaNoLegacyLayersConfig>().legacyLayerNames ?? LEGACY_LAYER_NAMES);
        const own = LAYER_COMPONENTS.map((c) => physicalName(c, env));
        const layers = raw(args.props).layers;
        if (!Array.isArray(layers)) {
            return;
        }
        for (const layer of layers) {
            if (isUnknown(layer)) {
                continue;
            }
            const parsed = typeof layer === "string" ? parseLayerVersionArn(layer) : undefined;
            if (!parsed) {
                reportViolation(
                    `function "${args.name}" has layer ${JSON.stringify(layer)}, which is not ` +
                        `a layer version ARN; reference this stack's layers (${own.join(", ")}).`,
                );
            } else if (legacy.has(parsed.name)) {
                reportViolation(
                    `function "${args.name}" uses the legacy layer ${parsed.name}:${parsed.version}; ` +
                        `remove it and use this stack's layers (${own.join(", ")}).`,
                );
            } else if (!own.includes(parsed.name)) {
                reportViolation(
                    `function "${args.name}" uses layer ${parsed.name}:${parsed.version}, ` +
                        `which is not a layer of the ${env} stack; use ${own.join(" or ")}.`,
                );
            }
        }
    },
};
