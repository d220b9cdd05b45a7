import * as fs from "fs";
import { InputError } from "./errors";

/**
 * Puts a file or folder in place in one step: `fill` writes it at a temporary path beside `target`, then one
 * rename publishes it, so that a reader (another preview, a concurrent build) never sees half of it. When
 * `fill` returns false, or throws, the temporary copy is removed and `target` is left as it was.
 */
export function atomicPlace(target: string, fill: (tmp: string) => boolean): boolean {
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
        if (!fill(tmp)) {
            return false;
        }
        // A rename replaces a file, not a non-empty folder.
        if (fs.statSync(tmp).isDirectory()) {
            fs.rmSync(target, { recursive: true, force: true });
        }
        fs.renameSync(tmp, target);
        return true;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** Writes a file through atomicPlace. */
export function atomicWrite(file: string, data: string | Buffer): void {
    atomicPlace(file, (tmp) => {
        fs.writeFileSync(tmp, data);
        return true;
    });
}

/**
 * Makes sure `dir` is a folder to write into, creating it (and its parents) when missing. Anything else there
 * (a file, a named pipe, a path through a file) or a folder the user cannot create is one InputError naming the
 * flag that gave it, before the command does anything else.
 */
export function ensureOutputDir(dir: string, flag: string): void {
    const refuse = (why: string) => new InputError(`${flag} ${dir}: ${why}; expected a folder to write into (created when missing)`);
    try {
        fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EEXIST" || code === "ENOTDIR") {
            throw refuse(code === "EEXIST" ? "is a file, not a folder" : "a part of the path is a file");
        }
        if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
            throw refuse("cannot be created (permission denied)");
        }
        throw e;
    }
    if (!fs.statSync(dir).isDirectory()) {
        throw refuse("is a file, not a folder");
    }
}
