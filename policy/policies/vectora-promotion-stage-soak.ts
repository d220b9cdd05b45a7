import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { urgentTagName } from "../contract/attestation";
import { DEFAULT_SOAK_DAYS, ownPassedRelease, soak } from "../contract/tested";
import { gateDeploys, knownTags, ownStack, pinnedSource, sourceEvidence } from "../support/promotionGatePolicy";
import { raw } from "../support/props";
import { currentStack } from "../support/stackEnv";

/** Knobs of the soak check. */
export interface VectoraPromotionStageSoakConfig {
    /** Days stage must have run an artifact before prod may deploy it. */
    readonly minDays?: number;
}

export { DEFAULT_SOAK_DAYS };

/**
 * Stage runs a release for two weeks before prod gets it. The time comes from stage's own resources as the pack reads
 * them (a layer version's creation date, a function's last-modified date, which AWS records and a no-op deploy does
 * not change), for every layer and function prod's promotion gate lists, against this machine's clock. The urgent
 * path is a named exception recorded as a tag of the prod stack for exactly the release stage runs: it waives the
 * soak, and only the soak (the same bytes and the smoke test are still required by their own policies).
 */
export const vectoraPromotionStageSoak: ResourceValidationPolicy = {
    name: "vectora-promotion-stage-soak",
    description:
        "The prod stack deploys a layer or function only after stage has run that version for at least minDays days (14 by default), " +
        "as stage's own resources record it, unless prod holds an urgent exception (a reason and a reference) for exactly the " +
        "release stage runs; a release prod itself ran and passed before needs no soak.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["governance", "promotion"],
    remediationSteps:
        "Wait until stage has run the release for minDays days (npm run compare -- stage prod shows what stage runs); for an urgent fix, " +
        "record the exception with npm run promote -- --to prod --urgent --reason '<why>' --reference <ticket>, which is shown in " +
        "audit, compare and the gate's outputs.",
    url: "RULES.md#vectora-promotion-stage-soak",
    rationale: {
        why:
            "The team wants stage stable for two weeks before prod; the dates come from stage's own resources as the pack reads its " +
            "state (layer creation, function last change, as AWS stamps them) and do not move on a no-op deploy. An urgent fix may " +
            "skip the waiting, by name and for one release, never the tests.",
        severityReason:
            "A short soak raises the chance that prod meets an untried path, but the bytes are still the ones stage runs and tested.",
    },
    configSchema: {
        properties: {
            minDays: {
                type: "number",
                minimum: 0,
                default: DEFAULT_SOAK_DAYS,
                description: "Days stage must have run a version before prod deploys it.",
            },
        },
    },
    validateResource: async (args, reportViolation) => {
        if (args.type !== TYPES.promotionGate) {
            return args.notApplicable(`only ${TYPES.promotionGate}`);
        }
        if (currentStack(args.urn) !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const minDays = args.getConfig<VectoraPromotionStageSoakConfig>().minDays ?? DEFAULT_SOAK_DAYS;
        const stack = pinnedSource("prod", {});
        if (typeof stack !== "string") {
            reportViolation(`Stage soak: ${stack.problem}, so the time stage has run prod's versions is unknown.`);
            return;
        }
        const deploys = gateDeploys(raw(args.props));
        if (typeof deploys === "string") {
            reportViolation(`Stage soak: ${deploys}; the check fails closed.`);
            return;
        }
        const prodTags = await knownTags(ownStack("prod", stack), {});
        if (ownPassedRelease(deploys, prodTags)) {
            return;
        }
        const evidence = await sourceEvidence(stack, {});
        const verdict = soak(deploys, evidence, prodTags, Date.now(), minDays);
        for (const problem of verdict.problems) {
            reportViolation(
                `Stage soak: ${problem}; for an urgent fix, record the exception (${urgentTagName(evidence.digest)} on prod: ` +
                    `npm run promote -- --to prod --urgent --reason ... --reference ...).`,
            );
        }
    },
};
