/**
 * The grammar of versions, one for the program (VERSION, client configs) and the pack (layer descriptions, artifact
 * keys, function tags): MAJOR.MINOR.PATCH without leading zeros, with an optional pre-release (`1.2.3`, `2.0.0-rc.1`).
 */

/** A version inside a larger pattern: no anchors, no capturing group. */
export const VERSION_PATTERN = "(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?";

const VERSION = new RegExp(`^${VERSION_PATTERN}$`);

/** The canonical set is versioned MAJOR.MINOR in the team's file; MAJOR.MINOR.PATCH is accepted too. */
const CANONICAL_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?$/;

export function isSemver(value: string): boolean {
    return VERSION.test(value);
}

export function isCanonicalVersion(value: string): boolean {
    return CANONICAL_VERSION.test(value);
}

/** True for a pre-release (`2.0.0-rc.1`): dev and stage may run one, prod runs releases only. */
export function isPrerelease(version: string): boolean {
    return version.includes("-");
}
