import * as fs from "fs";
import * as path from "path";
import { isUtf8 } from "buffer";
import { InputError, escapeBytes, hasControl } from "./errors";

/** A file found under a folder, named by its path relative to that folder with forward slashes. */
export interface TreeFile {
    /** Relative path, `/`-separated, as it appears in a zip or an S3 key. */
    readonly rel: string;
    /** Absolute path to read the bytes from (the target, when the entry is a symbolic link). */
    readonly abs: string;
    /** Size in bytes. */
    readonly size: number;
}

export interface WalkOptions {
    /** How to name the folder in error messages (a path relative to the repository root). */
    readonly display: string;
    /** Entries to leave out, by relative path and kind. */
    readonly exclude?: (rel: string, isDirectory: boolean) => boolean;
    /**
     * The repository the folder belongs to: no link on the way to a file may lead outside it, and when git's
     * list of tracked files is given, only those files are listed (untracked and ignored ones never ship).
     */
    readonly repository?: { readonly root: string; readonly tracked?: ReadonlySet<string> };
}

/**
 * The order of every listing that ends up in a zip or a hash: by UTF-16 code units, never by locale, so
 * that the same names sort the same way on every machine.
 */
export function compareCodeUnits(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A file or folder name that can become a zip entry and an S3 key: valid UTF-8 (a zip of ours records names as
 * UTF-8, and an S3 key is UTF-8) with no control character (a newline in a name became a zip entry `a\nb.py`).
 * Checked on every entry, tracked or not, so that the name is reported before anything stats or reads it.
 */
function checkedName(raw: Buffer, display: string, relDir: string): string {
    const where = relDir === "" ? display : `${display}/${relDir}`;
    if (!isUtf8(raw)) {
        throw new InputError(
            `${where}/${escapeBytes(raw)}: the name is not valid UTF-8; rename it (names go into zips and S3 keys as UTF-8)`,
        );
    }
    const name = raw.toString("utf8");
    if (hasControl(name)) {
        throw new InputError(
            `${where}/${escapeBytes(raw)}: the name holds a control character (a newline, a tab...); rename it ` +
                `(names go into zips and S3 keys)`,
        );
    }
    return name;
}

function isInside(parent: string, child: string): boolean {
    const rel = path.relative(parent, child);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Lists every file under `dir`, sorted by relative path so that the result does not depend on the order
 * the file system returns entries in. Symbolic links are followed when they stay inside `dir`; one that
 * points outside is an error, because what it points to is not in the repository. With a repository,
 * `dir` itself must resolve inside it, and only the files git tracks are listed.
 */
export function walkTree(dir: string, options: WalkOptions): TreeFile[] {
    let top: string;
    try {
        top = fs.realpathSync(dir);
    } catch {
        throw new InputError(`${options.display}: folder not found (${dir})`);
    }
    if (!fs.statSync(top).isDirectory()) {
        throw new InputError(`${options.display}: is a file, expected a folder`);
    }
    const repoRoot = options.repository ? fs.realpathSync(options.repository.root) : undefined;
    if (repoRoot !== undefined && !isInside(repoRoot, top)) {
        // The folder itself, or one above it, is a link: what it leads to is not in the repository.
        throw new InputError(
            `${options.display}: a symbolic link on its path leads outside the repository (to ${top}); ` +
                `commit the files themselves instead`,
        );
    }
    const tracked = options.repository?.tracked;
    const isTracked = (target: string): boolean =>
        tracked === undefined || repoRoot === undefined || tracked.has(path.relative(repoRoot, target).split(path.sep).join("/"));
    const files: TreeFile[] = [];
    const visited = new Set<string>([top]);
    const visit = (absDir: string, relDir: string): void => {
        // Names as bytes: decoded as UTF-8, a name that is not valid UTF-8 would come back with U+FFFD in it
        // and name no file (ENOENT on the next call).
        for (const entry of fs.readdirSync(absDir, { withFileTypes: true, encoding: "buffer" })) {
            const name = checkedName(entry.name, options.display, relDir);
            const rel = relDir === "" ? name : `${relDir}/${name}`;
            const abs = path.join(absDir, name);
            let target = abs;
            let stat: fs.Stats;
            if (entry.isSymbolicLink()) {
                // An untracked link never ships, whatever it points to (an untracked link to a tracked file would
                // otherwise put that file's bytes under a new name).
                if (!isTracked(abs)) {
                    continue;
                }
                try {
                    target = fs.realpathSync(abs);
                } catch {
                    throw new InputError(`${options.display}/${rel}: broken symbolic link; replace it with the file itself`);
                }
                if (!isInside(top, target)) {
                    throw new InputError(
                        `${options.display}/${rel}: symbolic link points ` +
                            `outside ${options.display} (to ${target}); copy the file into the folder instead`,
                    );
                }
                stat = fs.statSync(target);
            } else {
                stat = fs.statSync(abs);
            }
            if (stat.isDirectory()) {
                if (options.exclude?.(rel, true) || visited.has(target)) {
                    continue;
                }
                visited.add(target);
                visit(target, rel);
            } else if (stat.isFile()) {
                if (!options.exclude?.(rel, false) && isTracked(target)) {
                    files.push({ rel, abs: target, size: stat.size });
                }
            } else {
                throw new InputError(`${options.display}/${rel}: not a regular file or folder; remove it`);
            }
        }
    };
    visit(top, "");
    return files.sort((a, b) => compareCodeUnits(a.rel, b.rel));
}
