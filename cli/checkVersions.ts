import * as fs from "fs";
import * as path from "path";
import { ARTIFACT_NAMES } from "../policy/contract/naming";
import { buildArtifact } from "../artifacts/build";
import { gitSource, runGit, shortCommit } from "../artifacts/gitSource";
import { DepsInstaller, pipInstaller } from "../artifacts/pythonDeps";
import { loadCanonical } from "../config/canonical";
import { workingTreeFiles } from "../lib/sourceFiles";
import { InputError, isInputError } from "../lib/errors";
import { VersionFinding, Versioned, versionFindings } from "../config/versionBumps";
import { KEY_OF_ARTIFACT, readVersionFile, versionOf } from "../config/versionFile";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";

const USAGE = "npm run check-versions -- --base <git ref> [--head] [--json] [--cwd DIR]";

/** Test seams: how common-deps installs its packages, and where the builds go. */
export interface CheckVersionsOptions {
    readonly deps?: DepsInstaller;
    readonly buildDir?: string;
}

/** Everything versioned that one tree builds: the five artifacts, the canonical set and each client config. */
async function versionedThings(dir: string, buildDir: string, cacheDir: string, deps: DepsInstaller): Promise<Versioned[]> {
    const versions = readVersionFile(dir);
    const source = gitSource(dir);
    const things: Versioned[] = [];
    const ctx = { root: dir, buildDir, cacheDir, deps, tracked: source.tracked };
    for (const name of ARTIFACT_NAMES) {
        const built = await buildArtifact(ctx, name, versionOf(versions, name));
        things.push({ name, key: KEY_OF_ARTIFACT[name], version: built.version, sha256: built.sha256 });
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

/** The base commit checked out in a worktree of its own (never the user's tree), removed afterwards. */
async function inWorktree<T>(root: string, commit: string, work: (dir: string) => Promise<T>): Promise<T> {
    const parent = path.join(root, ".build", "check-versions");
    fs.mkdirSync(parent, { recursive: true });
    const dir = fs.mkdtempSync(path.join(parent, "base-"));
    const added = runGit(root, ["worktree", "add", "--detach", "--quiet", dir, commit]);
    if (!added.ok) {
        throw new Error(`git worktree add failed: ${added.err}`);
    }
    try {
        return await work(dir);
    } finally {
        runGit(root, ["worktree", "remove", "--force", dir]);
        fs.rmSync(dir, { recursive: true, force: true });
        runGit(root, ["worktree", "prune"]);
    }
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
    const resolved = runGit(root, ["rev-parse", "--verify", "--quiet", `${flags.base}^{commit}`]);
    const baseCommit = resolved.out.trim();
    if (!resolved.ok) {
        throw new InputError(`--base ${flags.base}: not a commit of this repository; fetch it first (git fetch origin) or name a branch`);
    }
    const buildDir = options.buildDir ?? path.join(root, ".build", "check-versions");
    const cacheDir = path.join(root, ".build", "cache");
    const deps = options.deps ?? pipInstaller();
    // --head: exactly the last commit, as a deploy from a clean checkout would build it; else the working tree's tracked files.
    const buildHead = (dir: string) => versionedThings(dir, path.join(buildDir, "head"), cacheDir, deps);
    const head = flags.head ? await inWorktree(root, runGit(root, ["rev-parse", "HEAD"]).out.trim(), buildHead) : await buildHead(root);
    const base = await inWorktree(root, baseCommit, async (dir) => {
        try {
            return await versionedThings(dir, path.join(buildDir, "base"), cacheDir, deps);
        } catch (e) {
            if (isInputError(e)) {
                throw new InputError(`--base ${flags.base} (${shortCommit(baseCommit)}) cannot be built: ${e.message}`);
            }
            throw e;
        }
    });
    const findings = versionFindings(base, head).map((f) =>
        f.level === "error" && f.name.startsWith("canonical/clients/") && !f.message.includes("went down")
            ? { ...f, message: `${f.message}, with a metadata.changelog entry for it` }
            : f,
    );
    const label = `${flags.base} (${shortCommit(baseCommit)})`;
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
