import { parseJson } from "./canonical";
import { InputError, isInputError } from "../lib/errors";
import { readInputText } from "../lib/inputFile";

/**
 * Reads a JSON file given on the command line, every file flag of every command included (state exports,
 * stack outputs, policy configs): a regular file under the size bound of lib/inputFile.ts, checked before a
 * byte is read. Every failure is one InputError naming the file and what was expected there.
 */
export function readJsonFile(file: string, expected: string): unknown {
    let text: string;
    try {
        text = readInputText(file, { display: file, expected });
    } catch (e) {
        if (isInputError(e)) {
            throw e;
        }
        const code = (e as NodeJS.ErrnoException).code;
        const reason =
            code === "ENOENT"
                ? "no such file"
                : code === "EACCES"
                  ? "permission denied"
                  : code === "ENOTDIR"
                    ? "a part of the path is not a folder"
                    : (code ?? "error");
        throw new InputError(`${file}: cannot read (${reason}); expected ${expected}`);
    }
    if (text.trim() === "") {
        throw new InputError(`${file}: file is empty; expected ${expected}`);
    }
    return parseJson(text, file);
}

/** A JSON object, or an InputError saying what the file should have held. */
export function readJsonObject(file: string, expected: string): Record<string, unknown> {
    const value = readJsonFile(file, expected);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new InputError(
            `${file}: holds ${Array.isArray(value) ? "an array" : JSON.stringify(value)}, not an object; expected ${expected}`,
        );
    }
    return value as Record<string, unknown>;
}
