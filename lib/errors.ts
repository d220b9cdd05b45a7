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

/** `\n`, `\t`, `\r` by name; any other control character (NUL, ESC, DEL...) as `\xNN`. */
function escapeControl(ch: string): string {
    const named: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r" };
    return named[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/** Control characters (C0, DEL and the C1 range): never printed raw, a terminal would act on some of them. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A text safe to print on one line: control characters escaped (`\x00`, `\n`), everything else as it is. */
export function printable(text: string): string {
    return text.replace(CONTROL, escapeControl);
}

/** True when a name holds a control character (a newline, a NUL...). */
export function hasControl(text: string): boolean {
    return new RegExp(CONTROL.source).test(text);
}

/**
 * A file name as raw bytes, shown readably: valid UTF-8 as text (control characters escaped), every byte that
 * is not part of valid UTF-8 as `\xNN`. Undefined-free: any byte sequence has a display.
 */
export function escapeBytes(bytes: Buffer): string {
    let out = "";
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i];
        const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
        const piece = length > 0 ? bytes.subarray(i, i + length) : undefined;
        const text = piece && piece.length === length ? piece.toString("utf8") : undefined;
        // A sequence decodes back to the same bytes only when it is valid UTF-8 (no U+FFFD stand-in).
        if (text !== undefined && Buffer.from(text, "utf8").equals(piece as Buffer)) {
            out += printable(text);
            i += length;
        } else {
            out += `\\x${b.toString(16).padStart(2, "0")}`;
            i += 1;
        }
    }
    return out;
}
