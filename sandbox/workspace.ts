import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { PulumiCli, SANDBOX_PULUMI } from "../pulumi/pulumiCli";
import { readProjectName } from "../pulumi/projectFiles";
import { InputError } from "../lib/errors";
import { ENVIRONMENTS } from "../policy/contract/naming";
import { Engine, ensureEngine } from "../pulumi/cliBuild";
import { awsProviderVersion } from "../simulation/providerVersion";

/**
 * The sandbox: the real Pulumi CLI with a local file backend, its own PULUMI_HOME and the simulated AWS
 * provider, all under `<project>/.build/sandbox/`. It never reads or writes the user's ~/.pulumi, backend,
 * Pulumi token or AWS credentials, and never changes the repository's Pulumi.<stack>.yaml files.
 */

/** The passphrase of the sandbox's secrets: local state only, so a fixed one is enough. */
export const SANDBOX_PASSPHRASE = "vectora-sandbox-local-only";
/** The organization a file backend puts every stack in. */
export const SANDBOX_ORGANIZATION = "organization";
/** Default bound of one sandbox run, in seconds (VECTORA_SANDBOX_TIMEOUT changes it). */
export const DEFAULT_TIMEOUT_SECONDS = 600;

export interface Sandbox {
    readonly root: string;
    readonly project: string;
    readonly dir: string;
    readonly home: string;
    readonly stateDir: string;
    readonly configDir: string;
    readonly accountFile: string;
    readonly engine: Engine;
}

/** Pulumi subcommands that read a stack's config file (and so take --config-file). */
const CONFIG_COMMANDS = new Set(["preview", "up", "update", "refresh", "destroy", "import", "config", "watch"]);

/** Variables that would point the CLI, the program or a plugin at the user's real accounts. */
const USER_VARIABLES = [
    /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|SHARED_CREDENTIALS_FILE|CONFIG_FILE|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|ENDPOINT_URL)$/,
    /^PULUMI_(ACCESS_TOKEN|BACKEND_URL|HOME|CONFIG_PASSPHRASE|CONFIG_PASSPHRASE_FILE|API)$/,
];

function timeoutMs(): number {
    const raw = process.env.VECTORA_SANDBOX_TIMEOUT;
    const seconds = raw === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(raw);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
        throw new InputError(`VECTORA_SANDBOX_TIMEOUT=${raw}: expected a number of seconds from 1 to 86400`);
    }
    return seconds * 1000;
}

/** The provider plugin, where the engine looks for `resource-aws` at the SDK's version. */
function installProvider(home: string): void {
    const dir = path.join(home, "plugins", `resource-aws-v${awsProviderVersion()}`);
    fs.mkdirSync(dir, { recursive: true });
    const script = [
        "#!/bin/sh",
        "# The sandbox's simulated AWS provider (sandbox/provider.ts), written by npm run sandbox: not the real pulumi-resource-aws.",
        `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(__dirname, "provider.js"))} "$@"`,
        "",
    ].join("\n");
    const file = path.join(dir, "pulumi-resource-aws");
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== script) {
        fs.writeFileSync(file, script, { mode: 0o755 });
    }
}

/** Opens (and on first use creates) the sandbox of a project, with a CLI of the right version. */
export function openSandbox(root: string, log: (line: string) => void): Sandbox {
    const dir = path.join(root, ".build", "sandbox");
    const sandbox: Sandbox = {
        root,
        project: readProjectName(root),
        dir,
        home: path.join(dir, "home"),
        stateDir: path.join(dir, "state"),
        configDir: path.join(dir, "config"),
        accountFile: path.join(dir, "account.json"),
        engine: ensureEngine(root, log),
    };
    for (const d of [sandbox.home, sandbox.stateDir, sandbox.configDir]) {
        fs.mkdirSync(d, { recursive: true });
    }
    installProvider(sandbox.home);
    return sandbox;
}

