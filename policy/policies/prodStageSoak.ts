import { StackValidationPolicy } from "@pulumi/policy";
import { isRecord } from "../support/props";
import { deployedArtifacts, readStage } from "../support/promotion";
import { currentStack } from "../support/stackEnv";

/** Knobs of the soak check. */
export interface ProdStageSoakConfig {
    /** Days stage must have run an artifact before prod may deploy it. */
    readonly minDays?: number;
    /** Name of the StackReference to the stage stack (as for the promotion gate). */
    readonly stageStack?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_SOAK_DAYS = 14;

/**
 * Stage should have run a version for a while before prod gets it. The time comes from stage's
 * `deployedAt` output (layer creation dates and function last-modified dates, which AWS records and a
 * no-op deploy does not change).
 */
export const prodStageSoak: StackValidationPolicy = {
    name: "vectora-promotion-stage-soak",
    description:
        "The prod stack deploys a layer or function only after stage has run that version for at least minDays days (14 by default), as recorded in stage's deployedAt output.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minDays: { type: "number", minimum: 0, default: DEFAULT_SOAK_DAYS, description: "Days stage must have run a version before prod deploys it." },
            stageStack: { type: "string", description: "Fully qualified name of the stage stack." },
        },
    },
    validateStack: (args, reportViolation) => {
        if (currentStack() !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const config = args.getConfig<ProdStageSoakConfig>();
        const minDays = config.minDays ?? DEFAULT_SOAK_DAYS;
        const stage = readStage(args.resources, config.stageStack);
        if (!stage.ok) {
            reportViolation(`Stage soak: ${stage.problem}, so the time stage has run prod's versions is unknown.`);
            return;
        }
        const deployedAt = isRecord(stage.outputs.deployedAt) ? stage.outputs.deployedAt : {};
        const now = Date.now();
        const unknown: string[] = [];
        for (const prod of deployedArtifacts(args.resources)) {
            if (prod.artifact === "canonical") {
                continue;
            }
            const since = deployedAt[prod.artifact];
            const time = typeof since === "string" ? Date.parse(since) : NaN;
            if (Number.isNaN(time)) {
                unknown.push(prod.artifact);
                continue;
            }
            const days = (now - time) / DAY_MS;
            if (days < minDays) {
                reportViolation(
                    `Stage soak: stage has run ${prod.artifact} only since ${new Date(time).toISOString()} (${days.toFixed(1)} days); wait until it has run ${minDays} days before deploying it to prod.`,
                    prod.urn,
                );
            }
        }
        if (unknown.length > 0) {
            reportViolation(`Stage soak: stage ${stage.name} does not say since when it runs ${unknown.join(", ")} (no deployedAt output); check stage's history before deploying to prod.`);
        }
    },
};
