import { Evidence, RunningArtifact, isFullSha256 } from "./evidence";
import { Env, PROMOTION_SOURCE } from "./naming";

/**
 * The promotion rule, written once for the program and the pack: an environment deploys an artifact only when
 * the environment before it (dev for stage, stage for prod) runs that artifact at the same version with the
 * same bytes, compared on whole sha256 hashes.
 */

/** What a stack is about to deploy of one artifact. */
export interface DeployedArtifact {
    readonly version: string;
    /** Full sha256 (64 hex) of the bytes. */
    readonly sha256: string;
    /** False when the machine running the program could not build it completely (common-deps without pip). */
    readonly built?: boolean;
}

/** The environment an environment takes its artifacts from, and how a user gets an artifact there. */
export function promotionEdge(target: Env): { readonly source: Env; readonly how: (version: string) => string } | undefined {
    const source = PROMOTION_SOURCE[target];
    if (!source) {
        return undefined;
    }
    return {
        source,
        how:
            source === "dev"
                ? (version) => `deploy ${version} to dev first (pulumi up --stack dev) and let it run there`
                : (version) => `promote ${version} to stage first (npm run promote -- --to stage) and let it run there`,
    };
}

/** Why `target` may not deploy this artifact given what its source runs; undefined when the source runs exactly it. */
export function promotionProblem(
    target: Env,
    artifact: string,
    deploy: DeployedArtifact,
    sourceStack: string,
    running: RunningArtifact | undefined,
): string | undefined {
    const edge = promotionEdge(target);
    if (!edge) {
        return undefined;
    }
    const { source } = edge;
    if (!isFullSha256(deploy.sha256)) {
        return (
            `${target} would deploy ${artifact} ${deploy.version} with sha256 ${JSON.stringify(deploy.sha256)}, which is ` +
            `not a full sha256 (64 hex digits).`
        );
    }
    if (running === undefined) {
        return (
            `${target} would deploy ${artifact} ${deploy.version} (sha256 ${deploy.sha256}) but ${source} ${sourceStack} ` +
            `does not run ${artifact}; ${edge.how(deploy.version)}.`
        );
    }
    if (running.version !== deploy.version) {
        return (
            `${target} would deploy ${artifact} ${deploy.version} but ${source} runs ${artifact} ${running.version}; ` +
            `${edge.how(deploy.version)}.`
        );
    }
    if (running.sha256 === deploy.sha256) {
        return undefined;
    }
    if (deploy.built === false) {
        return (
            `${target} would deploy ${artifact} ${deploy.version} as built on this machine (sha256 ${deploy.sha256}), which ` +
            `is NOT BUILT: ` +
            `its dependencies could not be installed here, so its bytes cannot be those ${source} runs (sha256 ${running.sha256}); ` +
            `run this where pip reaches a Python package index.`
        );
    }
    return (
        `${target} would deploy ${artifact} ${deploy.version} with sha256 ${deploy.sha256} but ${source} runs ` +
        `${deploy.version} with sha256 ` +
        `${running.sha256}: same version, other bytes is a rebuild, not a promotion; deploy the commit ${source} runs, or bump the ` +
        `version and go through ${source}.`
    );
}

/** Every reason `target` may not deploy `deploys` given the evidence read from its source (empty: it may). */
export function promotionProblems(target: Env, deploys: Readonly<Record<string, DeployedArtifact>>, evidence: Evidence): string[] {
    const edge = promotionEdge(target);
    if (!edge) {
        return [];
    }
    if (evidence.problems.length > 0) {
        return evidence.problems.map((p) => `${edge.source} stack ${evidence.stack} cannot be trusted as evidence: ${p}.`);
    }
    return Object.keys(deploys)
        .sort()
        .map((name) => promotionProblem(target, name, deploys[name], evidence.stack, evidence.artifacts[name]))
        .filter((p): p is string => p !== undefined);
}
