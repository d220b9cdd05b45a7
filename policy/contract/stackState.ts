import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { StackTags } from "./attestation";
import { Evidence, evidenceFromExport, releaseDigest } from "./evidence";
import { isRecord } from "./records";

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
 * (audits of export files): a JSON file mapping fully qualified stack names to `pulumi stack export` files, or to
 * `{ "export": file, "tags": file }` where the stack's tags matter (a `pulumi stack tag ls --json` file). It is
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

/** A process's working folder where there is no /proc (macOS): `lsof` names it; undefined when it cannot. */
function lsofCwd(pid: number): string | undefined {
    const result = childProcess.spawnSync("lsof", ["-a", "-p", String(pid), "-d", "cwd", "-Fn"], { encoding: "utf8", timeout: 5000 });
    const line = (result.stdout ?? "").split("\n").find((l) => l.startsWith("n/"));
    return line?.slice(1);
}

/**
 * Ancestors by `ps` where there is no /proc (macOS): the command line only, split on spaces, and the working
 * folder from `lsof` (none when it cannot tell: a read from an unknown folder is refused, not guessed).
 */
function psProcess(pid: number): { parent?: number; process?: PulumiProcess } {
    const result = childProcess.spawnSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8", timeout: 5000 });
    const match = /^\s*(\d+)\s+(.*)$/.exec(result.stdout ?? "");
    if (!match) {
        return {};
    }
    const [exe, ...args] = match[2].trim().split(/\s+/);
    return { parent: Number(match[1]), process: { pid, exe, args, cwd: lsofCwd(pid) ?? "" } };
}

/** Whether an executable is the Pulumi CLI (by its file name, as every install names it). */
export function isPulumiExecutable(exe: string): boolean {
    return path.basename(exe) === "pulumi" || path.basename(exe) === "pulumi.exe";
}

/**
 * Whether a process is a plugin the CLI starts a program or a pack through: the CLI finds plugins by file name
 * (`pulumi-<kind>-<name>`: pulumi/pulumi sdk/go/common/workspace/plugins.go, PluginDescriptor.File, used by
 * GetPluginPath), so `pulumi-language-<runtime>` and the older `pulumi-analyzer-policy-<runtime>` script keep
 * their names even under a renamed CLI. A script shows as its interpreter, with its own path first in its arguments.
 */
function isPulumiHost(p: PulumiProcess): boolean {
    return [p.exe, p.args[0] ?? ""].some((file) => /^pulumi-(language|analyzer)-/.test(path.basename(file)));
}

/** This process's ancestors, nearest first (at most 32). */
function ancestors(): PulumiProcess[] {
    const useProc = fs.existsSync("/proc/self/stat");
    const chain: PulumiProcess[] = [];
    let pid: number | undefined = process.ppid;
    for (let depth = 0; pid !== undefined && pid > 1 && depth < 32; depth++) {
        if (useProc) {
            const found = procProcess(pid);
            if (found) {
                chain.push(found);
            }
            pid = procParent(pid);
        } else {
            const { parent, process: found } = psProcess(pid);
            if (found) {
                chain.push(found);
            }
            pid = parent;
        }
    }
    return chain;
}

/**
 * The Pulumi CLI among this process's ancestors, nearest first; undefined when no Pulumi CLI started us. The
 * parent of a Pulumi language host is the CLI whatever its file is named; otherwise the nearest `pulumi`.
 */
export function pulumiAncestor(chain: readonly PulumiProcess[] = ancestors()): PulumiProcess | undefined {
    for (let i = 0; i < chain.length; i++) {
        if (isPulumiHost(chain[i]) && chain[i + 1]) {
            return chain[i + 1];
        }
        if (isPulumiExecutable(chain[i].exe)) {
            return chain[i];
        }
    }
    return undefined;
}

/** Whether any ancestor is the Pulumi CLI or one of its hosts: the process runs under the engine. */
function underPulumi(chain: readonly PulumiProcess[]): boolean {
    return chain.some((p) => isPulumiExecutable(p.exe) || isPulumiHost(p));
}

/**
 * Whether this process runs under `pulumi policy analyze` (read-only: it analyzes a state, deploys nothing).
 * The command line alone cannot say (`--message policy --message analyze up` reads as `policy analyze` to anything
 * short of the CLI's own flag parser), so the engine's own mark decides: for a preview or an update the engine
 * configures the pack for a stack (ConfigureStack, pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go)
 * and the language host then sets PULUMI_NODEJS_STACK after the inherited variables, so that it wins
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin); `policy analyze` loads packs without a stack
 * (pkg/cmd/pulumi/policy/policy_analyze.go, nil options), so the variable is unset there.
 */