/** The environment of every CLI run in the sandbox. */
export function sandboxEnv(sandbox: Sandbox): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!USER_VARIABLES.some((pattern) => pattern.test(k))) {
            env[k] = v;
        }
    }
    return {
        ...env,
        PULUMI_HOME: sandbox.home,
        PULUMI_BACKEND_URL: `file://${sandbox.stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: SANDBOX_PASSPHRASE,
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // The user's own pulumi-resource-aws (or language host) on PATH must not replace the sandbox's.
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // The program runs as the CLI runs it: type-checked by ts-node (Pulumi.yaml says typescript: true), unless
        // the user's own PULUMI_NODEJS_TRANSPILE_ONLY says otherwise, as it would for the real CLI.
        VECTORA_SANDBOX_ACCOUNT: sandbox.accountFile,
        // The program names Pulumi.<stack>.yaml, not the sandbox's copy of it, in its messages.
        VECTORA_SANDBOX_CONFIG_DIR: sandbox.configDir,
    };
}

/** The file backend's state file of a stack. */
export function stackStateFile(sandbox: Sandbox, stack: string): string {
    return path.join(sandbox.stateDir, ".pulumi", "stacks", sandbox.project, `${stack}.json`);
}

/** The salt of a stack's passphrase secrets, as the file backend keeps it. */
function stackSalt(sandbox: Sandbox, stack: string): string | undefined {
    try {
        const state = JSON.parse(fs.readFileSync(stackStateFile(sandbox, stack), "utf8")) as {
            checkpoint?: { latest?: { secrets_providers?: { state?: { salt?: string } } } };
        };
        return state.checkpoint?.latest?.secrets_providers?.state?.salt;
    } catch {
        return undefined;
    }
}

/**
 * Creates the dev, stage and prod stacks on first use. `pulumi stack init` writes the secrets salt into
 * the stack's config file; it runs in a scratch folder so that the repository's files stay as they are.
 */
export function ensureStacks(sandbox: Sandbox): void {
    const missing = ENVIRONMENTS.filter((stack) => !fs.existsSync(stackStateFile(sandbox, stack)));
    if (missing.length === 0) {
        return;
    }
    const scratch = path.join(sandbox.dir, "init");
    fs.mkdirSync(scratch, { recursive: true });
    fs.copyFileSync(path.join(sandbox.root, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
    for (const stack of missing) {
        const result = childProcess.spawnSync(
            sandbox.engine.pulumi,
            [
                "stack",
                "init",
                `${SANDBOX_ORGANIZATION}/${sandbox.project}/${stack}`,
                "--secrets-provider",
                "passphrase",
                "--non-interactive",
            ],
            { cwd: scratch, env: sandboxEnv(sandbox), encoding: "utf8", timeout: 60_000 },
        );
        if (result.status !== 0) {
            throw new Error(
                `sandbox: pulumi stack init ${stack} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
            );
        }
    }
}

/**
 * The sandbox's copy of `Pulumi.<stack>.yaml`: the repository's config, with the stack's secrets salt and,
 * in prod, the stage reference pointed at the sandbox's own stage stack.
 */
export function writeStackConfig(sandbox: Sandbox, stack: string): string {
    const source = path.join(sandbox.root, `Pulumi.${stack}.yaml`);
    let doc: Record<string, unknown> = {};
    if (fs.existsSync(source)) {
        // The program reports a malformed file itself, naming it: pass such a file on untouched.
        const parsed = YAML.parseDocument(fs.readFileSync(source, "utf8"));
        doc =
            parsed.errors.length === 0 && parsed.toJS() && typeof parsed.toJS() === "object"
                ? (parsed.toJS() as Record<string, unknown>)
                : {};
    }
    const config = { ...((doc.config as Record<string, unknown> | undefined) ?? {}) };
    // The gated stacks read the sandbox's own source stack (dev for stage, stage for prod).
    for (const [gated, key, source] of [
        ["stage", "devStack", "dev"],
        ["prod", "stageStack", "stage"],
    ] as const) {
        const qualified = `${sandbox.project}:${key}`;
        if (stack === gated && (qualified in config || key in config)) {
            delete config[key];
            config[qualified] = `${SANDBOX_ORGANIZATION}/${sandbox.project}/${source}`;
        }
    }
    const out: Record<string, unknown> = { ...doc, config };
    const salt = stackSalt(sandbox, stack);
    if (salt) {
        out.encryptionsalt = salt;
    }
    const file = path.join(sandbox.configDir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, `# Written by npm run sandbox from ${path.basename(source)}; edit that file instead.\n${YAML.stringify(out)}`);
    return file;
}

