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
);
