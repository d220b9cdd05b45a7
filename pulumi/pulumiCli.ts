import * as childProcess from "child_process";
import * as fs from "fs";
import { InputError, oneLine } from "../lib/errors";
import { onPath } from "../lib/executables";
import type { Io } from "../lib/command";
import { isRecord } from "../policy/contract/records";

/** How the commands name the sandbox's CLI in what they print. */
export const SANDBOX_PULUMI = "sandbox pulumi";

/**
 * The one argument that asks the sandbox's pulumi for the workflow commands (sandbox/pulumiForCommands.ts) only to
 * open the sandbox: build the CLI on first use, create the stacks.
 */
export const OPEN_SANDBOX = "--open";

/**
 * The project whose sandbox the workflow commands' pulumi runs in, when the CLI itself runs in another folder (a
 * worktree of an earlier commit that rollback deploys): set by cli/sandboxFlag.ts, read by sandbox/pulumiForCommands.ts.
 */
export const SANDBOX_ROOT_VARIABLE = "VECTORA_SANDBOX_PROJECT";

/** Where to get the Pulumi CLI. */
export const INSTALL_HINT = "install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) and run pulumi login";

/**
 * A way to run the Pulumi CLI: the user's own `pulumi` with their backend and credentials, or the sandbox's
 * (the same CLI against a local backend and the simulated AWS account).
 */
export interface PulumiCli {
    readonly bin: string;
    readonly env: NodeJS.ProcessEnv;
    /** What the commands print to say which CLI ran ("pulumi" or "sandbox pulumi"). */
    readonly label: string;
    /** The arguments as this CLI needs them (the sandbox adds its own stack config file). */
    readonly args: (args: readonly string[]) => string[];
    /** A run that takes longer is killed (the sandbox bounds every run); undefined: no bound. */
    readonly timeoutMs?: number;
    /** Called after every run (the sandbox puts back any stack file the CLI rewrote). */
    readonly after?: () => void;
}

/** The `pulumi` executable on PATH, or undefined. */
export function findPulumi(): string | undefined {
    return onPath("pulumi");
}

/** The user's CLI, or a clear error saying why the command needs it and what else would do. */
export function requirePulumi(why: string, otherwise = "pass --sandbox to use the local sandbox"): PulumiCli {
    const bin = findPulumi();
    if (!bin) {
        throw new InputError(`the pulumi CLI is not on PATH, and ${why}; ${INSTALL_HINT} (or ${otherwise})`);
    }
    return { bin, env: process.env, label: "pulumi", args: (args) => [...args] };
}

/** Runs a pulumi command to its end, non-interactive, and returns what it printed and its exit status. */
export function pulumiSpawn(cli: PulumiCli, args: readonly string[], cwd: string): childProcess.SpawnSyncReturns<string> {
    try {
        return childProcess.spawnSync(cli.bin, [...cli.args(args), "--non-interactive"], {
            cwd,
            env: cli.env,
            encoding: "utf8",
            maxBuffer: 512 * 1024 * 1024,
            timeout: cli.timeoutMs,
        });
    } finally {
        cli.after?.();
    }
}

/** Runs a read-only pulumi command and returns its stdout; a failure is one line naming the command. */
export function pulumiRead(cli: PulumiCli, args: readonly string[], cwd: string): string {
    const result = pulumiSpawn(cli, args, cwd);
    if (result.error || result.status !== 0) {
        const why = result.error ? result.error.message : result.stderr || result.stdout || `exit ${result.status}`;
        throw new InputError(`${cli.label} ${args.join(" ")} failed: ${oneLine(why)}`);
    }
    return result.stdout;
}

/** `pulumi stack output --json --show-secrets --stack <stack>`, parsed. */
export function stackOutputs(cli: PulumiCli, stack: string, cwd: string): Record<string, unknown> {
    const text = pulumiRead(cli, ["stack", "output", "--json", "--show-secrets", "--stack", stack], cwd);
    try {
        const value = JSON.parse(text) as unknown;
        if (isRecord(value)) {
            return value;
        }
    } catch {
        // fall through
    }
    throw new InputError(`${cli.label} stack output --stack ${stack} did not print a JSON object`);
}

/** Exit code of a run the bound stopped. */
export const TIMED_OUT = 124;

/**
 * A process and everything it started, by parent links in /proc: the CLI starts each plugin in a process
 * group of its own, so killing the CLI's group would leave its providers and packs running.
 */
export function processTree(root: number): number[] {
    const parents = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc", { withFileTypes: true })) {
        if (!/^\d+$/.test(entry.name)) {
            continue;
        }
        try {
            // The parent is the 2nd field after the command, which is in parentheses and may hold spaces.
            const stat = fs.readFileSync(`/proc/${entry.name}/stat`, "utf8");
            parents.set(Number(entry.name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
        } catch {
            // the process ended meanwhile
        }
    }
    const tree = [root];
    for (let i = 0; i < tree.length; i++) {
        for (const [pid, parent] of parents) {
            if (parent === tree[i]) {
                tree.push(pid);
            }
        }
    }
    return tree;
}

function killTree(pid: number): void {
    let tree = [pid];
    try {
        tree = processTree(pid);
    } catch {
        // no /proc: the process alone
    }
    for (const p of tree) {
        try {
            process.kill(p, "SIGKILL");
        } catch {
            // already gone
        }
    }
}

/**
 * Runs a pulumi command that changes things, streaming its output: straight to the terminal when there
 * is one (so that pulumi can ask for confirmation), else through `io`. Resolves to its exit code. A run
 * past the CLI's bound is killed with everything it started (its plugins, the program, the policy pack).
 */
export function pulumiRun(cli: PulumiCli, args: readonly string[], cwd: string, io: Io): Promise<number> {
    const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true && io.tty === true;
    return new Promise((resolve, reject) => {
        const child = childProcess.spawn(cli.bin, cli.args(args), {
            cwd,
            env: cli.env,
            stdio: interactive ? "inherit" : ["ignore", "pipe", "pipe"],
        });
        let timedOut = false;
        const timer =
            cli.timeoutMs === undefined
                ? undefined
                : setTimeout(() => {
                      timedOut = true;
                      killTree(child.pid as number);
                  }, cli.timeoutMs);
        child.stdout?.setEncoding("utf8").on("data", (t: string) => io.out(t));
        child.stderr?.setEncoding("utf8").on("data", (t: string) => io.err(t));
        child.on("error", (e) => {
            clearTimeout(timer);
            cli.after?.();
            reject(e);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            cli.after?.();
            if (timedOut) {
                io.err(
                    `error: ${cli.label} ${args.slice(0, 1).join(" ")} did not finish within ${(cli.timeoutMs as number) / 1000} s ` +
                        `and was stopped with every plugin it started (a provider or policy pack that hangs?)\n`,
                );
                resolve(TIMED_OUT);
                return;
            }
            resolve(code ?? 1);
        });
    });
}
