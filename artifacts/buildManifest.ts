import * as fs from "fs";
import * as path from "path";
import type { BuiltArtifact } from "./build";
import { atomicWrite } from "../lib/files";
import type { GitSource } from "./gitSource";
import type { CanonicalSet } from "../config/canonical";
import type { Versions } from "../config/versionFile";

/** The commit the sources come from, and whether the working tree differs from it. */
export interface SourceRevision {
    readonly commit: string;
    readonly dirty: boolean;
}

/** The revision git reports; outside a checkout the build cannot be traced, so it counts as dirty. */
export function sourceRevision(source: GitSource): SourceRevision {
    return { commit: source.commit, dirty: !source.checkout || source.commit === "unknown" || source.changed.length > 0 };
}

/** What `.build/manifest.json` records about one build. */
export interface BuildManifest {
    readonly commit: string;
    readonly dirty: boolean;
    readonly versions: Versions;
    readonly artifacts: Readonly<Record<string, Omit<BuiltArtifact, "zipPath" | "cached"> & { readonly zip: string }>>;
    readonly canonical: { readonly version: string; readonly sha256: string; readonly files: number };
}

/** The manifest of a build: every artifact's version, sha256, sizes and the commit it came from. */
export function buildManifest(
    revision: SourceRevision,
    versions: Versions,
    artifacts: readonly BuiltArtifact[],
    canonical: CanonicalSet,
    root: string,
): BuildManifest {
    const entries: Record<string, BuildManifest["artifacts"][string]> = {};
    for (const { zipPath, cached: _cached, ...artifact } of artifacts) {
        entries[artifact.name] = { ...artifact, zip: path.relative(root, zipPath).split(path.sep).join("/") };
    }
    return {
        commit: revision.commit,
        dirty: revision.dirty,
        versions,
        artifacts: entries,
        canonical: { version: canonical.version, sha256: canonical.sha256, files: canonical.files.length },
    };
}

/** Writes the manifest atomically (two previews may run at once). */
export function writeBuildManifest(buildDir: string, manifest: BuildManifest): string {
    const file = path.join(buildDir, "manifest.json");
    fs.mkdirSync(buildDir, { recursive: true });
    atomicWrite(file, `${JSON.stringify(manifest, null, 2)}\n`);
    return file;
}
