import { promotionGatePolicy } from "../support/promotionGatePolicy";

/**
 * Prod runs only what stage already runs: the same version AND the same bytes of every artifact, compared with
 * stage's resources as the pack reads them from stage's state itself, on prod's promotion gate (before anything
 * of prod changes) and on every resource that carries an artifact (before its own step).
 */
export const vectoraPromotionStageFirst = promotionGatePolicy(
    "prod",
    "The prod stack deploys only artifacts (layers, functions, canonical set) whose version and full sha256 the pinned " +
        "stage stack runs, as the pack reads them from stage's own resources (Lambda's code hashes, the canonical " +
        "manifest); checked on prod's promotion gate before any change and on every resource that carries an artifact, " +
        "and anything unverifiable fails it.",
    {
        severity: "critical",
        tags: ["governance", "promotion"],
        remediationSteps:
            "Promote the version to stage first (npm run promote -- --to stage) and let it run there, then deploy prod from the " +
            "same commit; if prod should keep its current version of that artifact, put that version back in VERSION. " +
            "npm run compare -- stage prod shows both sides.",
        url: "RULES.md#vectora-promotion-stage-first",
        rationale: {
            why:
                "Prod only receives what stage already runs, the same bytes, never a rebuild. The pack reads stage's state itself " +
                "(pulumi stack export through the CLI that runs it) and checks the promotion gate, registered before anything " +
                "else, and every resource that carries an artifact, even with --skip-preview. An unreadable stage never lets prod through.",
            severityReason: "Prod would run bytes that stage never ran: the one change the promotion rule exists to stop.",
        },
    },
);
