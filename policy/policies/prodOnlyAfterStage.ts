import { StackValidationPolicy } from "@pulumi/policy";
import { isRecord } from "../support/props";
import { deployedArtifacts, readStage, short } from "../support/promotion";
import { currentStack } from "../support/stackEnv";

/** Knobs of the promotion gate. */
export interface ProdOnlyAfterStageConfig {
    /** Name of the StackReference to the stage stack; by default any reference whose name ends in /stage. */
    readonly stageStack?: string;
}

/**
 * Prod runs only what stage already runs: the same version AND the same bytes of every artifact.
 * It fails closed: no reference to stage, no stage outputs, or a value that cannot be known yet is a
 * violation, never a pass.
 */
export const prodOnlyAfterStage: StackValidationPolicy = {
    name: "vectora-promotion-stage-first",
    description:
        "The prod stack deploys only artifacts (layers, functions, canonical set) whose version and sha256 the stage stack already exports in its artifacts output, read through a StackReference; anything unverifiable fails the gate.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            stageStack: { type: "string", description: "Fully qualified name of the stage stack (organization/vectora-inbox/stage)." },
        },
    },
    validateStack: (args, reportViolation) => {
        if (currentStack() !== "prod") {
            return args.notApplicable("applies to the prod stack only");
        }
        const config = args.getConfig<ProdOnlyAfterStageConfig>();
        const stage = readStage(args.resources, config.stageStack);
        if (!stage.ok) {
            reportViolation(`Promotion gate: ${stage.problem}, so nothing prod deploys can be verified; the gate fails closed. Deploy stage first and reference it from prod.`);
            return;
        }
        const stageArtifacts = stage.outputs.artifacts;
        if (!isRecord(stageArtifacts)) {
            reportViolation(`Promotion gate: stage stack ${stage.name} exports no artifacts output, so nothing prod deploys can be verified; deploy stage with this program first.`);
            return;
        }
        for (const prod of deployedArtifacts(args.resources)) {
            if (prod.problem !== undefined || prod.version === undefined || prod.sha256 === undefined) {
                reportViolation(`Promotion gate: cannot verify ${prod.artifact} because ${prod.problem ?? "its version is unknown"}; the gate fails closed.`, prod.urn);
                continue;
            }
            const staged = stageArtifacts[prod.artifact];
            const stageVersion = isRecord(staged) && typeof staged.version === "string" ? staged.version : undefined;
            const stageSha = isRecord(staged) && typeof staged.sha256 === "string" ? staged.sha256 : undefined;
            if (stageVersion === undefined || stageSha === undefined) {
                reportViolation(`Promotion gate: prod would deploy ${prod.artifact} ${prod.version} (sha256 ${short(prod.sha256)}) but stage ${stage.name} does not run ${prod.artifact}; deploy it to stage first.`, prod.urn);
            } else if (stageVersion !== prod.version) {
                reportViolation(
                    `Promotion gate: prod would deploy ${prod.artifact} ${prod.version} but stage runs ${prod.artifact} ${stageVersion}; promote ${prod.version} to stage first (npm run promote -- --to stage) and let it run there.`,
                    prod.urn,
                );
            } else if (!stageSha.startsWith(prod.sha256) && !prod.sha256.startsWith(stageSha)) {
                reportViolation(
                    `Promotion gate: prod would deploy ${prod.artifact} ${prod.version} with sha256 ${short(prod.sha256)} but stage runs ${prod.version} with sha256 ${short(stageSha)}: same version, other bytes is a rebuild, not a promotion; deploy the commit stage runs, or bump the version and go through stage.`,
                    prod.urn,
                );
            }
        }
    },
};
