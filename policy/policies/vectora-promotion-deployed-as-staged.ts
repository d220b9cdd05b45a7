import { StackValidationPolicy } from "@pulumi/policy";
import { deployedArtifacts, readGateDeploys, short } from "../support/promotion";
import { TYPES } from "../contract/resourceTypes";
import { currentStack } from "../support/stackEnv";

/**
 * What the prod stack ends up running is what its promotion gate was shown: every layer, function and
 * canonical manifest, read from the resources themselves, is listed on the one gate with the same version
 * and sha256. With vectora-promotion-stage-first (the gate's list against stage), prod runs only what stage
 * runs. This catches a program that leaves the gate out, or shows it one thing and deploys another.
 */
export const vectoraPromotionDeployedAsStaged: StackValidationPolicy = {
    name: "vectora-promotion-deployed-as-staged",
    description:
        "The prod stack has exactly one promotion gate, and every layer, function and canonical set it deploys is listed " +
        "on that gate with the same version and sha256 (the list vectora-promotion-stage-first checks against stage).",
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
            "deploys another, is caught at the end of every preview.",
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
        const declared = readGateDeploys(gates[0].props);
        if (typeof declared === "string") {
            reportViolation(
                `Promotion gate: ${declared}, so what prod deploys cannot be matched with what the gate checked; the gate fails closed.`,
                gates[0].urn,
            );
            return;
        }
        for (const prod of deployedArtifacts(args.resources)) {
            if (prod.problem !== undefined || prod.version === undefined || prod.sha256 === undefined) {
                reportViolation(
                    `Promotion gate: cannot verify ${prod.artifact} because ${prod.problem ?? "its version is unknown"}; ` +
                        `the gate fails closed.`,
                    prod.urn,
                );
                continue;
            }
            const entry = declared[prod.artifact];
            if (
                !entry ||
                entry.version !== prod.version ||
                !(entry.sha256.startsWith(prod.sha256) || prod.sha256.startsWith(entry.sha256))
            ) {
                reportViolation(
                    `Promotion gate: prod deploys ${prod.artifact} ${prod.version} (sha256 ${short(prod.sha256)}) ` +
                        `but its promotion gate was ` +
                        `shown ${entry ? `${entry.version} (sha256 ${short(entry.sha256)})` : `no ${prod.artifact}`}; ` +
                        `the program must show the gate exactly what it deploys.`,
                    prod.urn,
                );
            }
        }
    },
};
