import * as fs from "fs";
import * as path from "path";
import type { BuildManifest } from "../artifacts/buildManifest";

/** The build manifest, condensed for the preview: what was built, from which commit. */
export interface BuildSummary {
    readonly manifest: string;
    readonly commit: string;
    readonly dirty: boolean;
    readonly artifacts: ReadonlyArray<{ name: string; version: string; sha256: string; key: string; complete: boolean; note?: string }>;
    readonly canonical: BuildManifest["canonical"];
}

export function readBuildManifestSummary(root: string): BuildSummary | undefined {
    const file = path.join(root, ".build", "manifest.json");
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as BuildManifest;
    return {
        manifest: path.relative(root, file),
        commit: manifest.commit,
        dirty: manifest.dirty,
        artifacts: Object.values(manifest.artifacts).map((a) => ({
            name: a.name,
            version: a.version,
            sha256: a.sha256,
            key: a.key,
            complete: a.complete,
            ...(a.note ? { note: a.note } : {}),
        })),
        canonical: manifest.canonical,
    };
}
