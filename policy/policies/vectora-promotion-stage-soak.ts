import { ResourceValidationPolicy } from "@pulumi/policy";
import { gateEvidenceFor } from "../support/promotion";

/** Knobs of the soak check. */
export interface VectoraPromotionStageSoakConfig {
    /** Days stage must have run an artifact before prod may deploy it. */
    readonly minDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_SOAK_DAYS = 14;

/**
 * Stage should have run a version for a while before prod gets it. The time comes from stage's
 * `deployedAt` output as prod's promotion gate records it (layer creation dates and function last-modified
 * dates, which AWS records and a no-op deploy does not change).
 */
export const vectoraPromotionStageSoak: ResourceValidationPolicy = {
    name: "vectora-promotion-stage-soak",
    description:
        "The prod stack deploys a layer or function only after stage has run that version for at least " +
        "minDays days (14 by default), as recorded in stage's deployedAt output on prod's promotion gate.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["governance", "promotion"],
    remediationSteps:
        "Wait until stage has run the version for minDays days (npm run compare -- stage prod shows what stage runs) before deploying " +
        "prod; for an urgent fix, say so in the pull request and deploy anyway, the check being advisory.",
    url: "RULES.md#vectora-promotion-stage-soak",
    rationale: {
        why:
            "The team wants stage stable for about two weeks before prod; stage's deployedAt comes from AWS (layer creation, function " +
            "last change) and does not move on a no-op deploy.",
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
    validateResource: (args, reportViolation) => {
        const evidence = gateEvidenceFor(args);
        const minDays = args.getConfig<VectoraPromotionStageSoakConfig>().minDays ?? DEFAULT_SOAK_DAYS;
        if (!evidence.ok) {
            reportViolation(`Stage soak: ${evidence.problem}, so the time stage has run prod's versions is unknown.`);
            return;
        }
        const now = Date.now();
        const unknown: string[] = [];
        for (const artifact of Object.keys(evidence.deploys)) {
            if (artifact === "canonical") {
                continue;
            }
            const since = evidence.deployedAt[artifact];
            const time = typeof since === "string" ? Date.parse(since) : NaN;
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
                `Stage soak: stage ${evidence.stageStack} does not say since when it runs ${unknown.join(", ")} (no ` +
                    `deployedAt output); check stage's history before deploying to prod.`,
            );
        }
    },
};
