import * as childProcess from "child_process";
import * as path from "path";
import { EXIT, ExitError, Io } from "../lib/command";
import { OPEN_SANDBOX, PulumiCli, SANDBOX_PULUMI, requirePulumi } from "../pulumi/pulumiCli";

/**
 * The sandbox's pulumi as the workflow commands run it: a child process, the sandbox's own entry for them (compiled
 * beside this folder), so that cli/ never imports the sandbox. What it prints and its exit code are pulumi's.
 */
const SANDBOX_PULUMI_SCRIPT = path.join(__dirname, "..", "sandbox", "pulumiForCommands.js");

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
    return { bin: process.execPath, env: process.env, label: SANDBOX_PULUMI, args: (args) => [SANDBOX_PULUMI_SCRIPT, ...args] };
}

/** The CLI a workflow command drives: the sandbox's with --sandbox, else the user's (with why it is needed). */
export function pulumiFor(sandbox: boolean, root: string, io: Io, why: string, otherwise?: string): PulumiCli {
    return sandbox ? sandboxPulumi(root, io) : requirePulumi(why, otherwise);
}
