import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { InputError } from "./errors";
import { sha256Hex } from "./hashing";

/**
 * Third-party Python dependencies of the common-deps layer, installed with pip for the Lambda platform.
 *
 * The machine running `pulumi preview` may have no package index (CI, this repository's own offline
 * preview). Then the layer is built without them and marked as not built; the program refuses to
 * deploy it for real (see program.ts).
 */

/** Lambda's platform: Amazon Linux 2023, x86_64, CPython 3.12. */
export const PIP_PLATFORM_ARGS = [
    "--platform", "manylinux2014_x86_64",
    "--implementation", "cp",
    "--python-version", "3.12",
    "--only-binary=:all:",
] as const;

/** What an install attempt produced. */
export type DepsOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Installs the pinned requirements into `target` (which must end up holding `python/...`). */
export type DepsInstaller = (requirementsFile: string, target: string) => DepsOutcome;

/** The result for a requirements file: where the installed tree is, or why there is none. */
export type DepsResult = { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly reason: string };

/**
 * Checks that every requirement is pinned exactly (`name==version`): the file is the lock file of the
 * layer, installed with `--no-deps`, so that the same file always gives the same layer.
 */
export function checkPinnedRequirements(text: string, display: string): string[] {
    const pins: string[] = [];
    text.replace(/^\uFEFF/, "").split(/\r?\n/).forEach((raw, index) => {
        const line = raw.replace(/\s+#.*$/, "").trim();
        if (line === "" || line.startsWith("#")) {
            return;
        }
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!_-]+$/.test(line)) {
            throw new InputError(`${display}:${index + 1}: "${line}" is not pinned; expected NAME==VERSION (every dependency, transitive ones included, pinned exactly)`);
        }
        pins.push(line);
    });
    return pins;
}

/** The first error line pip printed, for a message that fits on one line. */
function pipReason(stderr: string, status: number | null, error?: Error): string {
    if (error) {
        return `pip could not be started (${error.message})`;
    }
    const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
    const firstError = lines.find((l) => l.startsWith("ERROR:")) ?? lines[lines.length - 1];
    return `pip exited with ${status ?? "a signal"}: ${firstError ?? "no message"}`;
}

/** Runs `python -m pip install` for the Lambda platform; fails fast when there is no package index. */
export function pipInstaller(python = process.env.VECTORA_PYTHON ?? "python3"): DepsInstaller {
    return (requirementsFile, target) => {
        if (process.env.VECTORA_SKIP_DEPS === "1") {
            return { ok: false, reason: "skipped because VECTORA_SKIP_DEPS=1" };
        }
        const result = childProcess.spawnSync(
            python,
            [
                "-m", "pip", "install",
                "--requirement", requirementsFile,
                "--target", path.join(target, "python"),
                ...PIP_PLATFORM_ARGS,
                "--no-deps", "--no-compile", "--no-input", "--disable-pip-version-check",
                "--retries", "0", "--timeout", "15", "--quiet",
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
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const outcome = installer(requirementsFile, tmp);
    if (outcome.ok && fs.existsSync(path.join(tmp, "python"))) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
        return { ok: true, dir };
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    const failure: DepsResult = { ok: false, reason: outcome.ok ? "the installer reported success but produced no python/ folder" : outcome.reason };
    remembered.set(key, failure);
    return failure;
}
