import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { contentTypeOf, looksLikeText } from "./contentTypes";
import { InputError } from "../lib/errors";
import { jsonProblem } from "./jsonSyntax";
import { fileSetSha256, sha256Hex } from "../lib/hashing";
import { MAX_S3_KEY_BYTES, megabytes } from "../policy/contract/limits";
import { SourceFiles, workingTreeFiles } from "../lib/sourceFiles";
import { isSemver } from "../policy/contract/versions";
import { isRecord } from "../policy/contract/records";

/** Folder of the canonical configuration, relative to the repository root, and its prefix in S3. */
export const CANONICAL_DIR = "canonical";
export const CANONICAL_PREFIX = "canonical/";

/** One file of the canonical set. */
export interface CanonicalFile {
    /** Path relative to `canonical/`, `/`-separated. */
    readonly path: string;
    readonly abs: string;
    /** S3 key in the config bucket. */
    readonly key: string;
    readonly size: number;
    readonly sha256: string;
    readonly contentType: string;
    /** For a client config (`clients/*.yaml`, `.yml` or `.json`): its checked `version`. */
    readonly clientVersion?: string;
}

/** The whole canonical set at one CANONICAL_VERSION. */
export interface CanonicalSet {
    readonly version: string;
    /** Hash of every path and content: changes when any file is added, removed or edited. */
    readonly sha256: string;
    readonly files: readonly CanonicalFile[];
    /** The client ids found under `clients/`. */
    readonly clients: readonly string[];
}

/**
 * Size limits of the canonical set, checked before any file is read. A YAML or JSON file is parsed here and by
 * every Lambda cold start: 1 MB parses in under a second (5 MB took 4.4 s and 614 MB of heap here), and the
 * largest file today is 1.2 KB. The whole set, binary files included, is read and uploaded on every run.
 */
export const MAX_CANONICAL_PARSED_BYTES = 1024 * 1024;
export const MAX_CANONICAL_TOTAL_BYTES = 10 * 1024 * 1024;

/** The files of `canonical/` that are parsed (and size-limited as such); every other file is uploaded as is. */
const PARSED_EXTENSION = /\.(ya?ml|json)$/i;

/** The format a canonical file is parsed as, from its extension; undefined for a file uploaded as is. */
function documentFormat(rel: string): "YAML" | "JSON" | undefined {
    const extension = PARSED_EXTENSION.exec(rel)?.[1].toLowerCase();
    return extension === undefined ? undefined : extension === "json" ? "JSON" : "YAML";
}

/** A client id is stable: the version goes in `version`, never in the id. */
const CLIENT_ID = /^[a-z][a-z0-9_]*[a-z0-9]$/;
const VERSIONED_ID = /(^|[_-])v\d+$/;

/**
 * How many times aliases may be expanded in one YAML document. The configs here use none; the cap stops an
 * alias bomb (a few hundred bytes expanding to gigabytes) before it exhausts memory.
 */
export const MAX_YAML_ALIASES = 100;

