import * as fs from "fs";
import * as path from "path";
import { committedFile, committedTree } from "./commitTree";
import { InputError } from "./errors";
import { atomicWrite } from "./files";
import { TreeFile, walkTree } from "./sourceTree";

/**
 * Where the bytes of the repository's sources come from for a build: the working tree (the files git tracks, as
 * they are on disk), or a commit's own objects. Stage and prod build from the commit, so that what `git status`
 * does not show (an index flag, a clean filter, an untracked link) cannot change what ships; dev builds the
 * working tree and says so.
 */
export interface SourceFiles {
    /** How messages name the origin: "the working tree" or "commit <12 hex>". */
    readonly origin: string;
    /**
     * Every file under `dir` (relative to the repository root), sorted by path, each with a path on disk that
     * holds its bytes. A missing folder is an InputError naming `display`.
     */
    list(dir: string, options: { readonly display: string; readonly exclude?: (rel: string, isDirectory: boolean) => boolean }): TreeFile[];
    /** One file (relative to the repository root), or undefined when there is none. */
    readFile(rel: string): Buffer | undefined;
}

/** The working tree: the files git tracks (all files outside a checkout), links inside a folder followed. */
export function workingTreeFiles(root: string, tracked?: ReadonlySet<string>): SourceFiles {
    return {
        origin: "the working tree",
        list: (dir, options) => walkTree(path.join(root, dir), { ...options, repository: { root, tracked } }),
        readFile: (rel) => {
            try {
                return fs.readFileSync(path.join(root, rel));
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code === "ENOENT") {
                    return undefined;
                }
                throw e;
            }
        },
    };
}

/** True when `rel` or a folder above it is excluded. */
function excluded(rel: string, exclude: ((rel: string, isDirectory: boolean) => boolean) | undefined): boolean {
    if (!exclude) {
        return false;
    }
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
        if (exclude(parts.slice(0, i).join("/"), true)) {
            return true;
        }
    }
    return exclude(rel, false);
}

/**
 * A commit's files. Each listed file is copied to `<copyDir>/<dir>/<rel>` (rewritten only when its bytes
 * changed), so that what needs a path (a Pulumi file asset, pip's requirements file) reads the commit's bytes
 * from a path that does not change from one build to the next.
 */
export function commitFiles(root: string, commit: string, copyDir: string): SourceFiles {
    return {
        origin: `commit ${commit.slice(0, 12)}`,
        readFile: (rel) => committedFile(root, commit, rel),
        list: (dir, options) => {
            const all = committedTree(root, commit, dir);
            if (all.length === 0) {
                // git keeps no empty folder: no file under it means the commit has no such folder.
                throw new InputError(`${options.display}: folder not found in commit ${commit.slice(0, 12)}`);
            }
            const files = all.filter((f) => !excluded(f.rel, options.exclude));
            return files.map((f) => {
                const abs = path.join(copyDir, dir, ...f.rel.split("/"));
                let same = false;
                try {
                    same = fs.readFileSync(abs).equals(f.data);
                } catch {
                    fs.mkdirSync(path.dirname(abs), { recursive: true });
                }
                if (!same) {
                    atomicWrite(abs, f.data);
                }
                return { rel: f.rel, abs, size: f.size };
            });
        },
    };
}