/** The stack a pulumi command line names (`--stack X`, `--stack=X`, `-s X`). */
export function stackOf(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if ((a === "--stack" || a === "-s") && i + 1 < args.length) {
            return args[i + 1];
        }
        if (a.startsWith("--stack=")) {
            return a.slice("--stack=".length);
        }
    }
    return undefined;
}

/** The project folder of a pulumi command line (`--cwd DIR` / `-C DIR`, as pulumi itself takes it). */
export function cwdOf(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        if ((args[i] === "--cwd" || args[i] === "-C") && i + 1 < args.length) {
            return args[i + 1];
        }
        if (args[i].startsWith("--cwd=")) {
            return args[i].slice("--cwd=".length);
        }
    }
    return undefined;
}

/** The subcommand of a pulumi command line (its first word that is not a flag or a flag's value). */
function subcommand(args: readonly string[]): string | undefined {
    return args.find((a) => !a.startsWith("-"));
}

/**
 * The sandbox's copy of the project's files for `pulumi stack ...`: Pulumi.yaml and the sandbox's copy of each
 * stack file, written afresh for every run. `stack rm` deletes the stack's file and `stack rename` renames it
 * (both in the folder the CLI runs in, whatever --config-file says), so these commands run here, never in the
 * checkout.
 */
export function stackProjectCopy(sandbox: Sandbox): string {
    const dir = path.join(sandbox.dir, "project");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(sandbox.root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const stack of ENVIRONMENTS) {
        fs.copyFileSync(writeStackConfig(sandbox, stack), path.join(dir, `Pulumi.${stack}.yaml`));
    }
    return dir;
}

/**
 * The arguments the sandbox's CLI runs with: a command that reads stack config gets the sandbox's copy of
 * that stack's file, so that the CLI never writes its secrets salt into the repository; `stack` commands, which
 * create, delete and rename stack files themselves, run in the sandbox's copy of the project (`--cwd`, given last
 * so that it wins over one the user gave).
 */
export function sandboxArgs(sandbox: Sandbox, args: readonly string[]): string[] {
    const command = subcommand(args);
    if (command === "stack") {
        return [...args, "--cwd", stackProjectCopy(sandbox)];
    }
    if (!command || !CONFIG_COMMANDS.has(command) || args.some((a) => a === "--config-file" || a.startsWith("--config-file="))) {
        return [...args];
    }
    const stack = stackOf(args);
    if (!stack) {
        throw new InputError(
            `npm run sandbox -- ${command}: give --stack <${ENVIRONMENTS.join("|")}> ` +
                `(the sandbox keeps each stack's config apart from your Pulumi.<stack>.yaml)`,
        );
    }
    const name = stack.split("/").pop() as string;
    return [...args, "--config-file", writeStackConfig(sandbox, name)];
}

/**
 * Keeps the repository's stack files as they were around a CLI run, a backstop (the rules are --config-file and
 * the project copy of `stack` commands): a file the CLI rewrote or deleted (`destroy --remove`) is put back.
 */
function guardStackFiles(root: string): () => void {
    const files = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
    const before = new Map(files.map((f) => [f, fs.readFileSync(path.join(root, f))]));
    return () => {
        for (const [f, bytes] of before) {
            const file = path.join(root, f);
            if (!fs.existsSync(file) || !fs.readFileSync(file).equals(bytes)) {
                fs.writeFileSync(file, bytes);
            }
        }
    };
}

/** The sandbox as a PulumiCli, for npm run sandbox and for the workflow commands' --sandbox (sandbox/pulumiForCommands.ts). */
export function sandboxCli(root: string, log: (line: string) => void): PulumiCli {
    const sandbox = openSandbox(root, log);
    ensureStacks(sandbox);
    let restore = guardStackFiles(root);
    return {
        bin: sandbox.engine.pulumi,
        env: sandboxEnv(sandbox),
        label: SANDBOX_PULUMI,
        args: (args) => {
            restore = guardStackFiles(root);
            return sandboxArgs(sandbox, args);
        },
        timeoutMs: timeoutMs(),
        after: () => restore(),
    };
}
