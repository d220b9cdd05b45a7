import { StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { functionLabel, functionsOf } from "../support/functionRoles";
import { knownString, labelOf, ofTypes, refersTo, valueOf } from "../support/references";

/** The layer version ARN without its version: what a function's layer ARN is matched on when no dependency says. */
function layerArnOf(arn: string): string {
    return arn.replace(/:\d+$/, "");
}

/** Every layer a function runs with declares the function's runtime among its compatible runtimes. */
export const vectoraLambdaLayerRuntimeMatch: StackValidationPolicy = {
    name: "vectora-lambda-layer-runtime-match",
    description:
        "Every layer version of the stack that a Lambda function uses lists the function's runtime in its compatible runtimes, " +
        "so that the layer was built (and its wheels chosen) for the Python the function runs.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["lambda", "runtime"],
    remediationSteps:
        "Publish the layer for the function's runtime (compatibleRuntimes in components/versionedLayer.ts, with wheels built for that " +
        "Python by artifacts/pythonDeps.ts), bump the layer's version in VERSION and deploy.",
    url: "RULES.md#vectora-lambda-layer-runtime-match",
    rationale: {
        why:
            "common-deps holds wheels built for one Python; a function on another runtime imports them and fails at run time, not at " +
            "deploy.",
        severityReason: "The function fails at import time: an outage of that function, not an exposure.",
    },
    validateStack: (args, reportViolation) => {
        const layers = ofTypes(args.resources, TYPES.layerVersion);
        const functions = functionsOf(args.resources);
        if (layers.length === 0 || functions.length === 0) {
            return args.notApplicable("no function with a layer of the stack");
        }
        for (const fn of functions) {
            const runtime = knownString(fn, "runtime");
            if (runtime === undefined) {
                continue;
            }
            for (const layer of layers.filter((l) => refersTo(fn, "layers", l, ["arn", "layerArn"], layerArnOf))) {
                const compatible: unknown = valueOf(layer, "compatibleRuntimes");
                if (!Array.isArray(compatible) || !compatible.includes(runtime)) {
                    reportViolation(
                        `${functionLabel(fn)} runs ${runtime} with layer ${labelOf(layer, "layerName")}, whose compatible runtimes ` +
                            `are ${Array.isArray(compatible) ? compatible.join(", ") || "none" : "not declared"}; ` +
                            `build the layer for ${runtime} ` +
                            `and list it in compatibleRuntimes.`,
                        layer.urn,
                    );
                }
            }
        }
    },
};
