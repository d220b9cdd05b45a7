import type { CanonicalSet } from "./canonical";

/** The manifest: the set's version and sha256 and every file's sha256, for the Lambdas and auditors. */
export function canonicalManifest(canonical: CanonicalSet): string {
    const files: Record<string, string> = {};
    for (const file of canonical.files) {
        files[file.path] = file.sha256;
    }
    return `${JSON.stringify({ version: canonical.version, sha256: canonical.sha256, files }, null, 2)}\n`;
}
