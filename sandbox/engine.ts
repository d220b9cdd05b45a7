import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { atomicPlace } from "../lib/files";
import { executable, onPath } from "../lib/executables";

/**
 * The real Pulumi CLI for the sandbox, at the version of the pinned @pulumi/pulumi: the user's own `pulumi`
 * when it is that version, else one built from Pulumi's published Go modules (`sandbox/engine/go.mod`) and
 * cached under `.build/engine/v<version>/`. Nothing is downloaded but Go modules through the module proxy.
 */

/** The @pulumi/pulumi version the program runs with; the CLI must be the same release. */
export function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

export interface Engine {
    /** The `pulumi` executable. */
    readonly pulumi: string;
    readonly version: string;
    /** Where it came from: the user's PATH, this repository's cache, or a build just now. */
    readonly source: "path" | "cache" | "built";
}

/** Where a built CLI of a version is cached. */
export function engineCacheDir(root: string, version: string): string {
    return path.join(root, ".build", "engine", `v${version}`);
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
 * A CLI of the right version already here: on PATH (with its bundled language host beside it, as every
 * Pulumi install has), or in the cache.
 */
export function findEngine(root: string, version = sdkVersion()): Engine | undefined {
    const ambient = onPath("pulumi");
    if (
        ambient &&
        executable(path.join(path.dirname(fs.realpathSync(ambient)), "pulumi-language-nodejs")) &&
        pulumiVersion(ambient) === version
    ) {
        return { pulumi: ambient, version, source: "path" };
    }
    const cached = path.join(engineCacheDir(root, version), "pulumi");
    if (executable(cached) && executable(path.join(path.dirname(cached), "pulumi-language-nodejs"))) {
        return { pulumi: cached, version, source: "cache" };
    }
    return undefined;
}

/** The module path of the CLI's main package, and how the official build stamps its version. */
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The Go module that pins the CLI: its pkg/v3 requirement must be the SDK's version. */
export function goModuleVersion(root: string): string | undefined {
    const text = fs.readFileSync(path.join(root, "sandbox", "engine", "go.mod"), "utf8");
    return /github\.com\/pulumi\/pulumi\/pkg\/v3 v([0-9][^\s]*)/.exec(text)?.[1];
}

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

/** Builds `pulumi` and the sandbox's `pulumi-language-nodejs` from `sandbox/engine` into the cache. */
export function buildEngine(root: string, log: (line: string) => void, version = sdkVersion()): Engine {
    const go = onPath("go");
    if (!go) {
        throw new InputError(
            `the sandbox needs the Pulumi CLI v${version}: no pulumi v${version} (with pulumi-language-nodejs beside it) on ` +
                `PATH, and no go on PATH to build it from Pulumi's Go modules; install Go 1.25 or later, or Pulumi v${version}`,
        );
    }
    const pinned = goModuleVersion(root);
    if (pinned !== version) {
        throw new InputError(
            `sandbox/engine/go.mod requires github.com/pulumi/pulumi/pkg/v3 ` +
                `v${pinned} but @pulumi/pulumi is ${version}; make them the same release`,
        );
    }
    const target = engineCacheDir(root, version);
    const ldflags = `-s -w -X ${VERSION_SYMBOL}=v${version}`;
    const moduleDir = path.join(root, "sandbox", "engine");
    const builds: Array<[string, string]> = [
        ["pulumi", CLI_PACKAGE],
        ["pulumi-language-nodejs", "./languagehost"],
    ];
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Both binaries or neither: an interrupted build never leaves half an engine behind.
    atomicPlace(target, (tmp) => {
        fs.mkdirSync(tmp, { recursive: true });
        for (const [name, pkg] of builds) {
            log(`building ${name} v${version} from Go modules (the first build takes about 4 minutes on 2 cores)`);
            const result = childProcess.spawnSync(go, ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(tmp, name), pkg], {
                cwd: moduleDir,
                env: goEnv(),
                encoding: "utf8",
                maxBuffer: 64 * 1024 * 1024,
            });
            if (result.status !== 0) {
                const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split("\n").slice(-3).join(" | ");
                throw new InputError(`go build ${pkg} failed in sandbox/engine: ${why}`);
            }
        }
        return true;
    });
    return { pulumi: path.join(target, "pulumi"), version, source: "built" };
}

/** A CLI of the SDK's version: found, else built. */
export function ensureEngine(root: string, log: (line: string) => void): Engine {
    return findEngine(root) ?? buildEngine(root, log);
}
