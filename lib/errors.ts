import * as path from "path";

/**
 * A problem with something the user controls (a file, a config key, a value).
 *
 * The message is one line that names the file (and line or key) and the expected form. Callers print
 * it as is, without a stack trace, and exit with code 2; the Pulumi program turns it into a RunError so
 * the real CLI prints it the same way.
 */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

/** True for an InputError, including one thrown by another copy of this module. */
export function isInputError(e: unknown): e is InputError {
    return e instanceof Error && e.name === "InputError";
}

/** The message of anything thrown, on one line. */
export function oneLine(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    return text.replace(/\s*\n\s*/g, " ").trim();
}

/** File-system failures a user can cause and fix, in words. */
const FS_REASONS: Readonly<Record<string, string>> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a folder",
    ENOTDIR: "a part of the path is not a folder",
    ENAMETOOLONG: "the path is too long",
    ELOOP: "too many levels of symbolic links",
};

/**
 * An InputError for a file the user can fix (unreadable, a folder where a file should be, a path too long),
 * naming it relative to `root`; undefined for anything else, which stays an internal error.
 */
export function fsInputError(e: unknown, root: string): InputError | undefined {
    const error = e as NodeJS.ErrnoException;
    const reason = error instanceof Error && typeof error.code === "string" ? FS_REASONS[error.code] : undefined;
    if (!reason || typeof error.path !== "string") {
        return undefined;
    }
    const rel = path.relative(root, error.path);
    const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? error.path : rel.split(path.sep).join("/");
    const listing = error.syscall === "scandir" || error.syscall === "opendir";
    const fix = error.code === "EACCES" || error.code === "EPERM" ? "; expected it readable by the user running the command" : "";
    return new InputError(`${shown}: cannot ${listing ? "list" : "read"} (${reason})${fix}`);
}
