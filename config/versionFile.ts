import * as path from "path";
import { InputError, isInputError, printable } from "../lib/errors";
import { readInputFile } from "../lib/inputFile";
import { SourceFiles, workingTreeFiles } from "../lib/sourceFiles";
import type { ArtifactName } from "../policy/contract/naming";
import { isCanonicalVersion, isSemver } from "../policy/contract/versions";

/** The six keys of the VERSION file, in the order the team writes them. */
export const VERSION_KEYS = [
    "VECTORA_CORE_VERSION",
    "COMMON_DEPS_VERSION",
    "INGEST_VERSION",
    "NORMALIZE_VERSION",
    "NEWSLETTER_VERSION",
    "CANONICAL_VERSION",
] as const;
export type VersionKey = (typeof VERSION_KEYS)[number];

/** Which artifact each key versions. */
export const KEY_OF_ARTIFACT: Readonly<Record<ArtifactName | "canonical", VersionKey>> = {
    "vectora-core": "VECTORA_CORE_VERSION",
    "common-deps": "COMMON_DEPS_VERSION",
    "ingest-v2": "INGEST_VERSION",
    "normalize-score-v2": "NORMALIZE_VERSION",
    "newsletter-v2": "NEWSLETTER_VERSION",
    canonical: "CANONICAL_VERSION",
};

/**
 * Longest version accepted. A version goes into file names, S3 keys, layer descriptions (256 characters at
 * most) and tag values (256); 64 leaves room for a pre-release such as `-rc.1` and keeps all of those far from
 * AWS's limits and the file system's (a 300-character one failed with ENAMETOOLONG).
 */
export const MAX_VERSION_LENGTH = 64;

/** VERSION holds six short lines; anything this large is not one. */
const MAX_VERSION_FILE_BYTES = 64 * 1024;

export type Versions = Readonly<Record<VersionKey, string>>;

function expectedForm(key: VersionKey): string {
    return key === "CANONICAL_VERSION" ? `${key}=MAJOR.MINOR (e.g. ${key}=1.1)` : `${key}=MAJOR.MINOR.PATCH (e.g. ${key}=1.2.3)`;
}

/**
 * Parses the text of a VERSION file: `KEY=VALUE` lines, `#` comments and blank lines allowed, a UTF-8
 * BOM and CRLF line endings tolerated. Anything else stops with an error that names the line.
 */
export function parseVersionFile(text: string, file = "VERSION"): Versions {
    const body = text.replace(/^\uFEFF/, "");
    if (body.trim() === "") {
        throw new InputError(`${file}: file is empty; expected one line per key: ${VERSION_KEYS.map((k) => `${k}=...`).join(", ")}`);
    }
    const seen = new Map<string, number>();
    const values: Partial<Record<VersionKey, string>> = {};
    body.split(/\r?\n/).forEach((raw, index) => {
        const lineNo = index + 1;
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) {
            return;
        }
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (!match) {
            throw new InputError(
                `${file}:${lineNo}: "${printable(line)}" is not a KEY=VALUE line; expected ` +
                    `for example VECTORA_CORE_VERSION=1.2.3 (no spaces around =)`,
            );
        }
        const [, key, value] = match;
        if (!(VERSION_KEYS as readonly string[]).includes(key)) {
            throw new InputError(`${file}:${lineNo}: unknown key ${printable(key)}; expected one of ${VERSION_KEYS.join(", ")}`);
        }
        const first = seen.get(key);
        if (first !== undefined) {
            throw new InputError(`${file}:${lineNo}: duplicate key ${key} (first set on line ${first}); keep one line per key`);
        }
        seen.set(key, lineNo);
        const versionKey = key as VersionKey;
        if (value.length > MAX_VERSION_LENGTH) {
            throw new InputError(
                `${file}:${lineNo}: ${key} value is ${value.length} characters; expected at most ${MAX_VERSION_LENGTH} ` +
                    `(${expectedForm(versionKey)}, with a short pre-release such as -rc.1)`,
            );
        }
        const valid = versionKey === "CANONICAL_VERSION" ? isCanonicalVersion(value) : isSemver(value);
        if (!valid) {
            throw new InputError(
                `${file}:${lineNo}: ${key} value "${printable(value)}" is not a valid version; expected ${expectedForm(versionKey)}`,
            );
        }
        values[versionKey] = value;
    });
    const missing = VERSION_KEYS.filter((k) => values[k] === undefined);
    if (missing.length > 0) {
        throw new InputError(
            `${file}: missing key${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; add ${missing.map(expectedForm).join(" and ")}`,
        );
    }
    return values as Versions;
}

/**
 * Reads and parses `<root>/VERSION`: from the working tree through the file-input checks (a regular file under
 * a size bound), or from a commit's objects (stage and prod), bounded the same way.
 */
export function readVersionFile(root: string, sources: SourceFiles = workingTreeFiles(root)): Versions {
    const options = { display: "VERSION", expected: "a text file of KEY=VERSION lines", maxBytes: MAX_VERSION_FILE_BYTES };
    let data: Buffer | undefined;
    try {
        data = sources.origin === "the working tree" ? readInputFile(path.join(root, "VERSION"), options) : sources.readFile("VERSION");
    } catch (e) {
        if (isInputError(e)) {
            throw e;
        }
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "ENOENT") {
            throw new InputError(
                `VERSION: cannot read ${path.join(root, "VERSION")} (${code ?? "error"}); the repository root must hold a VERSION file`,
            );
        }
    }
    if (data === undefined) {
        const where = sources.origin === "the working tree" ? path.join(root, "VERSION") : `${sources.origin}`;
        throw new InputError(`VERSION: cannot read ${where} (ENOENT); the repository root must hold a VERSION file`);
    }
    if (data.length > MAX_VERSION_FILE_BYTES) {
        throw new InputError(`VERSION in ${sources.origin} holds ${data.length} bytes; expected ${options.expected} (64 KB at most)`);
    }
    return parseVersionFile(data.toString("utf8"), "VERSION");
}

/** The version of an artifact (or of the canonical set). */
export function versionOf(versions: Versions, name: ArtifactName | "canonical"): string {
    return versions[KEY_OF_ARTIFACT[name]];
}
