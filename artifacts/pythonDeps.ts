import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { sha256Hex } from "../lib/hashing";
import { placeOnce } from "../lib/files";

/**
 * Third-party Python dependencies of the common-deps layer, installed with pip for the Lambda platform.
 *
 * The machine running `pulumi preview` may have no package index (CI, this repository's own offline
 * preview). Then the layer is built without them and marked as not built; the program refuses to
 * deploy it for real (see program.ts).
 */

/** Lambda's platform: Amazon Linux 2023, x86_64, CPython 3.12. */
export const PIP_PLATFORM_ARGS = [
    "--platform",
    "manylinux2014_x86_64",
    "--implementation",
    "cp",
    "--python-version",
    "3.12",
    "--only-binary=:all:",
] as const;

/** What an install attempt produced. */
export type DepsOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Installs the pinned requirements into `target` (which must end up holding `python/...`). */
export type DepsInstaller = (requirementsFile: string, target: string) => DepsOutcome;

/** The result for a requirements file: where the installed tree is, or why there is none. */
export type DepsResult = { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly reason: string };

/** One requirement of the lock file: the exact pin and the wheel hashes pip must find. */
export interface PinnedRequirement {
    /** The normalised project name (PEP 503: lower case, runs of `-_.` as `-`). */
    readonly name: string;
    readonly version: string;
    readonly sha256: readonly string[];
    /** Line of the file where the requirement starts. */
    readonly line: number;
}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==([A-Za-z0-9.+!_-]+)$/;
const HASH = /^--hash=sha256:([0-9a-f]{64})$/;

/**
 * Reads the common-deps lock file: every requirement pinned exactly (`name==version`) with at least one
 * `--hash=sha256:` (the form pip-compile --generate-hashes writes, backslash continuations included), each
 * package once. pip then installs it with `--no-deps --require-hashes`, so the same file always gives the
 * same wheels, or no layer at all.
 */
export function checkPinnedRequirements(text: string, display: string): PinnedRequirement[] {
    const logical: Array<{ text: string; line: number }> = [];
    let pending: { text: string; line: number } | undefined;
    text.replace(/^\uFEFF/, "")
        .split(/\r?\n/)
        .forEach((raw, index) => {
            const stripped = raw.replace(/(^|\s+)#.*$/, "");
            const continued = /\\\s*$/.test(stripped);
            const part = stripped.replace(/\\\s*$/, "").trim();
            pending = pending ? { text: `${pending.text} ${part}`, line: pending.line } : { text: part, line: index + 1 };
            if (!continued) {
                if (pending.text.trim() !== "") {
                    logical.push({ text: pending.text.trim(), line: pending.line });
                }
                pending = undefined;
            }
        });
    if (pending) {
        throw new InputError(
            `${display}:${pending.line}: the last line ends with a backslash; expected the requirement to continue on the next line`,
        );
    }
    const seen = new Map<string, number>();
    return logical.map(({ text: entry, line }) => {
        const [pin, ...options] = entry.split(/\s+/);
        const match = PIN.exec(pin);
        if (!match) {
            throw new InputError(
                `${display}:${line}: "${pin}" is not pinned; expected NAME==VERSION ` +
                    `--hash=sha256:<64 hex> (every dependency, transitive ones included, pinned exactly)`,
            );
        }
        const sha256 = options.map((o) => {
            const hash = HASH.exec(o);
            if (!hash) {
                throw new InputError(
                    `${display}:${line}: "${o}" after ${pin} is not a wheel hash; expected --hash=sha256:<64 lower-case hex>`,
                );
            }
            return hash[1];
        });
        if (sha256.length === 0) {
            throw new InputError(
                `${display}:${line}: ${pin} has no hash; expected ${pin} --hash=sha256:<64 ` +
                    `hex> (pip-compile --generate-hashes writes them)`,
            );
        }
        const name = match[1].toLowerCase().replace(/[-_.]+/g, "-");
        const first = seen.get(name);
        if (first !== undefined) {
            throw new InputError(`${display}:${line}: ${name} is pinned again (first at line ${first}); expected each package once`);
        }
        seen.set(name, line);
        return { name, version: match[3], sha256, line };
    });
}

/** The first error line pip printed, for a message that fits on one line. */
function pipReason(stderr: string, status: number | null, error?: Error): string {
    if (error) {
        return `pip could not be started (${error.message})`;
    }
    const lines = stderr
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "");
    const firstError = lines.find((l) => l.startsWith("ERROR:")) ?? lines[lines.length - 1];
    return `pip exited with ${status ?? "a signal"}: ${firstError ?? "no message"}`;
}

/** Runs `python -m pip install` for the Lambda platform; fails fast when there is no package index. */
export function pipInstaller(python = process.env.VECTORA_PYTHON ?? "python3"): DepsInstaller {
    return (requirementsFile, target) => {
        const result = childProcess.spawnSync(
            python,
            [
                "-m",
                "pip",
                "install",
                "--requirement",
                requirementsFile,
                "--target",
                path.join(target, "python"),
                ...PIP_PLATFORM_ARGS,
                "--no-deps",
                "--require-hashes",
                "--no-compile",
                "--no-input",
                "--disable-pip-version-check",
                "--retries",
                "0",
                "--timeout",
                "15",
                "--quiet",
            ],
            { encoding: "utf8", timeout: 600_000 },
        );
        return result.status === 0 ? { ok: true } : { ok: false, reason: pipReason(result.stderr ?? "", result.status, result.error) };
    };
}

const failures = new WeakMap<DepsInstaller, Map<string, DepsResult>>();

/**
 * Installs the requirements once per content: a successful install is kept under `cacheDir` keyed by
 * the requirements' sha256, so later builds reuse it; a failure is remembered for this process only (a
 * prod preview builds stage too: pip is not asked twice), so a machine that gains network access builds
 * the layer on its next run.
 */
export function installDependencies(requirementsFile: string, cacheDir: string, installer: DepsInstaller): DepsResult {
    // Checked before the cache: the variable promises a layer without its dependencies, whatever was built before.
    if (process.env.VECTORA_SKIP_DEPS === "1") {
        return { ok: false, reason: "skipped because VECTORA_SKIP_DEPS=1" };
    }
    const key = sha256Hex(`pip-lambda-py312-x86_64\n${fs.readFileSync(requirementsFile)}`);
    const dir = path.join(cacheDir, key);
    if (fs.existsSync(path.join(dir, "python"))) {
        return { ok: true, dir };
    }
    const remembered = failures.get(installer) ?? new Map<string, DepsResult>();
    failures.set(installer, remembered);
    const failed = remembered.get(key);
    if (failed) {
        return failed;
    }
    let outcome: DepsOutcome = { ok: false, reason: "not run" };
    const ready = () => fs.existsSync(path.join(dir, "python"));
    const fill = (tmp: string) => {
        fs.mkdirSync(tmp, { recursive: true });
        outcome = installer(requirementsFile, tmp);
        return outcome.ok && fs.existsSync(path.join(tmp, "python"));
    };
    const placed = placeOnce(dir, ready, fill, {
        staleMs: 20 * 60_000,
        waitMs: 20 * 60_000,
        pollMs: 500,
        timedOut: (lock) =>
            new Error(`${lock}: another pip install of the same requirements has held it for 20 minutes; delete it if that one died`),
    });
    if (placed) {
        return { ok: true, dir };
    }
    const failure: DepsResult = {
        ok: false,
        reason: outcome.ok ? "the installer reported success but produced no python/ folder" : outcome.reason,
    };
    remembered.set(key, failure);
    return failure;
}
