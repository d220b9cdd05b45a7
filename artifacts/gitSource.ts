import * as childProcess from "child_process";

/**
 * What git says about the repository the sources are built from. The repository is the single source of
 * truth: only the files git tracks are built and synced, and a deploy records the commit they came from.
 */
export interface GitSource {
    /** False outside a git checkout (a copied folder, an unpacked archive). */
    readonly checkout: boolean;
    /** `git rev-parse HEAD`, or "unknown" outside a checkout or before the first commit. */
    readonly commit: string;
    /** The files git tracks, relative to the project root, `/`-separated (undefined outside a checkout). */
    readonly tracked?: ReadonlySet<string>;
    /** Tracked files whose working-tree content differs from the commit (modified, staged, deleted, renamed). */
    readonly changed: readonly string[];
}

/** One git command in `dir`: whether it succeeded, its stdout as printed (NUL-separated lists intact), its error. */
export function runGit(dir: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
    const result = childProcess.spawnSync("git", args, { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { ok: result.status === 0, out: result.stdout ?? "", err: (result.stderr || String(result.error ?? "")).trim() };
}

function git(root: string, args: string[]): string | undefined {
    const result = runGit(root, args);
    return result.ok ? result.out : undefined;
}

/** The paths of `git status --porcelain=v1 -z` output (a rename's or copy's source comes as an extra entry). */
export function changedPaths(porcelain: string): string[] {
    const entries = porcelain.split("\0").filter((e) => e !== "");
    const paths: string[] = [];
    for (let i = 0; i < entries.length; i++) {
        const status = entries[i].slice(0, 2);
        paths.push(entries[i].slice(3));
        if (status.startsWith("R") || status.startsWith("C")) {
            i++;
        }
    }
    return [...new Set(paths)].sort();
}

/** Asks git about the project root: whether it is a checkout, its commit, what it tracks and what differs. */
export function gitSource(root: string): GitSource {
    const listed = git(root, ["ls-files", "-z", "--cached"]);
    if (listed === undefined) {
        return { checkout: false, commit: "unknown", changed: [] };
    }
    const tracked = new Set(listed.split("\0").filter((f) => f !== ""));
    if (!tracked.has("Pulumi.yaml")) {
        // A folder inside some other repository (ignored or never added there) is not a checkout of this project.
        return { checkout: false, commit: "unknown", changed: [] };
    }
    const commit = git(root, ["rev-parse", "--verify", "--quiet", "HEAD"])?.trim() || "unknown";
    // Untracked files are never built, so they cannot make the build differ from the commit.
    const status = git(root, ["status", "--porcelain=v1", "-z", "--untracked-files=no", "--", "."]);
    return { checkout: true, commit, tracked, changed: status === undefined ? ["(git status failed)"] : changedPaths(status) };
}

/** A short form of a commit for messages. */
export function shortCommit(commit: string): string {
    return /^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit;
}
