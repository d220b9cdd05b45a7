import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { sha256Hex } from "../lib/hashing";
import { MAX_UNZIPPED_BYTES, megabytes } from "../policy/contract/limits";
import { ArtifactName, artifactKey } from "../policy/contract/naming";
import { DepsInstaller, checkPinnedRequirements, installDependencies } from "./pythonDeps";
import { SourceFiles, workingTreeFiles } from "../lib/sourceFiles";
import { TreeFile, compareCodeUnits, walkTree } from "../lib/sourceTree";
import { deterministicZip } from "./zip";
import { atomicPlace, atomicWrite } from "../lib/files";

/** Python byte-code is not reproducible (it embeds mtimes) and Lambda regenerates it anyway. */
export function isPythonCache(rel: string, isDirectory: boolean): boolean {
    const base = rel.slice(rel.lastIndexOf("/") + 1);
    return isDirectory ? base === "__pycache__" : base.endsWith(".pyc") || base.endsWith(".pyo");
}

/** Where the Python sources live, relative to the repository root. */
export const PYTHON_SOURCES = "python-src";

/** How an artifact is assembled from the repository. */
export interface ArtifactSource {
    /** Folder holding the sources, relative to the repository root. */
    readonly dir: string;
    /** Prefix of every path inside the zip (`python/` for layers, as Lambda expects). */
    readonly prefix: string;
    /** A file that must exist under `dir`, or the artifact cannot work. */
    readonly required: string;
    /** Built from pinned third-party requirements rather than from our own code. */
    readonly pipRequirements?: boolean;
    /**
     * Where the build writes its build-info file inside the zip (BUILD_INFO_FILE: the artifact's name and version), so
     * that the deployed code can say what it is (the handlers' smoke mode reads it). Each lies in a folder no other
     * artifact writes to: the two layers are unpacked into the same /opt/python.
     */
    readonly buildInfo: string;
}

/** The name of the build-info file every artifact carries. */
export const BUILD_INFO_FILE = "vectora-build.json";

export const ARTIFACT_SOURCES: Readonly<Record<ArtifactName, ArtifactSource>> = {
    "vectora-core": {
        dir: `${PYTHON_SOURCES}/layers/vectora-core`,
        prefix: "python/",
        required: "vectora_core/__init__.py",
        buildInfo: `python/vectora_core/${BUILD_INFO_FILE}`,
    },
    "common-deps": {
        dir: `${PYTHON_SOURCES}/layers/common-deps`,
        prefix: "python/",
        required: "requirements.txt",
        pipRequirements: true,
        // A folder whose name (with a hyphen) no Python import can reach, so it never shadows a module.
        buildInfo: `python/common-deps/${BUILD_INFO_FILE}`,
    },
    "ingest-v2": { dir: `${PYTHON_SOURCES}/lambdas/ingest-v2`, prefix: "", required: "handler.py", buildInfo: BUILD_INFO_FILE },
    "normalize-score-v2": {
        dir: `${PYTHON_SOURCES}/lambdas/normalize-score-v2`,
        prefix: "",
        required: "handler.py",
        buildInfo: BUILD_INFO_FILE,
    },
    "newsletter-v2": { dir: `${PYTHON_SOURCES}/lambdas/newsletter-v2`, prefix: "", required: "handler.py", buildInfo: BUILD_INFO_FILE },
};

/** What an artifact's build-info file holds: which artifact and version the zip is, and nothing that varies by machine. */
export function buildInfo(name: ArtifactName, version: string): Buffer {
    return Buffer.from(`${JSON.stringify({ artifact: name, version })}\n`, "utf8");
}

/** Compression level of every artifact: part of the cache key, since it changes the bytes. */
export const ZIP_LEVEL = 6;
/** Bumped whenever the zip layout changes, so that cached zips of the old layout are not reused. */
const ZIP_FORMAT = "vectora-zip/1";

/** A built artifact, as recorded in the build manifest and used by the components. */
export interface BuiltArtifact {
    readonly name: ArtifactName;
    readonly version: string;
    /** S3 key in the lambda-code bucket. */
    readonly key: string;
    /** Absolute path of the zip on this machine. */
    readonly zipPath: string;
    readonly sha256: string;
    /** Size of the zip in bytes. */
    readonly size: number;
    /** Sum of the sizes of the files inside, as Lambda counts them against its 250 MB limit. */
    readonly unzippedSize: number;
    readonly files: number;
    /** False when the artifact could not be built completely (common-deps without a package index). */
    readonly complete: boolean;
    /** Why the artifact is incomplete. */
    readonly note?: string;
    /** True when the zip came from the content cache instead of being compressed again. */
    readonly cached: boolean;
}

export interface BuildContext {
    /** Repository root. */
    readonly root: string;
    /** Where zips and caches go (default `<root>/.build`). */
    readonly buildDir: string;
    /** How common-deps gets its third-party packages. */
    readonly deps: DepsInstaller;
    /** Where the content cache (zips by content, installed packages) lives (default `<buildDir>/cache`). */
    readonly cacheDir?: string;
    /** The files git tracks (relative to root): only those are built. Undefined outside a git checkout. */
    readonly tracked?: ReadonlySet<string>;
    /** Where the sources' bytes come from (default: the working tree's tracked files); stage and prod: the commit. */
    readonly files?: SourceFiles;
}

interface ZipFile {
    readonly name: string;
    /** The source file, or the bytes themselves for what the build writes (the build-info file). */
    readonly abs?: string;
    readonly data?: Buffer;
    readonly size: number;
}

/** The content key of a set of zip entries: same names and bytes, same key (and same zip). */
export function contentKey(entries: ReadonlyArray<{ readonly name: string; readonly sha256: string }>, level: number): string {
    return sha256Hex(`${ZIP_FORMAT} level=${level}\n${entries.map((e) => `${e.name}\0${e.sha256}\n`).join("")}`);
}

