/**
 * Smoke-test attestations and urgent exceptions, kept as tags of the stack they speak of.
 *
 * Why stack tags: the program, the policy pack and an auditor all reach them with what they already use to read a
 * stack's state, the Pulumi CLI and its backend (`pulumi stack tag ls --stack <s> --json`), in the sandbox as against
 * a real backend; whoever may write them is whoever may write the stack itself (the same backend credentials that
 * `pulumi up` and `pulumi stack import` need). The CLI bounds a tag's name to 40 characters of `[a-zA-Z0-9-_.:]` and
 * its value to 256 (pulumi/pulumi pkg/util/validation/stack.go, validateStackTagName and ValidateStackTags): every
 * name and value written here fits, and the readers refuse anything else.
 *
 * - `vectora:smoke:<24 hex of the release digest>`: `v1 <pass|fail> <ISO time> <release digest> <commit|->`, the last
 *   smoke test of that release in that stack;
 * - `vectora:release:<16 hex>:<n>` (n = 1..): `<artifact> <version> <sha256>`, one per artifact of a release that
 *   passed, so that a release can be checked artifact by artifact later (a rollback);
 * - `vectora:urgent:<24 hex>`: `v1 <ISO time> <release digest> <reference> <reason>`, prod's named exception that
 *   waives the soak, and only the soak, for that release.
 */

/** The longest tag name and value the Pulumi CLI accepts. */
export const MAX_TAG_NAME = 40;
export const MAX_TAG_VALUE = 256;

const SMOKE_PREFIX = "vectora:smoke:";
const RELEASE_PREFIX = "vectora:release:";
const URGENT_PREFIX = "vectora:urgent:";

const DIGEST = "[0-9a-f]{64}";
const TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{3})?Z";

/** The outcome of one smoke test of one release in one stack. */
export interface Attestation {
    readonly result: "pass" | "fail";
    /** When the test ran (ISO, UTC). */
    readonly at: string;
    /** The release digest of what the functions were found running (evidence.ts releaseDigest). */
    readonly digest: string;
    /** The commit the stack was deployed from, when its state says. */
    readonly commit?: string;
}

/** One artifact of an attested release. */
export interface ReleaseArtifact {
    readonly artifact: string;
    readonly version: string;
    readonly sha256: string;
}

/** prod's named exception to the soak for one release. */
export interface UrgentException {
    readonly at: string;
    readonly digest: string;
    /** A ticket or incident reference (`INC-1234`, `https://...`). */
    readonly reference: string;
    /** Why prod cannot wait, in a sentence. */
    readonly reason: string;
}

/** The tag of the smoke test of a release. */
export function smokeTagName(digest: string): string {
    return `${SMOKE_PREFIX}${digest.slice(0, 24)}`;
}

/** The tag of the n-th artifact (from 1) of an attested release. */
export function releaseTagName(digest: string, n: number): string {
    return `${RELEASE_PREFIX}${digest.slice(0, 16)}:${n}`;
}

/** The tag of the urgent exception for a release. */
export function urgentTagName(digest: string): string {
    return `${URGENT_PREFIX}${digest.slice(0, 24)}`;
}

/** A smoke attestation as its tag's value. */
export function formatAttestation(a: Attestation): string {
    return `v1 ${a.result} ${a.at} ${a.digest} ${a.commit ?? "-"}`;
}

const ATTESTATION = new RegExp(`^v1 (pass|fail) (${TIME}) (${DIGEST}) ([0-9a-f]{40}|-)$`);

/** A smoke tag's value read back, or undefined when it is not one this code writes. */
export function parseAttestation(value: string): Attestation | undefined {
    const m = ATTESTATION.exec(value);
    if (!m || Number.isNaN(Date.parse(m[2]))) {
        return undefined;
    }
    return { result: m[1] as "pass" | "fail", at: m[2], digest: m[3], ...(m[4] !== "-" ? { commit: m[4] } : {}) };
}

/** An artifact of a release as its tag's value. */
export function formatReleaseArtifact(a: ReleaseArtifact): string {
    return `${a.artifact} ${a.version} ${a.sha256}`;
}

const RELEASE_ARTIFACT = new RegExp(`^([a-z][a-z0-9-]{0,62}) (\\S{1,64}) (${DIGEST})$`);

