import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EXIT, ExitError, Io } from "../lib/command";
import { InputError } from "../lib/errors";
import { OPEN_SANDBOX, PulumiCli, SANDBOX_PULUMI, SANDBOX_ROOT_VARIABLE, requirePulumi } from "../pulumi/pulumiCli";
import type { Probe, ProbeRequest, SmokeTarget, WireProbe } from "../functions/smokeProbe";
import { SIMULATED_ACCOUNT } from "../simulation/simulatedAws";

/**
 * The sandbox's pulumi as the workflow commands run it: a child process, the sandbox's own entry for them (compiled
 * beside this folder), so that cli/ never imports the sandbox. What it prints and its exit code are pulumi's.
 */
const SANDBOX_PULUMI_SCRIPT = path.join(__dirname, "..", "sandbox", "pulumiForCommands.js");
/** The sandbox's Lambda for the workflow commands (sandbox/lambdaForCommands.ts), run the same way. */
const SANDBOX_LAMBDA_SCRIPT = path.join(__dirname, "..", "sandbox", "lambdaForCommands.js");

/** A failure the child process has already printed: the command ends with its exit code and prints nothing more. */
class PrintedByTheSandbox extends ExitError {
    override report(): string {
        return "";
    }
}

/**
 * Opens the sandbox of a project in a child process (the CLI built on first use, the stacks created), passing on
 * what it says (`sandbox: ...` lines, or its one error line), and returns the sandbox's pulumi.
 */
export function sandboxPulumi(root: string, io: Io): PulumiCli {
    const opened = childProcess.spawnSync(process.execPath, [SANDBOX_PULUMI_SCRIPT, OPEN_SANDBOX], {
        cwd: root,
        encoding: "utf8",
        // On the terminal, a first build's progress shows as it happens.
        stdio: ["ignore", "ignore", io.tty ? "inherit" : "pipe"],
    });
    if (opened.stderr) {
        io.err(opened.stderr);
    }
    if (opened.error) {
        throw opened.error;
    }
    if (opened.status !== 0) {
        throw new PrintedByTheSandbox(`the sandbox did not open (exit ${opened.status})`, opened.status ?? EXIT.internal);
    }
    // The sandbox is the project's (its backend and account under <root>/.build/sandbox) wherever the CLI runs:
    // rollback runs pulumi up in a worktree of an earlier commit, against this project's stacks.
    return {
        bin: process.execPath,
        env: { ...process.env, [SANDBOX_ROOT_VARIABLE]: root },
        label: SANDBOX_PULUMI,
        args: (args) => [SANDBOX_PULUMI_SCRIPT, ...args],
    };
}

/** The CLI a workflow command drives: the sandbox's with --sandbox, else the user's (with why it is needed). */
export function pulumiFor(sandbox: boolean, root: string, io: Io, why: string, otherwise?: string): PulumiCli {
    return sandbox ? sandboxPulumi(root, io) : requirePulumi(why, otherwise);
}

/**
 * The smoke test's target in the sandbox: its questions go to the sandbox's Lambda in a child process (one per probe),
 * which answers from the simulated account of the project and runs the functions from the bytes the account holds.
 * Its one-line refusals (no Python of the runtime) are bad input here too.
 */
export function sandboxSmokeTarget(root: string): SmokeTarget {
    return {
        kind: "sandbox",
        where: `the sandbox's simulated account ${SIMULATED_ACCOUNT}`,
        probe: (request: ProbeRequest): Promise<Probe> =>
            new Promise((resolve, reject) => {
                const child = childProcess.spawn(process.execPath, [SANDBOX_LAMBDA_SCRIPT], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
                let out = "";
                let err = "";
                child.stdout.setEncoding("utf8").on("data", (t: string) => (out += t));
                child.stderr.setEncoding("utf8").on("data", (t: string) => (err += t));
                child.on("error", reject);
                child.on("close", (code) => {
                    if (code === EXIT.badInput) {
                        reject(new InputError(err.trim().replace(/^error: /, "")));
                    } else if (code !== EXIT.ok) {
                        reject(new Error(`the sandbox's Lambda failed (exit ${code}): ${err.trim()}`));
                    } else {
                        const wire = JSON.parse(out) as WireProbe;
                        resolve({
                            ...wire,
                            objects: wire.objects.map(({ file, ...ref }) => (file ? { ...ref, data: fs.readFileSync(file) } : ref)),
                        });
                    }
                });
                child.stdin.end(JSON.stringify(request));
            }),
    };
}
