import { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../contract/resourceTypes";
import { isRecord } from "../contract/records";
import { LAMBDA_CODE_SHA256, declaredArtifact } from "../support/declaredArtifact";
import { isUnknown, raw } from "../support/props";
import { currentStack } from "../support/stackEnv";

/**
 * What the prod stack ends up running is what its promotion gate recorded stage running: every layer, function
 * and canonical manifest, read from the resources themselves (after a deploy, from the hashes AWS computed), has
 * the version and sha256 the one gate recorded. The gate's policy (vectora-promotion-stage-first) checks the
 * record against stage before anything changes; this one checks the end result, and in an audit of prod's
 * exported state it finds a deploy that went past the gate (no pack, a hand change of code).
 */
export const vectoraPromotionDeployedAsStaged: StackValidationPolicy = {
    name: "vectora-promotion-deployed-as-staged",
    description:
        "The prod stack has exactly one promotion gate, and every layer, function and canonical set it runs (after a " +
        "deploy: Lambda's own code hashes) has the version and full sha256 that gate recorded stage running.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["governance", "promotion"],
    remediationSteps:
        "Deploy prod only through the program, which registers the promotion gate first with every layer, function and canonical set it " +
        "deploys (program.ts, components/promotionGate.ts); add a new artifact to the gate's deploys, and never remove the gate.",
    url: "RULES.md#vectora-promotion-deployed-as-staged",
    rationale: {
        why:
            "Ties what prod really deploys to what the gate checked: a program that leaves the gate out, or shows it one thing and " +
            "deploys another, is caught at the end of every preview and update (after an update, by Lambda's own code hashes) and " +
            "in an audit of prod's state.",
        severityReason: "A prod deploy that differs from what the gate was shown bypasses the gate entirely.",
    },
    validateStack: (args, reportViolation) => {
        if (currentStack(args.resources[0]?.urn) !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const gates = args.resources.filter((r) => r.type === TYPES.promotionGate);
        if (gates.length !== 1) {
            reportViolation(
                `Promotion gate: the prod stack has ${gates.length} promotion gates (${TYPES.promotionGate}); expected exactly one, ` +
                    `registered before every other resource, so that stage's evidence reaches the pack. The gate fails closed.`,
            );
            return;
        }
        const source = raw(gates[0].props).source;
        const recorded = isRecord(source) && isRecord(source.artifacts) ? source.artifacts : undefined;
        if (!recorded) {
            reportViolation(
                `Promotion gate: the promotion gate recorded nothing of stage, so what prod runs cannot be matched; the gate fails closed.`,
                gates[0].urn,
            );
            return;
        }
        // A preview plans an update with the function's or layer's old codeSha256 (Optional + Computed, kept until
        // the update runs: simulation/plan.ts), so there it says what runs now, not what will; an update or an
        // audit of the state has Lambda's own hash of what runs.
        const planned = pulumi.runtime.isDryRun();
        for (const resource of args.resources) {
            const declared = declaredArtifact(resource.type, resource.name, raw(resource.props));
            if (
                !declared ||
                !(resource.type === TYPES.function || resource.type === TYPES.layerVersion || declared.artifact === "canonical")
            ) {
                continue;
            }
            const hashes = declared.hashes
                .filter((h) => !(planned && h.from === LAMBDA_CODE_SHA256))
                .map((h) => h.sha256)
                .filter((h): h is string => h !== undefined);
            const entry = recorded[declared.artifact];
            const staged = isRecord(entry) ? { version: entry.version, sha256: entry.sha256 } : undefined;
            if (!declared.version || hashes.length === 0) {
                reportViolation(
                    `Promotion gate: cannot tell which ${declared.artifact} prod runs (no version or sha256 on ${resource.name}); ` +
                        `the gate fails closed.`,
                    resource.urn,
                );
                continue;
            }
            // Every hash the resource carries must be the staged one: Lambda's first, once it has run.
            const other = hashes.find((h) => !staged || staged.version !== declared.version || staged.sha256 !== h);
            if (other !== undefined) {
                reportViolation(
                    `Promotion gate: prod runs ${declared.artifact} ${declared.version} (sha256 ${other}) but its promotion gate ` +
                        `recorded stage running ` +
                        `${staged ? `${staged.version} (sha256 ${staged.sha256})` : `no ${declared.artifact}`}; ` +
                        `prod runs only what stage ran.`,
                    resource.urn,
                );
            }
        }
        for (const { urn, problem } of foreignLayers(args.resources)) {
            reportViolation(`Promotion gate: ${problem}; prod's functions run only the layer versions this stack publishes.`, urn);
        }
    },
};

/**
 * Layer versions a function attaches that are not this stack's own layer versions (whose bytes the loop above
 * matched with stage's): an older version of prod's own layer, or another environment's. Unknown ARNs (a layer
 * version a preview has yet to publish) are left to the update, whose state has them.
 */
function foreignLayers(resources: StackValidationArgs["resources"]): Array<{ urn: string; problem: string }> {
    const ours = new Set(
        resources
            .filter((r) => r.type === TYPES.layerVersion)
            .map((r) => raw(r.props).arn)
            .filter((arn): arn is string => typeof arn === "string" && !isUnknown(arn)),
    );
    const problems: Array<{ urn: string; problem: string }> = [];
    for (const fn of resources.filter((r) => r.type === TYPES.function)) {
        const layers = raw(fn.props).layers;
        for (const arn of Array.isArray(layers) ? layers : []) {
            if (typeof arn === "string" && !isUnknown(arn) && !ours.has(arn)) {
                problems.push({
                    urn: fn.urn,
                    problem: `function ${String(raw(fn.props).name ?? fn.name)} runs layer ${arn}, not one of this stack's`,
                });
            }
        }
    }
    return problems;
}
