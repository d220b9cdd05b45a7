import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";
import { isRecord } from "../contract/records";
import { pinnedSource, sourceEvidence } from "../support/promotionGatePolicy";
import { raw } from "../support/props";
import { currentStack } from "../support/stackEnv";

/** Knobs of the soak check. */
export interface VectoraPromotionStageSoakConfig {
    /** Days stage must have run an artifact before prod may deploy it. */
    readonly minDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_SOAK_DAYS = 14;

/**
 * Stage should have run a version for a while before prod gets it. The time comes from stage's own resources as
 * the pack reads them (a layer version's creation date, a function's last-modified date, which AWS records and a
 * no-op deploy does not change), for every layer and function prod's promotion gate lists.
 */
export const vectoraPromotionStageSoak: ResourceValidationPolicy = {
    name: "vectora-promotion-stage-soak",
    description:
        "The prod stack deploys a layer or function only after stage has run that version for at least " +
        "minDays days (14 by default), as stage's own resources record it (layer creation, function last-modified dates).",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["governance", "promotion"],
    remediationSteps:
        "Wait until stage has run the version for minDays days (npm run compare -- stage prod shows what stage runs) before deploying " +
        "prod; for an urgent fix, say so in the pull request and deploy anyway, the check being advisory.",
    url: "RULES.md#vectora-promotion-stage-soak",
    rationale: {
        why:
            "The team wants stage stable for about two weeks before prod; the dates come from stage's own resources as the pack reads " +
            "its state (layer creation, function last change, as AWS stamps them) and do not move on a no-op deploy.",
        severityReason: "A short soak raises the chance that prod meets an untried path, but the bytes are still the ones stage runs.",
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
        const evidence = await sourceEvidence(stack, {});
        const deploys = raw(args.props).deploys;
        const now = Date.now();
        const unknown: string[] = [];
        for (const artifact of Object.keys(isRecord(deploys) ? deploys : {})) {
            if (artifact === "canonical") {
                continue;
            }
            const running = evidence.artifacts[artifact];
            const time = running?.since ? Date.parse(running.since) : NaN;
            if (Number.isNaN(time)) {
                unknown.push(artifact);
                continue;
            }
            const days = (now - time) / DAY_MS;
            if (days < minDays) {
                reportViolation(
                    `Stage soak: stage has run ${artifact} only since ${new Date(time).toISOString()} (${days.toFixed(1)} days); ` +
                        `wait until it has run ${minDays} days before deploying it to prod.`,
                );
            }
        }
        if (unknown.length > 0) {
            reportViolation(
                `Stage soak: stage ${stack} does not say since when it runs ${unknown.join(", ")}; check stage's history ` +
                    `before deploying to prod.`,
            );
        }
    },
};
