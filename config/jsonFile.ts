import * as fs from "fs";
import { parseJson } from "./canonical";
import { InputError } from "../lib/errors";

/**
 * Reads a JSON file given on the command line; every failure is one InputError naming the file and
 * what was expected there.
 */
export function readJsonFile(file: string, expected: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(
            `${file}: cannot read (${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "error")}); ` +
                `expected ${expected}`,
        );
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
