import { StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { isRecord } from "../contract/records";
import { declaredArtifact } from "../support/declaredArtifact";
import { raw } from "../support/props";
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
        for (const resource of args.resources) {
            const declared = declaredArtifact(resource.type, resource.name, raw(resource.props));
            if (
                !declared ||
                !(resource.type === TYPES.function || resource.type === TYPES.layerVersion || declared.artifact === "canonical")
            ) {
                continue;
            }
            // Once deployed, Lambda's own hash of the package comes first.
            const r = { artifact: declared.artifact, version: declared.version, sha256: declared.hashes.find((h) => h.sha256)?.sha256 };
            const entry = recorded[r.artifact];
            const staged = isRecord(entry) ? { version: entry.version, sha256: entry.sha256 } : undefined;
            if (!r.version || !r.sha256) {
                reportViolation(
                    `Promotion gate: cannot tell which ${r.artifact} prod runs (no version or sha256 on ${resource.name}); ` +
                        `the gate fails closed.`,
                    resource.urn,
                );
            } else if (!staged || staged.version !== r.version || staged.sha256 !== r.sha256) {
                reportViolation(
                    `Promotion gate: prod runs ${r.artifact} ${r.version} (sha256 ${r.sha256}) but its promotion gate ` +
                        `recorded stage running ` +
                        `${staged ? `${staged.version} (sha256 ${staged.sha256})` : `no ${r.artifact}`}; prod runs only what stage ran.`,
                    resource.urn,
                );
            }
        }
    },
};
