import * as fs from "fs";
import * as path from "path";
import { ARTIFACT_NAMES } from "../policy/contract/naming";
import { ARTIFACT_SOURCES, BuiltArtifact, buildArtifact } from "../artifacts/build";
import { zipTreeSha256 } from "../artifacts/treeDigest";
import { gitSource, runGit, shortCommit } from "../artifacts/gitSource";
import { WorktreePlace, commitIn, inWorktree, pruneWorktrees } from "../artifacts/gitWorktree";
import { DepsInstaller, pipInstaller } from "../artifacts/pythonDeps";
import { CANONICAL_DIR, loadCanonical } from "../config/canonical";
import { workingTreeFiles } from "../lib/sourceFiles";
import { InputError, isInputError, oneLine } from "../lib/errors";
import { fileSetSha256, sha256Hex } from "../lib/hashing";
import { VersionFinding, Versioned, versionFindings } from "../config/versionBumps";
import { KEY_OF_ARTIFACT, VERSION_KEYS, readVersionFile, versionOf } from "../config/versionFile";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";

const USAGE = "npm run check-versions -- --base <git ref> [--head] [--json] [--cwd DIR]";

/** Test seams: how common-deps installs its packages, and where the builds go. */
export interface CheckVersionsOptions {
    readonly deps?: DepsInstaller;
    readonly buildDir?: string;
}

/** Everything versioned that one tree builds: the five artifacts, the canonical set and each client config. */
/**
 * What an artifact is made of, for version bumps: the tree of its zip without the build-info file, which carries the
 * version itself (a bump alone would otherwise always look like a change of content).
 */
function contentSha256(built: BuiltArtifact): string {
    return zipTreeSha256(fs.readFileSync(built.zipPath), "", [ARTIFACT_SOURCES[built.name].buildInfo]);
}

async function versionedThings(dir: string, buildDir: string, cacheDir: string, deps: DepsInstaller): Promise<Versioned[]> {
    const versions = readVersionFile(dir);
    const source = gitSource(dir);
    const things: Versioned[] = [];
    const ctx = { root: dir, buildDir, cacheDir, deps, tracked: source.tracked };
    for (const name of ARTIFACT_NAMES) {
        const built = await buildArtifact(ctx, name, versionOf(versions, name));
        things.push({ name, key: KEY_OF_ARTIFACT[name], version: built.version, sha256: contentSha256(built) });
    }
    const canonical = loadCanonical(dir, versionOf(versions, "canonical"), workingTreeFiles(dir, source.tracked));
    things.push({ name: "canonical", key: "CANONICAL_VERSION", version: canonical.version, sha256: canonical.sha256 });
    for (const file of canonical.files) {
        // loadCanonical has checked each client config (YAML or JSON) and kept its semantic version.
        if (file.clientVersion !== undefined) {
            things.push({ name: `canonical/${file.path}`, key: "version", version: file.clientVersion, sha256: file.sha256 });
        }
    }
    return things;
}

/** Where check-versions checks commits out: `.build/check-versions/{base,head}-XXXXXX` (its builds go beside them). */
function worktreePlace(root: string): WorktreePlace {
    return { root, parent: path.join(root, ".build", "check-versions"), prefixes: ["base", "head"] };
}

/** Worktrees an earlier run left behind, removed unless their run is still going (artifacts/gitWorktree.ts). */
export function pruneLeftovers(root: string): string[] {
    return pruneWorktrees(worktreePlace(root));
}

/** The files git tracks under a folder, and the hash of their paths and bytes: what an artifact is made of. */
function sourceDigest(dir: string, folder: string, tracked: ReadonlySet<string> | undefined): string {
    const files = [...(tracked ?? [])].filter((f) => f.startsWith(`${folder}/`));
    return fileSetSha256(
        files.map((f) => {
            const file = path.join(dir, f);
            return { path: f.slice(folder.length + 1), sha256: fs.existsSync(file) ? sha256Hex(fs.readFileSync(file)) : "missing" };
        }),
    );
}

/** VERSION read line by line without its checks: `KEY=VALUE` for the known keys, anything else left out. */
function lenientVersions(dir: string): Partial<Record<string, string>> {
    const file = path.join(dir, "VERSION");
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const found: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
        const match = /^\s*([A-Z_]+)=(\S+)\s*$/.exec(line);
        if (match && (VERSION_KEYS as readonly string[]).includes(match[1])) {
            found[match[1]] = match[2];
        }
    }
    return found;
}

/** What the base builds, and for what the current checks refuse in it, why: those are compared by their sources. */
interface BaseSide {
    readonly things: Versioned[];
    /** name -> the folder it is made of and the reason it could not be built. */
    readonly bySources: Map<string, { folder: string; reason: string }>;
}

/**
 * The base, built like the working tree when the current checks accept it. A base those checks refuse (the pull
 * request that introduces a check is compared with a base that predates it) is still compared: each artifact or
 * canonical set that cannot be built is compared by the files it is made of, under the version its VERSION line
 * gives, and a note says so.
 */