/** Points `link` at `target` (hard link, or a copy where links are not possible), atomically. */
function publish(target: string, link: string): void {
    try {
        if (fs.statSync(link).ino === fs.statSync(target).ino) {
            return;
        }
    } catch {
        // no artifact yet
    }
    atomicPlace(link, (tmp) => {
        try {
            fs.linkSync(target, tmp);
        } catch {
            fs.copyFileSync(target, tmp);
        }
        return true;
    });
}

function listSources(ctx: BuildContext, name: ArtifactName): { files: ZipFile[]; complete: boolean; note?: string } {
    const source = ARTIFACT_SOURCES[name];
    const tree = (ctx.files ?? workingTreeFiles(ctx.root, ctx.tracked)).list(source.dir, { display: source.dir, exclude: isPythonCache });
    if (tree.length === 0) {
        throw new InputError(
            `${source.dir}: folder is empty (after leaving out __pycache__ and *.pyc); expected at least ${source.required}`,
        );
    }
    if (!tree.some((f) => f.rel === source.required)) {
        throw new InputError(`${source.dir}: missing ${source.required}; the ${name} artifact cannot work without it`);
    }
    const own = (files: readonly TreeFile[], prefix: string): ZipFile[] =>
        files.map((f) => ({ name: `${prefix}${f.rel}`, abs: f.abs, size: f.size }));
    if (!source.pipRequirements) {
        return { files: own(tree, source.prefix), complete: true };
    }
    // The listed copy: the commit's bytes when building from a commit.
    const requirements = (tree.find((f) => f.rel === source.required) as TreeFile).abs;
    checkPinnedRequirements(fs.readFileSync(requirements, "utf8"), `${source.dir}/${source.required}`);
    const installed = installDependencies(requirements, path.join(ctx.cacheDir ?? path.join(ctx.buildDir, "cache"), "deps"), ctx.deps);
    if (!installed.ok) {
        // Build what we can: the pinned list alone, so the layer's content (and hash) still follow the repo.
        return { files: own(tree, source.prefix), complete: false, note: installed.reason };
    }
    const packages = walkTree(path.join(installed.dir, "python"), { display: `${name} (pip install)`, exclude: isPythonCache });
    const all = [...own(packages, source.prefix), ...own(tree, source.prefix)];
    return { files: all.sort((a, b) => compareCodeUnits(a.name, b.name)), complete: true };
}

/**
 * Builds one artifact zip, reproducibly, reusing the compressed zip when the same content was built
 * before. The artifact is published as `<buildDir>/artifacts/<name>-<version>.zip`, a stable path, so
 * that an unchanged artifact is an unchanged Pulumi asset.
 */
export async function buildArtifact(ctx: BuildContext, name: ArtifactName, version: string): Promise<BuiltArtifact> {
    const listed = listSources(ctx, name);
    const { complete, note } = listed;
    const source = ARTIFACT_SOURCES[name];
    if (listed.files.some((f) => f.name === source.buildInfo)) {
        throw new InputError(
            `${source.dir}/${source.buildInfo.slice(source.prefix.length)}: the build writes this file itself ` +
                `(the artifact's name and version); rename or remove it`,
        );
    }
    const info = buildInfo(name, version);
    const files = [...listed.files, { name: source.buildInfo, data: info, size: info.length }].sort((a, b) =>
        compareCodeUnits(a.name, b.name),
    );
    const unzippedSize = files.reduce((sum, f) => sum + f.size, 0);
    if (unzippedSize > MAX_UNZIPPED_BYTES) {
        throw new InputError(
            `${ARTIFACT_SOURCES[name].dir}: ${name} is ${megabytes(unzippedSize)} unzipped; Lambda ` +
                `allows ${megabytes(MAX_UNZIPPED_BYTES)} for a function and its layers together`,
        );
    }
    const contents = files.map((f) => f.data ?? fs.readFileSync(f.abs as string));
    const key = contentKey(
        files.map((f, i) => ({ name: f.name, sha256: sha256Hex(contents[i]) })),
        ZIP_LEVEL,
    );
    const cacheDir = path.join(ctx.cacheDir ?? path.join(ctx.buildDir, "cache"), "zip");
    const cachedZip = path.join(cacheDir, `${key}.zip`);
    const cachedMeta = path.join(cacheDir, `${key}.json`);
    let meta: { sha256: string; size: number } | undefined;
    try {
        meta = JSON.parse(fs.readFileSync(cachedMeta, "utf8")) as { sha256: string; size: number };
        if (fs.statSync(cachedZip).size !== meta.size) {
            meta = undefined;
        }
    } catch {
        meta = undefined;
    }
    const cached = meta !== undefined;
    if (!meta) {
        const zip = await deterministicZip(
            files.map((f, i) => ({ name: f.name, data: contents[i] })),
            { level: ZIP_LEVEL },
        );
        meta = { sha256: sha256Hex(zip), size: zip.length };
        fs.mkdirSync(cacheDir, { recursive: true });
        atomicWrite(cachedZip, zip);
        atomicWrite(cachedMeta, JSON.stringify(meta));
    }
    const artifactsDir = path.join(ctx.buildDir, "artifacts");
    fs.mkdirSync(artifactsDir, { recursive: true });
    const zipPath = path.join(artifactsDir, `${name}-${version}.zip`);
    publish(cachedZip, zipPath);
    return {
        name,
        version,
        key: artifactKey(name, version),
        zipPath,
        sha256: meta.sha256,
        size: meta.size,
        unzippedSize,
        files: files.length,
        complete,
        note,
        cached,
    };
}
