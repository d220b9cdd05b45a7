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
    severity: "critical",
    tags: ["governance", "promotion"],
    remediationSteps:
        "Promote the version to stage first (npm run promote -- --to stage) and let it run there, then deploy prod from the same " +
        "commit; if prod should keep its current version of that artifact, put that version back in VERSION. npm run compare -- stage " +
        "prod shows both sides.",
    url: "RULES.md#vectora-promotion-stage-first",
    rationale: {
        why:
            "Prod only receives what stage already runs, the same bytes, never a rebuild. The engine never sends a StackReference (a " +
            "read) to a policy pack, so the prod program puts stage's outputs on a registered component, the promotion gate, that every " +
            "other resource waits for: the engine analyzes it before creating or changing anything, even with --skip-preview. An " +
            "unreadable stage never lets prod through.",
        severityReason: "Prod would run bytes that stage never ran: the one change the promotion rule exists to stop.",
    },
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
