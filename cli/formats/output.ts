import * as fs from "fs";
import * as path from "path";
import { InputError, oneLine } from "../../lib/errors";
import { atomicWrite } from "../../lib/files";
import type { Io } from "../../lib/command";

/** The forms a report can take. */
export const REPORT_FORMATS = ["text", "json", "sarif", "junit"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * The version of the `--json` document's shape: bumped when a field is removed, renamed or changes meaning (a new
 * field does not bump it), so that a consumer can refuse a shape it does not know.
 */
export const JSON_FORMAT_VERSION = 1;

/** The flags of every command that writes a report (`--json` is the older spelling of `--format json`). */
export const REPORT_FLAGS = {
    format: { type: "string" },
    output: { type: "string" },
    json: { type: "boolean", default: false },
} as const;

/**
 * `--format` (or `--json`), checked before anything runs: one line naming the flag and the forms it takes. A command
 * whose findings have no place in the repository (inventory) leaves sarif out of `allowed`, and says why.
 */
export function reportFormat(
    flags: { readonly format?: string; readonly json?: boolean },
    allowed: readonly ReportFormat[] = REPORT_FORMATS,
    whyNot = "",
): ReportFormat {
    const given = flags.format;
    if (given === undefined) {
        return flags.json ? "json" : "text";
    }
    if (!(allowed as readonly string[]).includes(given)) {
        const reason = (REPORT_FORMATS as readonly string[]).includes(given) && whyNot ? ` (${whyNot})` : "";
        throw new InputError(`--format ${given}: expected one of ${allowed.join(", ")}${reason}`);
    }
    if (flags.json && given !== "json") {
        throw new InputError(`--json and --format ${given} disagree; --json is --format json, give one of them`);
    }
    return given as ReportFormat;
}

/**
 * `--output FILE`, checked before anything runs: the folder must exist and be writable, and FILE must not be a
 * folder, so that a long preview never ends on an unwritable path.
 */
export function outputFile(flag: string | undefined): string | undefined {
    if (flag === undefined) {
        return undefined;
    }
    const file = path.resolve(flag);
    const dir = path.dirname(file);
    // The report replaces the file in one rename: anything but a regular file there (a folder, a named pipe, a
    // device such as /dev/zero) would be replaced, not written to, so it is refused. lstat: a link is not followed.
    const existing = fs.lstatSync(file, { throwIfNoEntry: false });
    if (existing?.isDirectory()) {
        throw new InputError(`--output ${flag}: is a folder; expected the path of a file to write`);
    }
    if (existing && !existing.isFile()) {
        throw new InputError(`--output ${flag}: is not a regular file (a pipe, a device or a link); expected the path of a file to write`);
    }
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new InputError(`--output ${flag}: folder ${dir} does not exist; expected a file in an existing folder`);
    }
    try {
        fs.accessSync(dir, fs.constants.W_OK);
    } catch {
        throw new InputError(`--output ${flag}: cannot write in ${dir} (permission denied); expected a file in a writable folder`);
    }
    return file;
}

/**
 * Prints the report, or writes it to `--output` whole or not at all (a temporary file beside it, then one rename),
 * printing instead the one line `summary` says.
 */
export function emitReport(io: Io, text: string, output: string | undefined, summary: string): void {
    if (output === undefined) {
        io.out(text);
        return;
    }
    try {
        atomicWrite(output, text);
    } catch (e) {
        throw new InputError(`--output ${output}: cannot write (${oneLine(e)}); expected a file in a writable folder`);
    }
    io.out(`${summary}; report written to ${output}\n`);
}