async function baseThings(dir: string, buildDir: string, cacheDir: string, deps: DepsInstaller): Promise<BaseSide> {
    const source = gitSource(dir);
    const bySources = new Map<string, { folder: string; reason: string }>();
    let versions: Partial<Record<string, string>>;
    try {
        versions = readVersionFile(dir);
    } catch (e) {
        if (!isInputError(e)) {
            throw e;
        }
        versions = lenientVersions(dir);
    }
    const things: Versioned[] = [];
    const ctx = { root: dir, buildDir, cacheDir, deps, tracked: source.tracked };
    for (const name of ARTIFACT_NAMES) {
        const key = KEY_OF_ARTIFACT[name];
        const version = versions[key];
        if (version === undefined) {
            continue;
        }
        try {
            const built = await buildArtifact(ctx, name, version);
            things.push({ name, key, version: built.version, sha256: contentSha256(built) });
        } catch (e) {
            if (!isInputError(e)) {
                throw e;
            }
            const folder = ARTIFACT_SOURCES[name].dir;
            bySources.set(name, { folder, reason: e.message });
            things.push({ name, key, version, sha256: sourceDigest(dir, folder, source.tracked) });
        }
    }
    const canonicalVersion = versions.CANONICAL_VERSION;
    if (canonicalVersion !== undefined) {
        try {
            const canonical = loadCanonical(dir, canonicalVersion, workingTreeFiles(dir, source.tracked));
            things.push({ name: "canonical", key: "CANONICAL_VERSION", version: canonical.version, sha256: canonical.sha256 });
            for (const file of canonical.files) {
                if (file.clientVersion !== undefined) {
                    things.push({ name: `canonical/${file.path}`, key: "version", version: file.clientVersion, sha256: file.sha256 });
                }
            }
        } catch (e) {
            if (!isInputError(e)) {
                throw e;
            }
            bySources.set("canonical", { folder: CANONICAL_DIR, reason: e.message });
            things.push({
                name: "canonical",
                key: "CANONICAL_VERSION",
                version: canonicalVersion,
                sha256: sourceDigest(dir, CANONICAL_DIR, source.tracked),
            });
        }
    }
    return { things, bySources };
}

function render(base: string, findings: readonly VersionFinding[], checked: number): string {
    let text = `Versions against ${base}: ${checked} versioned items checked\n`;
    for (const f of findings) {
        text += `    ${f.level === "error" ? "ERROR" : "note "}  ${f.name}: ${f.message}\n`;
    }
    const errors = findings.filter((f) => f.level === "error").length;
    text += errors === 0 ? "\nEvery change carries its version bump.\n" : `\n${errors} change(s) without a version bump.\n`;
    return text;
}

/**
 * `npm run check-versions -- --base <ref>`: builds the base commit (in a worktree) and the working tree, and
 * fails when an artifact, the canonical set or a client config changed without its version moving forward.
 */
export async function checkVersions(argv: readonly string[], io: Io, options: CheckVersionsOptions = {}): Promise<number> {
    const { values: flags } = parseFlags(
        argv,
        {
            base: { type: "string" },
            head: { type: "boolean", default: false },
            json: { type: "boolean", default: false },
            cwd: { type: "string" },
        },
        USAGE,
    );
    if (flags.base === undefined || flags.base === "") {
        throw new InputError(`missing --base <git ref> (the branch or commit to compare with, e.g. origin/main); usage: ${USAGE}`);
    }
    const root = projectRoot(flags.cwd);
    if (!gitSource(root).checkout) {
        throw new InputError(`${root} is not a git checkout; check-versions compares two commits of the repository`);
    }
    const baseCommit = commitIn(root, flags.base);
    if (baseCommit === undefined) {
        throw new InputError(`--base ${flags.base}: not a commit of this repository; fetch it first (git fetch origin) or name a branch`);
    }
    // Worktrees an interrupted run left behind go first (they hold a whole checkout each).
    pruneLeftovers(root);
    const buildDir = options.buildDir ?? path.join(root, ".build", "check-versions");
    const cacheDir = path.join(root, ".build", "cache");
    const deps = options.deps ?? pipInstaller();
    // --head: exactly the last commit, as a deploy from a clean checkout would build it; else the working tree's tracked files.
    const buildHead = (dir: string) => versionedThings(dir, path.join(buildDir, "head"), cacheDir, deps);
    const label = `${flags.base} (${shortCommit(baseCommit)})`;
    const inHead = async <T>(work: (dir: string) => Promise<T>): Promise<T> =>
        flags.head ? inWorktree(worktreePlace(root), "head", runGit(root, ["rev-parse", "HEAD"]).out.trim(), work) : work(root);
    const base = await inWorktree(worktreePlace(root), "base", baseCommit, (dir) =>
        baseThings(dir, path.join(buildDir, "base"), cacheDir, deps),
    );
    // What the base could only give as sources is compared with the same digest of the current tree's sources.
    const head = await inHead(async (dir) => {
        const built = await buildHead(dir);
        const tracked = gitSource(dir).tracked;
        return built.map((thing) => {
            const fallback = base.bySources.get(thing.name);
            return fallback ? { ...thing, sha256: sourceDigest(dir, fallback.folder, tracked) } : thing;
        });
    });
    const notes: VersionFinding[] = [...base.bySources].map(([name, { reason }]) => ({
        level: "note",
        name,
        message: `the base ${label} cannot be built by the current checks (${oneLine(reason)}); compared by the files it is made of`,
    }));
    const findings = [...notes, ...versionFindings(base.things, head)].map((f) =>
        f.level === "error" && f.name.startsWith("canonical/clients/") && !f.message.includes("went down")
            ? { ...f, message: `${f.message}, with a metadata.changelog entry for it` }
            : f,
    );
    if (flags.json) {
        io.out(`${JSON.stringify({ base: { ref: flags.base, commit: baseCommit }, checked: head.length, findings }, null, 2)}\n`);
    } else {
        io.out(render(label, findings, head.length));
    }
    return findings.some((f) => f.level === "error") ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(checkVersions);
}
