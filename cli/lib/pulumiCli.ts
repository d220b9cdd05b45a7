import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { InputError, oneLine } from "../../lib/errors";
import type { Io } from "./command";

/** Where to get the Pulumi CLI. */
export const INSTALL_HINT = "install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) and run pulumi login";

/** The `pulumi` executable on PATH, or undefined. */
export function findPulumi(): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (dir === "") {
            continue;
        }
        const candidate = path.join(dir, "pulumi");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) {
                return candidate;
            }
        } catch {
            // not here
        }
    }
    return undefined;
}

/** The CLI, or a clear error saying why the command needs it. */
export function requirePulumi(why: string): string {
    const pulumi = findPulumi();
    if (!pulumi) {
        throw new InputError(`the pulumi CLI is not on PATH, and ${why}; ${INSTALL_HINT}`);
    }
    return pulumi;
}

/** Runs a read-only pulumi command and returns its stdout; a failure is one line naming the command. */
export function pulumiRead(pulumi: string, args: readonly string[], cwd: string): string {
    const result = childProcess.spawnSync(pulumi, [...args, "--non-interactive"], { cwd, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    if (result.error || result.status !== 0) {
        const why = result.error ? result.error.message : (result.stderr || result.stdout || `exit ${result.status}`);
        throw new InputError(`pulumi ${args.join(" ")} failed: ${oneLine(why)}`);
    }
    return result.stdout;
}

/** `pulumi stack output --json --show-secrets --stack <stack>`, parsed. */
export function stackOutputs(pulumi: string, stack: string, cwd: string): Record<string, unknown> {
    const text = pulumiRead(pulumi, ["stack", "output", "--json", "--show-secrets", "--stack", stack], cwd);
    try {
        const value = JSON.parse(text) as unknown;
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            return value as Record<string, unknown>;
        }
    } catch {
        // fall through
    }
    throw new InputError(`pulumi stack output --stack ${stack} did not print a JSON object`);
}

/**
 * Runs a pulumi command that changes things, streaming its output: straight to the terminal when there
 * is one (so that pulumi can ask for confirmation), else through `io`. Resolves to its exit code.
 */
export function pulumiRun(pulumi: string, args: readonly string[], cwd: string, io: Io): Promise<number> {
    const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;
    return new Promise((resolve, reject) => {
        const child = childProcess.spawn(pulumi, [...args], { cwd, stdio: interactive ? "inherit" : ["inherit", "pipe", "pipe"] });
        child.stdout?.setEncoding("utf8").on("data", (t: string) => io.out(t));
        child.stderr?.setEncoding("utf8").on("data", (t: string) => io.err(t));
        child.on("error", reject);
        child.on("close", (code) => resolve(code ?? 1));
    });
}
