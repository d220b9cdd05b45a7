import { promotionGatePolicy } from "../support/promotionGatePolicy";

/**
 * Stage runs only what dev already runs: the same version AND the same bytes of every artifact, compared with
 * dev's resources as the pack reads them from dev's state itself (the same gate as prod's, one edge earlier).
 */
export const vectoraPromotionDevFirst = promotionGatePolicy(
    "stage",
    "The stage stack deploys only artifacts (layers, functions, canonical set) whose version and full sha256 the pinned " +
        "dev stack runs, as the pack reads them from dev's own resources; checked on stage's promotion gate before any " +
        "change and on every resource that carries an artifact, and anything unverifiable fails it.",
    {
        severity: "critical",
        tags: ["governance", "promotion"],
        remediationSteps:
            "Deploy the version to dev first (pulumi up --stack dev) and let it run there, then deploy stage from the same commit.",
        url: "RULES.md#vectora-promotion-dev-first",
        rationale: {
            why:
                "Stage must run what dev ran, byte for byte: the legacy-layer incident was a stage Lambda running code nobody could " +
                "trace. The pack reads dev's state itself, as prod's gate reads stage's.",
            severityReason: "Stage would run bytes no environment ran before it, breaking the chain prod relies on.",
        },
    },
);