function lineCol(text: string, offset: number): string {
    const before = text.slice(0, offset).split("\n");
    return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** Parses a YAML file; a syntax error or an empty document names the file, line and column. */
export function parseYaml(text: string, display: string): unknown {
    const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const error = doc.errors[0];
    if (error) {
        const where = error.linePos ? `${error.linePos[0].line}:${error.linePos[0].col}` : "1:1";
        if (error.code === "MULTIPLE_DOCS") {
            throw new InputError(`${display}:${where}: a second YAML document starts here; expected one document per file`);
        }
        const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new InputError(`${display}:${where}: invalid YAML: ${message}`);
    }
    if (doc.contents === null) {
        throw new InputError(`${display}: YAML file is empty; expected a mapping or a list (delete the file if it is not needed)`);
    }
    try {
        return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (e) {
        // The yaml library stops an alias that expands too far (a "billion laughs" bomb) with a ReferenceError.
        if (e instanceof ReferenceError && /alias/i.test(e.message)) {
            throw new InputError(
                `${display}: YAML aliases expand too far (an alias bomb); expected plain values, ` +
                    `or anchors used at most ${MAX_YAML_ALIASES} times in all`,
            );
        }
        throw e;
    }
}

/**
 * Parses a JSON file; a syntax error names the file, line and column. A key repeated in one object is refused
 * as in YAML: JSON.parse would silently keep the last value.
 */
export function parseJson(text: string, display: string): unknown {
    const body = text.replace(/^\uFEFF/, "");
    const problem = jsonProblem(body);
    if (problem?.duplicateKey !== undefined) {
        throw new InputError(
            `${display}:${lineCol(body, problem.offset)}: duplicate key ${JSON.stringify(problem.duplicateKey)}; keep one entry per key`,
        );
    }
    if (problem) {
        const found = problem.offset >= body.length ? "unexpected end of file" : `unexpected ${JSON.stringify(body[problem.offset])}`;
        throw new InputError(`${display}:${lineCol(body, problem.offset)}: invalid JSON: ${found}`);
    }
    return JSON.parse(body);
}

/**
 * Checks a client config: a stable `client_id` equal to the file name, a semantic `version`, and a
 * `metadata.changelog` that has an entry for that version.
 */
export function checkClientConfig(doc: unknown, display: string, fileStem: string): string {
    if (!isRecord(doc)) {
        throw new InputError(`${display}: a client config must be a mapping with client_id, version and metadata.changelog`);
    }
    const id = doc.client_id;
    if (typeof id !== "string" || id === "") {
        throw new InputError(`${display}: client_id is missing; expected a stable id such as "${fileStem}"`);
    }
    if (VERSIONED_ID.test(id)) {
        const stable = id.replace(VERSIONED_ID, "");
        throw new InputError(
            `${display}: client_id "${id}" carries a version suffix; expected ` +
                `a stable id such as "${stable}" with the version in "version"`,
        );
    }
    if (!CLIENT_ID.test(id)) {
        throw new InputError(
            `${display}: client_id "${id}" is not a valid id; expected lowercase letters, digits and underscores (e.g. lai_weekly)`,
        );
    }
    if (id !== fileStem) {
        throw new InputError(
            `${display}: client_id "${id}" differs from the file name; expected the file to be clients/${id}.yaml (or .json)`,
        );
    }
    const version = doc.version;
    if (typeof version !== "string" || !isSemver(version)) {
        throw new InputError(
            `${display}: version ${JSON.stringify(version ?? null)} is not ` +
                `semantic; expected a quoted MAJOR.MINOR.PATCH string such as "1.0.0"`,
        );
    }
    const metadata = doc.metadata;
    const changelog = isRecord(metadata) ? metadata.changelog : undefined;
    if (!Array.isArray(changelog) || changelog.length === 0) {
        throw new InputError(`${display}: metadata.changelog is missing or empty; expected a list of { version, date, changes } entries`);
    }
    if (!changelog.some((entry) => isRecord(entry) && String(entry.version) === version)) {
        throw new InputError(`${display}: metadata.changelog has no entry for version ${version}; add one that says what changed`);
    }
    return id;
}

function checkKey(key: string, display: string): void {
    if (Buffer.byteLength(key) > MAX_S3_KEY_BYTES) {
        throw new InputError(`${display}: S3 key is longer than ${MAX_S3_KEY_BYTES} bytes; shorten the path`);
    }
    // The path also names the Pulumi resource, whose URN uses '::' as a separator.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses in a key.
    if (/[\u0000-\u001f\u007f\\]/.test(key) || key.includes("::")) {
        throw new InputError(`${display}: file name contains a control character, a backslash or '::'; rename the file`);
    }
}

/**
 * Reads every file under `canonical/` (from the working tree's tracked files, or a commit), parses every YAML and
 * JSON file, checks the client configs, and returns the set that the CanonicalSync component uploads. Nothing is
 * declared when any file is wrong.
 */
export function loadCanonical(root: string, version: string, sources: SourceFiles = workingTreeFiles(root)): CanonicalSet {
    const tree = sources.list(CANONICAL_DIR, { display: CANONICAL_DIR, exclude: (rel) => rel.endsWith(".DS_Store") });
    if (tree.length === 0) {
        throw new InputError(`${CANONICAL_DIR}: folder is empty; expected the scopes, prompts, sources and clients configuration`);
    }
    for (const entry of tree) {
        if (documentFormat(entry.rel) && entry.size > MAX_CANONICAL_PARSED_BYTES) {
            throw new InputError(
                `${CANONICAL_DIR}/${entry.rel}: ${megabytes(entry.size)}; a canonical YAML or JSON file may be at most ` +
                    `${megabytes(MAX_CANONICAL_PARSED_BYTES)} (the Lambdas parse it at every cold start); split it`,
            );
        }
    }
    const total = tree.reduce((sum, entry) => sum + entry.size, 0);
    if (total > MAX_CANONICAL_TOTAL_BYTES) {
        throw new InputError(
            `${CANONICAL_DIR}: the files add up to ${megabytes(total)}; the canonical set may hold at most ` +
                `${megabytes(MAX_CANONICAL_TOTAL_BYTES)} (move large data to the data bucket)`,
        );
    }
    const clients: string[] = [];
    const files = tree.map((entry): CanonicalFile => {
        const display = `${CANONICAL_DIR}/${entry.rel}`;
        const key = `${CANONICAL_PREFIX}${entry.rel}`;
        checkKey(key, display);
        const format = documentFormat(entry.rel);
        const data = fs.readFileSync(entry.abs);
        let clientVersion: string | undefined;
        if (format) {
            if (!looksLikeText(data)) {
                throw new InputError(`${display}: not UTF-8 text; expected a ${format} document`);
            }
            const text = data.toString("utf8");
            const doc = format === "YAML" ? parseYaml(text, display) : parseJson(text, display);
            if (entry.rel.startsWith("clients/")) {
                // A client config is checked whatever its format: a JSON one must not slip past the checks.
                clients.push(checkClientConfig(doc, display, path.posix.basename(entry.rel).replace(PARSED_EXTENSION, "")));
                clientVersion = (doc as { version: string }).version;
            }
        }
        return {
            path: entry.rel,
            abs: entry.abs,
            key,
            size: entry.size,
            sha256: sha256Hex(data),
            contentType: contentTypeOf(entry.rel, data),
            ...(clientVersion !== undefined ? { clientVersion } : {}),
        };
    });
    return { version, sha256: fileSetSha256(files), files, clients };
}

/** The manifest: the set's version and sha256 and every file's sha256, for the Lambdas and auditors. */
export function canonicalManifest(canonical: CanonicalSet): string {
    const files: Record<string, string> = {};
    for (const file of canonical.files) {
        files[file.path] = file.sha256;
    }
    return `${JSON.stringify({ version: canonical.version, sha256: canonical.sha256, files }, null, 2)}\n`;
}
