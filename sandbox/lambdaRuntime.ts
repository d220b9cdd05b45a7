import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readZipEntries } from "../artifacts/unzip";
import { InputError } from "../lib/errors";
import { executable } from "../lib/executables";
import type { CodeRoots, InvocationResult } from "../functions/smokeProbe";

/**
 * The sandbox's Lambda: runs a function of the simulated account from the bytes the account holds (its zip and its
 * layers' zips, never the repository's files), unpacked as Lambda unpacks them, the code under `var/task` and every
 * layer, in the function's order, under `opt` (a layer zip holds `python/...`, so its packages land in opt/python),
 * by a local Python of the function's runtime started with nothing of this machine's own packages (-I -S), the
 * function's environment variables and Lambda's own (AWS Lambda developer guide, "Defined runtime environment
 * variables": LAMBDA_TASK_ROOT, AWS_LAMBDA_FUNCTION_NAME...), and its S3 reads answered from the account.
 */

/** Where the bootstrap and the stand-in boto3 are: the repository's sandbox/python, beside the compiled .build/sandbox. */
const PYTHON_DIR = path.join(__dirname, "..", "..", "sandbox", "python");

/** A function as the sandbox runs it. */
export interface SandboxFunction {
    readonly functionName: string;
    readonly arn: string;
    /** `python3.12`. */
    readonly runtime: string;
    /** `handler.lambda_handler`. */
    readonly handler: string;
    readonly timeoutSeconds: number;
    readonly memoryMb: number;
    readonly region: string;
    readonly environment: Readonly<Record<string, string>>;
}

/** What one invocation needs beside the function: its bytes, its event, the bound and the S3 index for the stand-in. */
export interface SandboxInvocation {
    readonly code: Buffer;
    /** The layers' zips, in the function's order. */
    readonly layers: readonly Buffer[];
    readonly event: unknown;
    /** The smoke test's bound: the invocation ends there even when the function's own timeout is longer. */
    readonly boundMs: number;
    /** The file listing the account's objects for the stand-in boto3 (VECTORA_SANDBOX_S3). */
    readonly s3Index: string;
    /** A folder of its own, under which the code is unpacked (removed by the caller). */
    readonly workDir: string;
}

const pythons = new Map<string, string>();

/** The version a `pythonX.Y` runtime names, or undefined for another runtime. */
export function pythonVersionOf(runtime: string): string | undefined {
    return /^python(3\.\d+)$/.exec(runtime)?.[1];
}

function reportsVersion(python: string, version: string): boolean {
    const probe = childProcess.spawnSync(python, ["-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
        encoding: "utf8",
        timeout: 10_000,
    });
    return probe.status === 0 && probe.stdout.trim() === version;
}

/** Candidates for a Python of a version: on PATH (pyenv's shims last), then pyenv's own installs, newest first. */
function pythonCandidates(version: string): string[] {
    const name = `python${version}`;
    const onPathFirst = (process.env.PATH ?? "")
        .split(path.delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => path.join(dir, name))
        .filter(executable)
        .sort((a, b) => Number(a.includes(`${path.sep}shims${path.sep}`)) - Number(b.includes(`${path.sep}shims${path.sep}`)));
    const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv");
    const versionsDir = path.join(pyenvRoot, "versions");
    const installed = fs.existsSync(versionsDir)
        ? fs
              .readdirSync(versionsDir)
              .filter((v) => v === version || v.startsWith(`${version}.`))
              .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
              .map((v) => path.join(versionsDir, v, "bin", name))
              .filter(executable)
        : [];
    return [
        ...onPathFirst.filter((p) => !p.includes(`${path.sep}shims${path.sep}`)),
        ...installed,
        ...onPathFirst.filter((p) => p.includes(`${path.sep}shims${path.sep}`)),
    ];
}

/**
 * A local Python of a Lambda runtime (`python3.12`): the first that really is that version among `python3.12` on
 * PATH and pyenv's installs; none is bad input, one line saying what is missing.
 */
export function findPython(runtime: string): string {
    const version = pythonVersionOf(runtime);
    if (version === undefined) {
        throw new InputError(`the sandbox runs Python functions only; this function's runtime is ${runtime}`);
    }
    const known = pythons.get(version);
    if (known) {
        return known;
    }
    const found = pythonCandidates(version).find((p) => reportsVersion(p, version));
    if (!found) {
        throw new InputError(
            `no Python ${version} here for the sandbox's ${runtime} functions (none on PATH as python${version}, none in pyenv's ` +
                `versions); install one (pyenv install ${version}) or put python${version} on PATH`,
        );
    }
    pythons.set(version, found);
    return found;
}

