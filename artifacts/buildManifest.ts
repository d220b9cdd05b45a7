import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { BuiltArtifact } from "./build";
import { atomicWrite } from "./files";
import type { CanonicalSet } from "../config/canonical";
import type { Versions } from "../config/versionFile";

/** The commit the sources come from, and whether the working tree differs from it. */
export interface SourceRevision {
    readonly commit: string;
    readonly dirty: boolean;
}

/** `git rev-parse HEAD` of the repository, or "unknown" outside a git checkout. */
export function sourceRevision(root: string): SourceRevision {
    const git = (args: string[]): string | undefined => {
        const result = childProcess.spawnSync("git", args, { cwd: root, encoding: "utf8" });
        return result.status === 0 ? result.stdout.trim() : undefined;
    };
    const commit = git(["rev-parse", "--verify", "--quiet", "HEAD"]);
    if (commit === undefined) {
        return { commit: "unknown", dirty: true };
    }
    return { commit, dirty: (git(["status", "--porcelain", "--untracked-files=no"]) ?? "x") !== "" };
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
