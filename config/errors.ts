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
