import { InputError } from "../lib/errors";
import { PulumiCli, pulumiRead } from "../pulumi/pulumiCli";
import {
    Attestation,
    MAX_TAG_VALUE,
    StackTags,
    formatAttestation,
    parseAttestation,
    passedReleases,
    releaseTagName,
    releaseTags,
    smokeTagName,
} from "../policy/contract/attestation";
import { isRecord } from "../policy/contract/records";
import type { RunRelease, SmokeRun } from "./smokeRun";

/**
 * What a smoke run records: the release its functions really run, from the account's answers and the handlers'
 * reports (never from an output the program computed), and the tags that say it passed or failed.
 */

/** How many passed releases a stack keeps attested: the newest ones, enough to roll back several releases. */
export const KEPT_RELEASES = 8;

/** The tags of a stack, through its CLI. */
export function stackTags(cli: PulumiCli, stack: string, root: string): StackTags {
    const text = pulumiRead(cli, ["stack", "tag", "ls", "--stack", stack, "--json"], root);
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new InputError(`${cli.label} stack tag ls --stack ${stack} --json did not print JSON`);
    }
    if (!isRecord(doc) || !Object.values(doc).every((v) => typeof v === "string")) {
        throw new InputError(`${cli.label} stack tag ls --stack ${stack} --json did not print an object of strings`);
    }
    return doc as StackTags;
}

function setTag(cli: PulumiCli, stack: string, root: string, name: string, value: string): void {
    if (value.length > MAX_TAG_VALUE) {
        throw new InputError(`the tag ${name} would hold ${value.length} characters; a stack tag holds at most ${MAX_TAG_VALUE}`);
    }
    pulumiRead(cli, ["stack", "tag", "set", name, value, "--stack", stack], root);
}

/** The tags of every release but the KEPT_RELEASES newest passes: what a new attestation lets go. */
export function expiredTags(tags: StackTags, keep: number = KEPT_RELEASES): string[] {
    const kept = new Set(
        passedReleases(tags)
            .slice(0, keep)
            .map((a) => a.digest),
    );
    const names: string[] = [];
    for (const [name, value] of Object.entries(tags)) {
        const a = parseAttestation(value);
        if (a && name === smokeTagName(a.digest) && a.result === "pass" && !kept.has(a.digest)) {
            names.push(name);
            for (let n = 1; tags[releaseTagName(a.digest, n)] !== undefined; n++) {
                names.push(releaseTagName(a.digest, n));
            }
        }
    }
    return names;
}

/**
 * Records a run on its stack: a pass writes the attestation and the release's artifacts, a failure the failed
 * attestation of the release the state says runs, which replaces an earlier pass of it. A run whose functions pass
 * but whose release is not the one the state says (the account runs something else) is a failure. Returns the
 * attestation written.
 */
export function recordRun(cli: PulumiCli, root: string, stack: string, run: SmokeRun, at: Date): Attestation {
    const { release, stateDigest } = run;
    const passed = run.ok && "digest" in release && release.digest === stateDigest;
    const attestation: Attestation = {
        result: passed ? "pass" : "fail",
        at: at.toISOString(),
        digest: "digest" in release && passed ? release.digest : stateDigest,
        ...(run.commit && /^[0-9a-f]{40}$/.test(run.commit) ? { commit: run.commit } : {}),
    };
    if (!passed) {
        setTag(cli, stack, root, smokeTagName(attestation.digest), formatAttestation(attestation));
        return attestation;
    }
    const before = stackTags(cli, stack, root);
    const tags = releaseTags(attestation, (release as Exclude<RunRelease, { problem: string }>).artifacts);
    // The artifacts first, the attestation last: a run cut short leaves no pass without its release.
    const head = smokeTagName(attestation.digest);
    // A tag already holding its value is not written again (a re-test of the same release writes only its attestation):
    // each write is a run of the CLI.
    for (const name of [...Object.keys(tags).filter((n) => n !== head), head].filter((n) => before[n] !== tags[n])) {
        setTag(cli, stack, root, name, tags[name]);
    }
    for (const name of expiredTags({ ...before, ...tags })) {
        pulumiRead(cli, ["stack", "tag", "rm", name, "--stack", stack], root);
    }
    return attestation;
}