/** A release tag's value read back. */
export function parseReleaseArtifact(value: string): ReleaseArtifact | undefined {
    const m = RELEASE_ARTIFACT.exec(value);
    return m ? { artifact: m[1], version: m[2], sha256: m[3] } : undefined;
}

/** What an urgent exception's reference may look like: a ticket id or a URL, without spaces. */
export const URGENT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/#?=&%-]{1,79}$/;
/** The reason's bounds, in characters: a sentence, not a word, and it must fit in the tag. */
export const URGENT_REASON_MIN = 10;
export const URGENT_REASON_MAX = 120;

/** Why a reference and reason cannot make an urgent exception, or undefined when they can. */
export function urgentProblem(reference: string, reason: string): string | undefined {
    if (!URGENT_REFERENCE.test(reference)) {
        return `the reference ${JSON.stringify(reference)} is not a ticket id or URL (2 to 80 characters, no spaces)`;
    }
    const trimmed = reason.trim();
    // eslint-disable-next-line no-control-regex
    if (trimmed.length < URGENT_REASON_MIN || trimmed.length > URGENT_REASON_MAX || /[\u0000-\u001f\u007f]/.test(reason)) {
        return `the reason must be one line of ${URGENT_REASON_MIN} to ${URGENT_REASON_MAX} characters`;
    }
    return undefined;
}

/** An urgent exception as its tag's value. */
export function formatUrgent(u: UrgentException): string {
    return `v1 ${u.at} ${u.digest} ${u.reference} ${u.reason.trim()}`;
}

const URGENT = new RegExp(`^v1 (${TIME}) (${DIGEST}) (\\S+) (.+)$`);

/** An urgent tag's value read back, or undefined when it is not a well-formed exception. */
export function parseUrgent(value: string): UrgentException | undefined {
    const m = URGENT.exec(value);
    if (!m || Number.isNaN(Date.parse(m[1])) || urgentProblem(m[3], m[4]) !== undefined) {
        return undefined;
    }
    return { at: m[1], digest: m[2], reference: m[3], reason: m[4] };
}

/** A stack's tags as `pulumi stack tag ls --json` prints them. */
export type StackTags = Readonly<Record<string, string>>;

/** The stack's smoke attestation of a release, when it holds a well-formed one for exactly that digest. */
export function attestationOf(tags: StackTags, digest: string): Attestation | undefined {
    const value = tags[smokeTagName(digest)];
    const parsed = value === undefined ? undefined : parseAttestation(value);
    return parsed?.digest === digest ? parsed : undefined;
}

/** The stack's urgent exception for a release, when it holds a well-formed one for exactly that digest. */
export function urgentOf(tags: StackTags, digest: string): UrgentException | undefined {
    const value = tags[urgentTagName(digest)];
    const parsed = value === undefined ? undefined : parseUrgent(value);
    return parsed?.digest === digest ? parsed : undefined;
}

/** The artifacts of a release the stack attested, by name, or undefined when its tags do not hold it whole. */
export function releaseOf(tags: StackTags, digest: string): Record<string, ReleaseArtifact> | undefined {
    const out: Record<string, ReleaseArtifact> = {};
    for (let n = 1; tags[releaseTagName(digest, n)] !== undefined; n++) {
        const parsed = parseReleaseArtifact(tags[releaseTagName(digest, n)]);
        if (!parsed || out[parsed.artifact]) {
            return undefined;
        }
        out[parsed.artifact] = parsed;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

/** Every release a stack passed a smoke test on, newest first: the stack's own history. */
export function passedReleases(tags: StackTags): Attestation[] {
    return Object.entries(tags)
        .filter(([name]) => name.startsWith(SMOKE_PREFIX))
        .map(([name, value]) => ({ name, a: parseAttestation(value) }))
        .filter((x): x is { name: string; a: Attestation } => x.a !== undefined && smokeTagName(x.a.digest) === x.name)
        .filter((x) => x.a.result === "pass")
        .map((x) => x.a)
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** The tags that record a passed release: its attestation and one tag per artifact. */
export function releaseTags(attestation: Attestation, artifacts: readonly ReleaseArtifact[]): Record<string, string> {
    const tags: Record<string, string> = { [smokeTagName(attestation.digest)]: formatAttestation(attestation) };
    [...artifacts]
        .sort((a, b) => (a.artifact < b.artifact ? -1 : 1))
        .forEach((a, i) => {
            tags[releaseTagName(attestation.digest, i + 1)] = formatReleaseArtifact(a);
        });
    return tags;
}
