/**
 * "No build without bumping VERSION": what changed between two builds of the repository, and whether the
 * versions moved with it. Pure functions over what each build produced; the command builds both sides.
 */

/** One versioned thing as built on one side: an artifact, the canonical set or a client config. */
export interface Versioned {
    /** What it is called in messages (`ingest-v2`, `canonical`, `canonical/clients/lai_weekly.yaml`). */
    readonly name: string;
    /** Where its version is written (`INGEST_VERSION` in VERSION, or `version` in the client config). */
    readonly key: string;
    readonly version: string;
    /** The sha256 of what it is made of: the zip's bytes, the canonical set, the config file. */
    readonly sha256: string;
}

/** A finding about one versioned thing: errors fail the check, notes do not. */
export interface VersionFinding {
    readonly level: "error" | "note";
    readonly name: string;
    readonly message: string;
}

/** Numeric parts and pre-release identifiers of a version (`1.2.3-rc.1`, or the canonical set's `1.1`). */
function parts(version: string): { core: number[]; pre: string[] } {
    const [core, ...pre] = version.split("-");
    return { core: core.split(".").map(Number), pre: pre.length > 0 ? pre.join("-").split(".") : [] };
}

/**
 * Orders two versions as semver does (https://semver.org, section 11): core numbers first, then a version with
 * a pre-release comes before the same version without one, pre-release identifiers numeric before alphanumeric.
 */
export function compareVersions(a: string, b: string): number {
    const x = parts(a);
    const y = parts(b);
    for (let i = 0; i < Math.max(x.core.length, y.core.length); i++) {
        const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
        if (d !== 0) {
            return Math.sign(d);
        }
    }
    if (x.pre.length === 0 || y.pre.length === 0) {
        return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
    }
    for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
        const [p, q] = [x.pre[i], y.pre[i]];
        if (p === undefined || q === undefined) {
            return p === undefined ? -1 : 1;
        }
        const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)];
        const d = pn && qn ? Number(p) - Number(q) : pn !== qn ? (pn ? -1 : 1) : p < q ? -1 : p > q ? 1 : 0;
        if (d !== 0) {
            return Math.sign(d);
        }
    }
    return 0;
}

/** The next version after `version`: the last pre-release number, or else the last number, plus one. */
export function nextVersion(version: string): string {
    const { core, pre } = parts(version);
    const last = pre.length > 0 ? pre[pre.length - 1] : undefined;
    if (last !== undefined && /^\d+$/.test(last)) {
        return `${core.join(".")}-${[...pre.slice(0, -1), String(Number(last) + 1)].join(".")}`;
    }
    if (pre.length > 0) {
        return `${core.join(".")}-${[...pre, "1"].join(".")}`;
    }
    return [...core.slice(0, -1), core[core.length - 1] + 1].join(".");
}

/** Compares the base build with the current one, thing by thing (things only one side has need no bump). */
export function versionFindings(base: readonly Versioned[], head: readonly Versioned[]): VersionFinding[] {
    const findings: VersionFinding[] = [];
    for (const now of head) {
        const before = base.find((b) => b.name === now.name);
        if (!before) {
            continue;
        }
        const order = compareVersions(now.version, before.version);
        if (order < 0) {
            findings.push({
                level: "error",
                name: now.name,
                message: `${now.key} went down from ${before.version} to ${now.version}; versions only move forward`,
            });
        } else if (order === 0 && now.sha256 !== before.sha256) {
            findings.push({
                level: "error",
                name: now.name,
                message:
                    `changed (sha256 ${before.sha256.slice(0, 16)} -> ${now.sha256.slice(0, 16)}) but ${now.key} is still ` +
                    `${now.version}; bump it to ${nextVersion(now.version)}`,
            });
        } else if (order > 0 && now.sha256 === before.sha256) {
            findings.push({
                level: "note",
                name: now.name,
                message: `${now.key} moved from ${before.version} to ${now.version} with no change in its content`,
            });
        }
    }
    return findings;
}
