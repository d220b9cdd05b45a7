import * as childProcess from "child_process";
import { InputError } from "./errors";
import { compareCodeUnits } from "./sourceTree";

/**
 * The files of a folder as a commit holds them: git's own objects, never the working tree. Stage and prod build
 * from these, so that nothing a working tree can hide from `git status` reaches a deploy: an index flag
 * (`update-index --assume-unchanged` or `--skip-worktree`), a clean filter in `.git/info/attributes`, an
 * untracked link. A symbolic link or a submodule in a source folder is refused: what it points to is not in
 * the commit's folder (git stores a link as its target path, mode 120000, and a submodule as a commit id,
 * mode 160000: git-ls-tree(1), "Object types and modes" in gitformat-index(5)).
 */

/** One file of a commit's folder. */
export interface CommittedFile {
    /** Path relative to the folder, `/`-separated. */
    readonly rel: string;
    readonly size: number;
    readonly data: Buffer;
}

const MAX_BUFFER = 1024 * 1024 * 1024;

function git(root: string, args: readonly string[], input?: Buffer): Buffer {
    const run = childProcess.spawnSync("git", args, { cwd: root, input, maxBuffer: MAX_BUFFER });
    if (run.status !== 0) {
        const why = (run.stderr?.toString("utf8") || String(run.error ?? `exit ${run.status}`)).trim().split("\n")[0];
        throw new InputError(`git ${args.slice(0, 2).join(" ")} failed in ${root}: ${why}`);
    }
    return run.stdout;
}

interface TreeEntry {
    readonly mode: string;
    readonly type: string;
    readonly oid: string;
    readonly path: string;
}

/** `git ls-tree -r -z` entries: `<mode> SP <type> SP <oid> TAB <path> NUL`. */
function parseTree(out: Buffer): TreeEntry[] {
    return out
        .toString("utf8")
        .split("\0")
        .filter((e) => e !== "")
        .map((e) => {
            const tab = e.indexOf("\t");
            const [mode, type, oid] = e.slice(0, tab).split(" ");
            return { mode, type, oid, path: e.slice(tab + 1) };
        });
}

/** The blobs of `oids`, in order, from one `git cat-file --batch` (`<oid> SP blob SP <size> LF <bytes> LF` each). */
function readBlobs(root: string, oids: readonly string[]): Buffer[] {
    if (oids.length === 0) {
        return [];
    }
    const out = git(root, ["cat-file", "--batch"], Buffer.from(`${oids.join("\n")}\n`));
    const blobs: Buffer[] = [];
    let at = 0;
    for (const oid of oids) {
        const eol = out.indexOf(0x0a, at);
        const header = out.subarray(at, eol).toString("utf8").split(" ");
        if (header[0] !== oid || header[1] !== "blob") {
            throw new Error(`git cat-file --batch answered "${header.join(" ")}" for ${oid}`);
        }
        const size = Number(header[2]);
        blobs.push(out.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
    }
    return blobs;
}

/** A folder the commit does not hold as a tree may be a link on its path (git keeps a link as a blob). */
function refuseLinkOnPath(root: string, commit: string, base: string, dir: string): void {
    const parts = dir.replace(/\/+$/, "").split("/");
    for (let i = 1; i <= parts.length; i++) {
        const rel = parts.slice(0, i).join("/");
        const entry = parseTree(git(root, ["ls-tree", "-z", "--full-tree", commit, "--", `${base}${rel}`]))[0];
        if (entry?.mode === "120000") {
            const where = rel === dir ? "" : `, on the path to ${dir}`;
            throw new InputError(
                `${rel}: is a symbolic link in commit ${commit.slice(0, 12)}${where}; commit the files themselves (stage ` +
                    `and prod build from the commit)`,
            );
        }
    }
}

/**
 * Every file under `dir` (relative to the repository root) in `commit`, sorted by path. A symbolic link or a
 * submodule under it is an InputError naming it; a folder the commit does not hold is an empty list.
 */
export function committedTree(root: string, commit: string, dir: string): CommittedFile[] {
    // Paths in a tree are from the repository's top; the project may be a folder of it.
    const base = git(root, ["rev-parse", "--show-prefix"]).toString("utf8").trim();
    const prefix = `${base}${dir.replace(/\/+$/, "")}/`;
    const entries = parseTree(git(root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix]));
    for (const entry of entries) {
        const shown = entry.path.slice(base.length);
        if (entry.mode === "120000") {
            throw new InputError(
                `${shown}: is a symbolic link in commit ${commit.slice(0, 12)}; commit the file itself (stage and prod ` +
                    `build from the commit)`,
            );
        }
        if (entry.type === "commit") {
            throw new InputError(`${shown}: is a submodule in commit ${commit.slice(0, 12)}; commit its files in this repository instead`);
        }
    }
    if (entries.length === 0) {
        refuseLinkOnPath(root, commit, base, dir);
    }
    const files = entries.filter((e) => e.type === "blob" && e.path.startsWith(prefix));
    const blobs = readBlobs(
        root,
        files.map((f) => f.oid),
    );
    return files
        .map((f, i) => ({ rel: f.path.slice(prefix.length), size: blobs[i].length, data: blobs[i] }))
        .sort((a, b) => compareCodeUnits(a.rel, b.rel));
}

/** One file of `commit` (path relative to the project root), or undefined when the commit has none; a link is refused. */
export function committedFile(root: string, commit: string, rel: string): Buffer | undefined {
    const base = git(root, ["rev-parse", "--show-prefix"]).toString("utf8").trim();
    const entry = parseTree(git(root, ["ls-tree", "-z", "--full-tree", commit, "--", `${base}${rel}`]))[0];
    if (!entry) {
        return undefined;
    }
    if (entry.mode === "120000" || entry.type !== "blob") {
        throw new InputError(
            `${rel}: is ${entry.mode === "120000" ? "a symbolic link" : `a ${entry.type}`} in commit ` +
                `${commit.slice(0, 12)}; commit the file itself`,
        );
    }
    return readBlobs(root, [entry.oid])[0];
}
