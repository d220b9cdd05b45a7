import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InputError } from "../lib/errors";
import { atomicPlace, withLock } from "../lib/files";
import { fileSetSha256, sha256Hex } from "../lib/hashing";
import { cliVersion, sdkVersion, versionMismatch } from "./pulumiVersions";
import { executable, onPath } from "../lib/executables";

/**
 * The real Pulumi CLI for the sandbox, at the version `sandbox/engine/go.mod` pins: the user's own `pulumi` when it
 * is that version, else one built from Pulumi's published Go modules and cached once per machine, keyed by the
 * version and the module's sums and sources, so that every checkout (and every copy the tests make) reuses it.
 * Nothing is downloaded but Go modules through the module proxy.
 */

export interface Engine {
    /** The `pulumi` executable. */
    readonly pulumi: string;
    readonly version: string;
    /** Where it came from: the user's PATH, the machine's cache, or a build just now. */
    readonly source: "path" | "cache" | "built";
}

/** The folder of the machine's built CLIs: VECTORA_ENGINE_CACHE, else the user's cache folder. */
export function engineCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
    if (env.VECTORA_ENGINE_CACHE) {
        return path.resolve(env.VECTORA_ENGINE_CACHE);
    }
    return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "vectora-inbox", "pulumi-cli");
}

/** The Go files directly in a folder of sandbox/engine, sorted, relative to sandbox/engine. */
function goFiles(root: string, sub: string): string[] {
    return fs
        .readdirSync(path.join(root, "sandbox", "engine", sub))
        .filter((f) => f.endsWith(".go"))
        .sort()
        .map((f) => path.join(sub, f));
}

/** sha256 of a set of files of sandbox/engine, named by their paths there. */
function engineFilesSha256(root: string, files: readonly string[]): string {
    const dir = path.join(root, "sandbox", "engine");
    return fileSetSha256(files.map((f) => ({ path: f, sha256: sha256Hex(fs.readFileSync(path.join(dir, f))) })));
}

/**
 * What the CLI is built from: the module, its sums and its top-level Go files (not the language host, which is
 * rebuilt alone in about a second, while the CLI takes minutes).
 */
function cliSources(root: string): string {
    return engineFilesSha256(root, ["go.mod", "go.sum", ...goFiles(root, ".")]);
}

/** What the sandbox's language host is built from: the module, its sums and the Go files of languagehost/. */
export function languageHostSources(root: string): string {
    return engineFilesSha256(root, ["go.mod", "go.sum", ...goFiles(root, "languagehost")]);
}

/** Where the CLI a checkout pins is cached: `v<version>-<16 hex of its sources' sha256>`. */
export function engineCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
    return path.join(engineCacheRoot(env), `v${cliVersion(root)}-${cliSources(root).slice(0, 16)}`);
}

