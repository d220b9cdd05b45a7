import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Evidence, evidenceFromExport, releaseDigest } from "./evidence";

/**
 * Reads another stack's state with the Pulumi CLI that runs this process, so that the gate sees what the
 * backend holds and not what a program or a flag says.
 *
 * Both the policy pack and the program are started by the CLI (the pack through the language host, the program
 * too): the engine starts plugins with the CLI's own environment (pulumi/pulumi
 * sdk/go/common/resource/plugin/plugin.go `ExecPlugin` starts from `os.Environ()`, analyzer_plugin.go adds the
 * stack's variables), so the same backend URL, access token, PULUMI_HOME and cloud credentials are at hand, and
 * the CLI itself is this process's ancestor. `pulumi stack export` needs no secrets passphrase (secrets stay
 * encrypted and are not read).
 */

/** The Pulumi CLI process this process runs under. */
export interface PulumiProcess {
    readonly pid: number;
    /** Its executable. */
    readonly exe: string;
    /** Its command line, without the executable. */
    readonly args: readonly string[];
    /** The folder it runs in (where relative flags such as --policy-pack-config are resolved). */
    readonly cwd: string;
}

/** Default bound of one read of another stack's state, in seconds. */
export const DEFAULT_READ_TIMEOUT_SECONDS = 30;

/**
 * A variable for runs that no Pulumi CLI starts (the offline preview, tests) and for `pulumi policy analyze`
 * (audits of export files): a JSON file mapping fully qualified stack names to `pulumi stack export` files. It is
 * ignored whenever a Pulumi CLI that previews or deploys is an ancestor, so that it cannot stand in for the backend
 * in a real preview or update.
 */
export const OFFLINE_EXPORTS_VARIABLE = "VECTORA_OFFLINE_STACK_EXPORTS";

function procParent(pid: number): number | undefined {
    try {
        // The parent is the 2nd field after the command, which is in parentheses and may hold spaces.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
        return undefined;
    }
}

function procProcess(pid: number): PulumiProcess | undefined {
    try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        if (argv[argv.length - 1] === "") {
            argv.pop();
        }
        return { pid, exe: fs.readlinkSync(`/proc/${pid}/exe`), args: argv.slice(1), cwd: fs.readlinkSync(`/proc/${pid}/cwd`) };
    } catch {
        return undefined;
    }
}

/** Ancestors by `ps` where there is no /proc (macOS): the command line only, split on spaces. */
function psProcess(pid: number): { parent?: number; process?: PulumiProcess } {
    const result = childProcess.spawnSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8", timeout: 5000 });
    const match = /^\s*(\d+)\s+(.*)$/.exec(result.stdout ?? "");
    if (!match) {
        return {};
    }
    const [exe, ...args] = match[2].trim().split(/\s+/);
    return { parent: Number(match[1]), process: { pid, exe, args, cwd: process.cwd() } };
}

/** Whether an executable is the Pulumi CLI (by its file name, as every install names it). */
export function isPulumiExecutable(exe: string): boolean {
    return path.basename(exe) === "pulumi" || path.basename(exe) === "pulumi.exe";
}

/** The Pulumi CLI among this process's ancestors, nearest first; undefined when no Pulumi CLI started us. */
export function pulumiAncestor(): PulumiProcess | undefined {
    const useProc = fs.existsSync("/proc/self/stat");
    let pid: number | undefined = process.ppid;
    for (let depth = 0; pid !== undefined && pid > 1 && depth < 32; depth++) {
        if (useProc) {
            const found = procProcess(pid);
            if (found && isPulumiExecutable(found.exe)) {
                return found;
            }
            pid = procParent(pid);
        } else {
            const { parent, process: found } = psProcess(pid);
            if (found && isPulumiExecutable(found.exe)) {
                return found;
            }
            pid = parent;
        }
    }
    return undefined;
}

