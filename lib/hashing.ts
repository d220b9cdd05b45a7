import * as crypto from "crypto";

/** Hex sha256 of bytes or text. */
export function sha256Hex(data: crypto.BinaryLike): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}

/**
 * One hash for a set of files: it changes when any file's path or content changes, and does not
 * depend on the order the files were found in.
 */
export function fileSetSha256(files: ReadonlyArray<{ readonly path: string; readonly sha256: string }>): string {
    const lines = files.map((f) => `${f.path}\0${f.sha256}\n`).sort();
    return sha256Hex(lines.join(""));
}
