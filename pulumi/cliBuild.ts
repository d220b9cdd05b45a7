import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InputError } from "../lib/errors";
import { atomicPlace, withLock } from "../lib/files";
import { sha256Hex } from "../lib/hashing";
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

/** The files a built CLI follows from: the module, its sums, and the sandbox's language host. */
function engineSources(root: string): string[] {
    const dir = path.join(root, "sandbox", "engine");
    const goFiles = (sub: string) =>
        fs
            .readdirSync(path.join(dir, sub))
            .filter((f) => f.endsWith(".go"))
            .sort()
            .map((f) => path.join(dir, sub, f));
    return [path.join(dir, "go.mod"), path.join(dir, "go.sum"), ...goFiles("."), ...goFiles("languagehost")];
}

/** Where the CLI a checkout pins is cached: `v<version>-<16 hex of its sources' sha256>`. */
export function engineCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
    const sources = engineSources(root).map((f) => `${path.relative(root, f)}\0${sha256Hex(fs.readFileSync(f))}\n`);
    return path.join(engineCacheRoot(env), `v${cliVersion(root)}-${sha256Hex(sources.join("")).slice(0, 16)}`);
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
 * Runs `build` unless another process is already building the same CLI, in which case it waits for that build:
 * test files start the engine in parallel workers, and one build per machine is the point of the cache.
 */
function oneBuildAtATime(target: string, log: (line: string) => void, build: () => void): void {
    const locking = {
        staleMs: BUILD_LOCK_STALE_MS,
        waitMs: BUILD_LOCK_STALE_MS,
        pollMs: 1000,
        onWait: () => log(`waiting for another build of the same CLI (${target}.lock)`),
        timedOut: (lock: string) => new Error(`${lock}: another build of the CLI has held it for 20 minutes; delete it if that build died`),
    };
    withLock(`${target}.lock`, locking, () => {
        if (!executable(path.join(target, "pulumi"))) {
            build();
        }
    });
}

/** Builds `pulumi` and the sandbox's `pulumi-language-nodejs` from `sandbox/engine` into the machine's cache. */
export function buildEngine(root: string, log: (line: string) => void): Engine {
    const version = cliVersion(root);
    const go = onPath("go");
    if (!go) {
        throw new InputError(
            `the sandbox needs the Pulumi CLI v${version}: no pulumi v${version} (with pulumi-language-nodejs beside it) on ` +
                `PATH, and no go on PATH to build it from Pulumi's Go modules; install Go 1.26.6 or later, or Pulumi v${version}`,
        );
    }
    const mismatch = versionMismatch(version, sdkVersion());
    if (mismatch) {
        throw new InputError(mismatch);
    }
    const target = engineCacheDir(root);
    const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${version}`;
    const moduleDir = path.join(root, "sandbox", "engine");
    const builds: Array<[string, string]> = [
        ["pulumi", CLI_PACKAGE],
        ["pulumi-language-nodejs", "./languagehost"],
    ];
    fs.mkdirSync(path.dirname(target), { recursive: true });
    oneBuildAtATime(target, log, () =>
        // Both binaries or neither: an interrupted build never leaves half an engine behind.
        atomicPlace(target, (tmp) => {
            fs.mkdirSync(tmp, { recursive: true });
            for (const [name, pkg] of builds) {
                log(`building ${name} v${version} from Go modules into ${target} (the first build takes 4 to 9 minutes on 2 cores)`);
                const result = childProcess.spawnSync(go, ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(tmp, name), pkg], {
                    cwd: moduleDir,
                    env: goEnv(),
                    encoding: "utf8",
                    maxBuffer: 64 * 1024 * 1024,
                });
                if (result.status !== 0) {
                    const why = (result.stderr || result.error?.message || `exit ${result.status}`)
                        .trim()
                        .split("\n")
                        .slice(-3)
                        .join(" | ");
                    throw new InputError(`go build ${pkg} failed in sandbox/engine: ${why}`);
                }
            }
            return true;
        }),
    );
    return { pulumi: path.join(target, "pulumi"), version, source: "built" };
}

/** The pinned CLI: found, else built. */
export function ensureEngine(root: string, log: (line: string) => void): Engine {
    return findEngine(root) ?? buildEngine(root, log);
}
