import { sha256Hex } from "../lib/hashing";
import { readZipEntries } from "./unzip";

/**
 * The tree digest: one sha256 for the files of a folder as code runs them, the same whether it is computed from a
 * zip (here) or from the unpacked folder by the handler itself (vectora_core/smoke.py, `tree_sha256`). It is the
 * sha256 of the lines `<relative path>\0<hex sha256 of the file's bytes>\n`, one per file (folders themselves do
 * not count), sorted by the UTF-8 bytes of the path; paths are `/`-separated and relative to the folder.
 */

/** One file of a tree: its path relative to the tree's root and the hex sha256 of its bytes. */
export interface TreeFileHash {
    readonly path: string;
    readonly sha256: string;
}

/** The tree digest of a list of files (see above). */
export function treeSha256(files: readonly TreeFileHash[]): string {
    const lines = files.map((f) => Buffer.from(`${f.path}\0${f.sha256}\n`, "utf8"));
    // By bytes, as Python sorts the paths it encodes: JavaScript's own sort compares UTF-16 code units.
    lines.sort(Buffer.compare);
    return sha256Hex(Buffer.concat(lines));
}

/**
 * The tree digest of what a zip unpacks under `prefix` (`python/vectora_core/` for the vectora-core layer, as it
 * lands in /opt/python/vectora_core), leaving out every path under one of `exclude` (relative to the prefix, such as
 * `vectora_core/` when the common-deps site folder is hashed without the other layer's package). With no prefix, the
 * whole zip, as a function's code unpacks to /var/task. Throws ZipFormatError on a zip it cannot read.
 */
export function zipTreeSha256(zip: Buffer, prefix = "", exclude: readonly string[] = []): string {
    if (prefix !== "" && !prefix.endsWith("/")) {
        throw new Error(`zipTreeSha256: prefix "${prefix}" must end with "/"`);
    }
    const files: TreeFileHash[] = [];
    for (const entry of readZipEntries(zip)) {
        if (entry.directory || !entry.name.startsWith(prefix)) {
            continue;
        }
        const rel = entry.name.slice(prefix.length);
        if (exclude.some((e) => rel === e || rel.startsWith(e.endsWith("/") ? e : `${e}/`))) {
            continue;
        }
        files.push({ path: rel, sha256: sha256Hex(entry.data) });
    }
    return treeSha256(files);
}