/** Unpacks a zip under a folder, as Lambda does (folders created as needed, later entries over earlier files). */
export function unpack(zip: Buffer, into: string): void {
    for (const entry of readZipEntries(zip)) {
        const target = path.join(into, entry.name);
        if (entry.directory) {
            fs.mkdirSync(target, { recursive: true });
        } else {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, entry.data);
        }
    }
}

/** The environment the function's Python starts with: its own variables, Lambda's defined ones, and nothing of ours. */
function lambdaEnvironment(fn: SandboxFunction, roots: CodeRoots, s3Index: string): NodeJS.ProcessEnv {
    return {
        ...fn.environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_REGION: fn.region,
        AWS_DEFAULT_REGION: fn.region,
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        LAMBDA_TASK_ROOT: roots.task,
        _HANDLER: fn.handler,
        TZ: ":UTC",
        LANG: "en_US.UTF-8",
        PATH: "/usr/local/bin:/usr/bin:/bin",
        VECTORA_SANDBOX_S3: s3Index,
    };
}

/**
 * Runs a function once with an event, as Invoke with RequestResponse does: the answer (the payload), or Lambda's
 * `Unhandled` function error with the error document (the handler raised, or ran past its own timeout), or, when
 * the smoke test's bound comes first, no answer.
 */
export async function invokeInSandbox(
    fn: SandboxFunction,
    invocation: SandboxInvocation,
): Promise<InvocationResult & { roots: CodeRoots }> {
    const python = findPython(fn.runtime);
    const roots: CodeRoots = { task: path.join(invocation.workDir, "var", "task"), opt: path.join(invocation.workDir, "opt") };
    fs.mkdirSync(roots.task, { recursive: true });
    fs.mkdirSync(roots.opt, { recursive: true });
    unpack(invocation.code, roots.task);
    for (const layer of invocation.layers) {
        unpack(layer, roots.opt);
    }
    const requestFile = path.join(invocation.workDir, "request.json");
    const resultFile = path.join(invocation.workDir, "result.json");
    fs.writeFileSync(
        requestFile,
        JSON.stringify({
            task: roots.task,
            opt: roots.opt,
            standins: path.join(PYTHON_DIR, "standins"),
            handler: fn.handler,
            event: invocation.event,
            function_name: fn.functionName,
            function_arn: fn.arn,
            memory_mb: fn.memoryMb,
            timeout_seconds: fn.timeoutSeconds,
            request_id: crypto.randomUUID(),
        }),
    );
    const ownTimeoutMs = fn.timeoutSeconds * 1000;
    const boundMs = Math.min(invocation.boundMs, ownTimeoutMs);
    const started = Date.now();
    const run = await new Promise<{ code: number | null; timedOut: boolean; stderr: string }>((resolve) => {
        // -I: no PYTHON* variables, no user site, not the script's folder on the path; -S: none of this machine's
        // site-packages (a package installed here must not stand in for a layer's); -B: no __pycache__ in the code.
        const child = childProcess.spawn(python, ["-I", "-S", "-B", path.join(PYTHON_DIR, "bootstrap.py"), requestFile, resultFile], {
            cwd: roots.task,
            env: lambdaEnvironment(fn, roots, invocation.s3Index),
            stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr = (stderr + t).slice(-4096)));
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
        }, boundMs);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, timedOut, stderr });
        });
        child.on("error", (e) => {
            clearTimeout(timer);
            resolve({ code: null, timedOut: false, stderr: e.message });
        });
    });
    const durationMs = Date.now() - started;
    if (run.timedOut) {
        if (boundMs === ownTimeoutMs && ownTimeoutMs <= invocation.boundMs) {
            // Lambda stops a function at its own timeout and answers this error itself.
            const payload = JSON.stringify({ errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds` });
            return { functionError: "Unhandled", payload, durationMs, roots };
        }
        return { error: `no answer within ${invocation.boundMs / 1000} s`, durationMs, roots };
    }
    if (!fs.existsSync(resultFile)) {
        // The runtime itself died (a crash of the interpreter): Lambda reports it as an unhandled error.
        const lines = run.stderr.trim().split("\n");
        const payload = JSON.stringify({
            errorMessage: `Runtime exited with code ${run.code}: ${lines[lines.length - 1] ?? ""}`,
            errorType: "Runtime.ExitError",
        });
        return { functionError: "Unhandled", payload, durationMs, roots };
    }
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as { payload: string; function_error?: string };
    return { ...(result.function_error ? { functionError: result.function_error } : {}), payload: result.payload, durationMs, roots };
}