/** Whether the CLI runs `pulumi policy analyze` (read-only: it analyzes a state, deploys nothing). */
export function isPolicyAnalyze(cli: PulumiProcess): boolean {
    const words = cli.args.filter((a) => !a.startsWith("-"));
    return words[0] === "policy" && words[1] === "analyze";
}

/** The value of a flag on a command line (`--flag value` or `--flag=value`), every time it is given. */
export function flagValues(args: readonly string[], ...names: string[]): string[] {
    const values: string[] = [];
    for (let i = 0; i < args.length; i++) {
        for (const name of names) {
            if (args[i] === name && i + 1 < args.length) {
                values.push(args[i + 1]);
            } else if (args[i].startsWith(`${name}=`)) {
                values.push(args[i].slice(name.length + 1));
            }
        }
    }
    return values;
}

/** A stack export, or why it could not be had. */
export type StackExport = { readonly ok: true; readonly doc: unknown; readonly via: string } | { readonly ok: false; readonly why: string };

function firstLine(text: string): string {
    return (
        text
            .split("\n")
            .map((l) => l.trim())
            .find((l) => l !== "") ?? ""
    );
}

function exportWithCli(cli: PulumiProcess, stack: string, timeoutMs: number): Promise<StackExport> {
    const cwd = path.resolve(cli.cwd, flagValues(cli.args, "--cwd", "-C")[0] ?? ".");
    return new Promise((resolve) => {
        childProcess.execFile(
            cli.exe,
            ["stack", "export", "--stack", stack, "--non-interactive"],
            { cwd, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    const killed = (error as { killed?: boolean }).killed === true;
                    resolve({
                        ok: false,
                        why: killed
                            ? `pulumi stack export --stack ${stack} did not answer within ${timeoutMs / 1000} s`
                            : `pulumi stack export --stack ${stack} failed: ${firstLine(stderr) || firstLine(stdout) || error.message}`,
                    });
                    return;
                }
                try {
                    resolve({ ok: true, doc: JSON.parse(stdout), via: `${cli.exe} stack export --stack ${stack}` });
                } catch {
                    resolve({ ok: false, why: `pulumi stack export --stack ${stack} did not print JSON` });
                }
            },
        );
    });
}

function exportFromFiles(stack: string, mapFile: string): StackExport {
    try {
        const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as Record<string, unknown>;
        const file = map[stack];
        if (typeof file !== "string") {
            return { ok: false, why: `${OFFLINE_EXPORTS_VARIABLE} (${mapFile}) names no export of ${stack}` };
        }
        return { ok: true, doc: JSON.parse(fs.readFileSync(path.resolve(path.dirname(mapFile), file), "utf8")), via: file };
    } catch (e) {
        return { ok: false, why: `${OFFLINE_EXPORTS_VARIABLE} (${mapFile}): ${e instanceof Error ? e.message : String(e)}` };
    }
}

/**
 * The state export of `stack`, read by the Pulumi CLI that runs this process; without one (an offline run), from
 * the files that OFFLINE_EXPORTS_VARIABLE names.
 */
export async function readStackExport(stack: string, timeoutMs: number): Promise<StackExport> {
    const cli = pulumiAncestor();
    const offline = process.env[OFFLINE_EXPORTS_VARIABLE];
    // `pulumi policy analyze` changes nothing: there, the files an audit names may stand in for the backend.
    if (offline && (!cli || isPolicyAnalyze(cli))) {
        return exportFromFiles(stack, offline);
    }
    if (cli) {
        return exportWithCli(cli, stack, timeoutMs);
    }
    return { ok: false, why: `no Pulumi CLI runs this process, so the state of ${stack} cannot be read` };
}

/** What `stack` runs, read from its state; a state that cannot be read is evidence with that problem. */
export async function readEvidence(stack: string, timeoutMs: number): Promise<Evidence> {
    const read = await readStackExport(stack, timeoutMs);
    if (!read.ok) {
        return { stack, artifacts: {}, canonicalFiles: {}, problems: [read.why], digest: releaseDigest({}) };
    }
    return evidenceFromExport(read.doc, stack);
}
