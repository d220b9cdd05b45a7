import { ResourceValidationPolicy } from "@pulumi/policy";
import { gateEvidenceFor, promotionProblem } from "../support/promotion";

/** Knobs of the promotion gate. */
export interface VectoraPromotionStageFirstConfig {
    /** Fully qualified name of the stage stack; by default any stack named stage. */
    readonly stageStack?: string;
}

/**
 * Prod runs only what stage already runs: the same version AND the same bytes of every artifact. It
 * checks prod's PromotionGate, which the engine analyzes before any other resource of prod is created or
 * updated, and fails closed: no evidence, evidence unknown during preview, or malformed, is a violation.
 */
export const vectoraPromotionStageFirst: ResourceValidationPolicy = {
    name: "vectora-promotion-stage-first",
    description:
        "The prod stack deploys only artifacts (layers, functions, canonical set) " +
        "whose version and sha256 the stage stack already runs, as recorded " +
        "on prod's promotion gate from stage's artifacts output; the gate " +
        "is checked before any change, and anything unverifiable fails it.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            stageStack: { type: "string", description: "Fully qualified name of the stage stack (organization/vectora-inbox/stage)." },
        },
    },
    validateResource: (args, reportViolation) => {
        const evidence = gateEvidenceFor(args, args.getConfig<VectoraPromotionStageFirstConfig>().stageStack);
        if (!evidence.ok) {
            reportViolation(`Promotion gate: ${evidence.problem}, so nothing prod deploys can be verified; the gate fails closed.`);
            return;
        }
        for (const [artifact, prod] of Object.entries(evidence.deploys)) {
            const problem = promotionProblem(artifact, prod, evidence.stageStack, evidence.stage[artifact]);
            if (problem) {
                reportViolation(`Promotion gate: ${problem}`);
            }
        }
    },
};