/** What `pulumi version` prints, without the leading v; undefined if it does not run. */
export function pulumiVersion(pulumi: string): string | undefined {
    const result = childProcess.spawnSync(pulumi, ["version"], {
        encoding: "utf8",
        timeout: 20_000,
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    return result.status === 0 ? result.stdout.trim().replace(/^v/, "") : undefined;
}

/**
 * A CLI of the pinned version already here: on PATH (with its bundled language host beside it, as every Pulumi
 * install has), or in the machine's cache.
 */
export function findEngine(root: string): Engine | undefined {
    const version = cliVersion(root);
    const ambient = onPath("pulumi");
    if (
        ambient &&
        executable(path.join(path.dirname(fs.realpathSync(ambient)), "pulumi-language-nodejs")) &&
        pulumiVersion(ambient) === version
    ) {
        return { pulumi: ambient, version, source: "path" };
    }
    const cached = path.join(engineCacheDir(root), "pulumi");
    if (executable(cached) && executable(path.join(path.dirname(cached), "pulumi-language-nodejs"))) {
        return { pulumi: cached, version, source: "cache" };
    }
    return undefined;
}

/** The module path of the CLI's main package, and how the official build stamps its version. */
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** Environment of the go commands: no toolchain download, go.sum as the only checksum authority. */
function goEnv(): NodeJS.ProcessEnv {
    return {
        ...process.env,
        GOTOOLCHAIN: "local",
        GOFLAGS: "-mod=readonly -buildvcs=false",
        // go.sum pins every module; the proxy's checksum database has no record of Pulumi's own modules.
        GONOSUMDB: "github.com/pulumi/pulumi",
    };
}

const BUILD_LOCK_STALE_MS = 20 * 60_000;

/**
 * Runs `work` while no other process builds into the same cache folder, waiting for one that does: test files
 * start the engine in parallel workers, and one build per machine is the point of the cache.
 */
function underBuildLock(target: string, log: (line: string) => void, work: () => void): void {
    const locking = {
        staleMs: BUILD_LOCK_STALE_MS,
        waitMs: BUILD_LOCK_STALE_MS,
        pollMs: 1000,
        onWait: () => log(`waiting for another build of the same CLI (${target}.lock)`),
        timedOut: (lock: string) => new Error(`${lock}: another build of the CLI has held it for 20 minutes; delete it if that build died`),
    };
    fs.mkdirSync(path.dirname(target), { recursive: true });
    withLock(`${target}.lock`, locking, work);
}

/** The language host's executable in a cache folder, and the record of the sources it was built from. */
const HOST = "pulumi-language-nodejs";
const HOST_SOURCES_STAMP = `${HOST}.sources.sha256`;

/** The go executable, or one line saying what the sandbox needs. */
function requireGo(version: string): string {
    const go = onPath("go");
    if (!go) {
        throw new InputError(
            `the sandbox needs the Pulumi CLI v${version}: no pulumi v${version} (with pulumi-language-nodejs beside it) on ` +
                `PATH, and no go on PATH to build it from Pulumi's Go modules; install Go 1.26.6 or later, or Pulumi v${version}`,
        );
    }
    return go;
}

/** `go build` of one package of sandbox/engine into `out`, stamped with the CLI's version as the official build does. */
function goBuild(root: string, go: string, version: string, pkg: string, out: string): void {
    const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${version}`;
    const result = childProcess.spawnSync(go, ["build", "-trimpath", "-ldflags", ldflags, "-o", out, pkg], {
        cwd: path.join(root, "sandbox", "engine"),
        env: goEnv(),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
        const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split("\n").slice(-3).join(" | ");
        throw new InputError(`go build ${pkg} failed in sandbox/engine: ${why}`);
    }
}

/** Builds `pulumi` and the sandbox's `pulumi-language-nodejs` from `sandbox/engine` into the machine's cache. */
export function buildEngine(root: string, log: (line: string) => void): Engine {
    const version = cliVersion(root);
    const go = requireGo(version);
    const mismatch = versionMismatch(version, sdkVersion());
    if (mismatch) {
        throw new InputError(mismatch);
    }
    const target = engineCacheDir(root);
    underBuildLock(target, log, () => {
        if (executable(path.join(target, "pulumi"))) {
            return;
        }
        // Both binaries or neither: an interrupted build never leaves half an engine behind.
        atomicPlace(target, (tmp) => {
            fs.mkdirSync(tmp, { recursive: true });
            for (const [name, pkg] of [
                ["pulumi", CLI_PACKAGE],
                [HOST, "./languagehost"],
            ]) {
                log(`building ${name} v${version} from Go modules into ${target} (the first build takes 4 to 9 minutes on 2 cores)`);
                goBuild(root, go, version, pkg, path.join(tmp, name));
            }
            fs.writeFileSync(path.join(tmp, HOST_SOURCES_STAMP), `${languageHostSources(root)}\n`);
            return true;
        });
    });
    return { pulumi: path.join(target, "pulumi"), version, source: "built" };
}

/**
 * Rebuilds a cached language host alone (about a second with Go's build cache warm) when its sources differ from
 * those it records, whatever the files' times say; the cached CLI is kept. A host that records nothing (built
 * before the record) is rebuilt once; without Go it is used as it is, with a line saying so.
 */
function refreshLanguageHost(root: string, engine: Engine, log: (line: string) => void): void {
    const dir = path.dirname(engine.pulumi);
    const stamp = path.join(dir, HOST_SOURCES_STAMP);
    const sources = languageHostSources(root);
    const recorded = () => (fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8").trim() : undefined);
    if (recorded() === sources) {
        return;
    }
    if (!onPath("go") && recorded() === undefined) {
        log(`cannot check the cached ${HOST} against sandbox/engine/languagehost (no go on PATH); using it as it is`);
        return;
    }
    const go = requireGo(engine.version);
    underBuildLock(dir, log, () => {
        const built = recorded();
        if (built === sources) {
            return;
        }
        log(`rebuilding ${HOST}: ${built === undefined ? "the cache does not record its sources" : "sandbox/engine/languagehost changed"}`);
        const tmp = path.join(dir, `${HOST}.tmp-${process.pid}`);
        try {
            goBuild(root, go, engine.version, "./languagehost", tmp);
            fs.renameSync(tmp, path.join(dir, HOST));
        } finally {
            fs.rmSync(tmp, { force: true });
        }
        fs.writeFileSync(stamp, `${sources}\n`);
    });
}

/** The pinned CLI: found (a cached language host rebuilt when its sources changed), else built. */
export function ensureEngine(root: string, log: (line: string) => void): Engine {
    const found = findEngine(root);
    if (found?.source === "cache") {
        refreshLanguageHost(root, found, log);
    }
    return found ?? buildEngine(root, log);
}
