import { Attestation, StackTags, UrgentException, attestationOf, passedReleases, releaseOf, urgentOf } from "./attestation";
import { Evidence, releaseDigest } from "./evidence";
import type { DeployedArtifact } from "./promotion";

/**
 * The rest of the promotion rule, written once for the program and the pack: what the source runs must have passed
 * its smoke test there after it last changed, prod must wait until stage has run it for the soak (unless an urgent
 * exception names that release), and a stack may go back to a release it ran and passed on itself.
 */

/** What a gate rests on: a promotion from its source, or a release its own stack ran and passed (a rollback). */
export type GateBasis = "promotion" | "own-history";
/** The basis of a rollback, as the program records it on the gate and the pack reads it. */
export const OWN_HISTORY: GateBasis = "own-history";

/** Days stage runs a release before prod may deploy it, by default. */
export const DEFAULT_SOAK_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The latest time AWS wrote any artifact the source runs: when the source last changed what it runs. */
export function lastChange(evidence: Evidence): number | undefined {
    const times = Object.values(evidence.artifacts)
        .map((a) => (a.since ? Date.parse(a.since) : NaN))
        .filter((t) => !Number.isNaN(t));
    return times.length > 0 ? Math.max(...times) : undefined;
}

/**
 * Why what the source runs has not passed its smoke test there: no attestation of that exact release, a failed one,
 * or a pass older than the source's last change (a test of something it no longer runs as is). Empty when it passed.
 */
export function untested(evidence: Evidence, sourceTags: StackTags, sourceEnv: string): string[] {
    const name = `${sourceEnv} (${evidence.stack})`;
    const attestation = attestationOf(sourceTags, evidence.digest);
    const smoke = `npm run smoke -- --stack ${sourceEnv}`;
    if (!attestation) {
        return [`${name} runs release ${evidence.digest.slice(0, 16)}, which has no smoke test on record there; run ${smoke}`];
    }
    if (attestation.result !== "pass") {
        return [
            `${name} runs release ${evidence.digest.slice(0, 16)}, whose last smoke test there failed (${attestation.at}); fix it first`,
        ];
    }
    const changed = lastChange(evidence);
    if (changed !== undefined && Date.parse(attestation.at) < changed) {
        return [
            `${name} changed what it runs at ${new Date(changed).toISOString()}, after its last passing smoke test ` +
                `(${attestation.at}); run ${smoke} again`,
        ];
    }
    return [];
}

/** The soak's verdict: why prod must wait, or the urgent exception that waives it. */
export interface SoakVerdict {
    readonly problems: readonly string[];
    /** The exception that waived a soak too short (absent when none was needed or none is recorded). */
    readonly urgent?: UrgentException;
}

/**
 * Whether stage has run each artifact prod deploys for `minDays` (from stage's own resources: a function's last
 * change, a layer version's creation). A recorded urgent exception for exactly the release stage runs waives it.
 */
export function soak(
    deploys: Readonly<Record<string, DeployedArtifact>>,
    evidence: Evidence,
    prodTags: StackTags,
    now: number,
    minDays: number = DEFAULT_SOAK_DAYS,
): SoakVerdict {
    const problems: string[] = [];
    const unknown: string[] = [];
    for (const artifact of Object.keys(deploys).sort()) {
        if (artifact === "canonical") {
            continue;
        }
        const since = evidence.artifacts[artifact]?.since;
        const time = since ? Date.parse(since) : NaN;
        if (Number.isNaN(time)) {
            unknown.push(artifact);
            continue;
        }
        const days = (now - time) / DAY_MS;
        if (days < minDays) {
            problems.push(
                `stage has run ${artifact} only since ${new Date(time).toISOString()} (${days.toFixed(1)} days); ` +
                    `prod waits until it has run ${minDays} days`,
            );
        }
    }
    if (unknown.length > 0) {
        problems.push(`stage ${evidence.stack} does not say since when it runs ${unknown.join(", ")}`);
    }
    if (problems.length === 0) {
        return { problems };
    }
    const urgent = urgentOf(prodTags, evidence.digest);
    return urgent ? { problems: [], urgent } : { problems };
}

/** What a deploy declares as one release: the digest of its artifacts' names, versions and sha256. */
export function declaredDigest(deploys: Readonly<Record<string, DeployedArtifact>>): string {
    return releaseDigest(deploys);
}

/**
 * The release a stack itself ran and passed its smoke test on, when `deploys` is exactly that release: its own pass
 * attestation for the digest of `deploys`, and its release tags listing exactly those artifacts. Undefined otherwise.
 */
export function ownPassedRelease(deploys: Readonly<Record<string, DeployedArtifact>>, ownTags: StackTags): Attestation | undefined {
    const digest = declaredDigest(deploys);
    const attestation = attestationOf(ownTags, digest);
    const release = releaseOf(ownTags, digest);
    if (attestation?.result !== "pass" || !release) {
        return undefined;
    }
    const names = Object.keys(deploys).sort();
    const same =
        JSON.stringify(Object.keys(release).sort()) === JSON.stringify(names) &&
        names.every((n) => release[n].version === deploys[n].version && release[n].sha256 === deploys[n].sha256);
    return same ? attestation : undefined;
}

/** Whether one artifact belongs to some release the stack itself passed (what a resource alone can be checked against). */
export function inOwnHistory(artifact: string, deployed: DeployedArtifact, ownTags: StackTags): boolean {
    return passedReleases(ownTags).some((a) => {
        const entry = releaseOf(ownTags, a.digest)?.[artifact];
        return entry !== undefined && entry.version === deployed.version && entry.sha256 === deployed.sha256;
    });
}
