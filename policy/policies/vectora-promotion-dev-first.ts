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
);