export function isPolicyAnalyze(cli: PulumiProcess, env: NodeJS.ProcessEnv = process.env): boolean {
    const words = cli.args.filter((a) => !a.startsWith("-"));
    return words[0] === "policy" && words[1] === "analyze" && !env.PULUMI_NODEJS_STACK && !env.PULUMI_STACK;
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

/**
 * The flags of a CLI command line that update only part of a stack (`--target`/`-t`, `--exclude`, and their
 * `--*-dependents`): on stage and prod such an update would leave the stack on a mix of releases no environment
 * before it ran as a whole, so the gates refuse it.
 */
export function partialUpdateFlags(args: readonly string[]): string[] {
    const names = ["--target", "-t", "--exclude", "--target-dependents", "--exclude-dependents"];
    return [...new Set(args.filter((a) => names.some((n) => a === n || a.startsWith(`${n}=`))).map((a) => a.split("=")[0]))];
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

/** A JSON answer of the CLI that runs us, or why it could not be had. */
function cliJson(cli: PulumiProcess, args: readonly string[], timeoutMs: number): Promise<StackExport> {
    const command = `pulumi ${args.join(" ")}`;
    // The CLI has already moved into its --cwd (pkg/cmd/pulumi/pulumi.go, PersistentPreRunE os.Chdir), so its own
    // folder is where it found its project and backend; the read runs there, with the same variables, and reads
    // the same backend.
    const cwd = cli.cwd;
    if (!path.isAbsolute(cwd)) {
        return Promise.resolve({
            ok: false,
            why: `cannot tell which folder the Pulumi CLI (pid ${cli.pid}) runs in, so not where its backend is`,
        });
    }
    return new Promise((resolve) => {
        childProcess.execFile(
            cli.exe,
            [...args, "--non-interactive"],
            { cwd, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    const killed = (error as { killed?: boolean }).killed === true;
                    resolve({
                        ok: false,
                        why: killed
                            ? `${command} did not answer within ${timeoutMs / 1000} s`
                            : `${command} failed: ${firstLine(stderr) || firstLine(stdout) || error.message}`,
                    });
                    return;
                }
                try {
                    resolve({ ok: true, doc: JSON.parse(stdout), via: `${cli.exe} ${args.join(" ")}` });
                } catch {
                    resolve({ ok: false, why: `${command} did not print JSON` });
                }
            },
        );
    });
}

/** What the offline map holds for a stack: its export file, and its tags file when it has one. */
function fromFiles(stack: string, mapFile: string, what: "export" | "tags"): StackExport {
    try {
        const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as Record<string, unknown>;
        const entry = map[stack];
        const file = typeof entry === "string" ? (what === "export" ? entry : undefined) : isRecord(entry) ? entry[what] : undefined;
        if (typeof file !== "string") {
            // A stack given by its export alone has no tags: no attestation, no exception.
            return what === "tags" && entry !== undefined
                ? { ok: true, doc: {}, via: mapFile }
                : { ok: false, why: `${OFFLINE_EXPORTS_VARIABLE} (${mapFile}) names no ${what} of ${stack}` };
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
    return readThroughCli(stack, "export", ["stack", "export", "--stack", stack], timeoutMs);
}

/**
 * The tags of `stack` (`pulumi stack tag ls --json`: a JSON object of names to values), read like its export. With
 * a stack name given, the CLI loads the stack without selecting it (pkg/cmd/pulumi/stack/io.go, RequireStack):
 * the user's current stack stays as it was.
 */
export async function readStackTags(stack: string, timeoutMs: number): Promise<StackTagsRead> {
    const read = await readThroughCli(stack, "tags", ["stack", "tag", "ls", "--stack", stack, "--json"], timeoutMs);
    if (!read.ok) {
        return read;
    }
    if (!isRecord(read.doc) || !Object.values(read.doc).every((v) => typeof v === "string")) {
        return { ok: false, why: `the tags of ${stack} are not a JSON object of strings` };
    }
    return { ok: true, tags: read.doc as StackTags };
}

/** A stack's tags, or why they could not be had. */
export type StackTagsRead = { readonly ok: true; readonly tags: StackTags } | { readonly ok: false; readonly why: string };

async function readThroughCli(stack: string, what: "export" | "tags", args: readonly string[], timeoutMs: number): Promise<StackExport> {
    const chain = ancestors();
    const cli = pulumiAncestor(chain);
    const offline = process.env[OFFLINE_EXPORTS_VARIABLE];
    // Files stand in for the backend only where nothing is deployed: a run with no Pulumi CLI or host above it
    // (the offline preview, the tests), or `pulumi policy analyze` (which changes nothing). Under a preview or an
    // update the variable is ignored, however the CLI is named or called.
    if (offline && ((!cli && !underPulumi(chain)) || (cli && isPolicyAnalyze(cli)))) {
        return fromFiles(stack, offline, what);
    }
    if (cli) {
        return cliJson(cli, args, timeoutMs);
    }
    return { ok: false, why: `no Pulumi CLI runs this process, so the ${what === "export" ? "state" : "tags"} of ${stack} cannot be read` };
}

/** What `stack` runs, read from its state; a state that cannot be read is evidence with that problem. */
export async function readEvidence(stack: string, timeoutMs: number): Promise<Evidence> {
    const read = await readStackExport(stack, timeoutMs);
    if (!read.ok) {
        return { stack, artifacts: {}, canonicalFiles: {}, problems: [read.why], digest: releaseDigest({}) };
    }
    return evidenceFromExport(read.doc, stack);
}
