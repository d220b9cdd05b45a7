import * as childProcess from "child_process";
import * as fs from "fs";
import { pinnedClock } from "./pack";
import { testedTags } from "./stackExports";
import * as path from "path";
import { ensureEngine } from "../../pulumi/cliBuild";
import { AccountState } from "../../sandbox/account";
import { copyCheckout } from "../../sandbox/checkoutCopy";
import { openSandbox, sandboxArgs, sandboxEnv } from "../../sandbox/workspace";
import { REPO, tempDir } from "./fixtures";
import type { Json } from "./io";

/**
 * The real engine for the tests: a sandboxed copy of this repository, driven through `npm run sandbox`'s own
 * entry point, and the CLI's own machine-readable output (its streaming JSON events) as the verdict.
 */

export const PACK = path.join(REPO, "policy");
export const PACK_ARGS = ["--policy-pack", PACK, "--policy-pack-config", path.join(PACK, "policy-config.json")];
const SANDBOX_JS = path.join(REPO, ".build", "sandbox", "pulumiCommand.js");
const TAMPER_JS = path.join(REPO, ".build", "sandbox", "tamperCommand.js");

/**
 * The CLI, found or built once per test run. Without a matching pulumi and without Go this throws one line
 * that says what is missing: the engine tests then fail, they are never skipped.
 */
export function requireEngine(): void {
    ensureEngine(REPO, (line) => process.stderr.write(`      (engine) ${line}\n`));
    // npm test type-checks the program with tsc before any engine test: its runs here skip ts-node's second check
    // with the CLI's own switch (@pulumi/pulumi cmd/run), about 13 s a run on 2 cores. The sandbox itself checks
    // types as the real CLI does; test/engine/programChecks.test.ts proves it with the switch off.
    process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
}

/** A copy of this checkout in a temporary folder, with its own sandbox (backend, account) and build folder. */
export function sandboxProject(): string {
    return copyCheckout(REPO, tempDir("vectora-engine-"));
}

export interface Run {
    readonly code: number;
    readonly out: string;
    readonly err: string;
}

function node(script: string, root: string, args: readonly string[], env: NodeJS.ProcessEnv): Run {
    const result = childProcess.spawnSync(process.execPath, [script, ...args], {
        cwd: root,
        env: { ...process.env, ...env },
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        timeout: 600_000,
    });
    return { code: result.status ?? 1, out: result.stdout, err: result.stderr };
}

/** `npm run sandbox -- <args>` in a project. */
export function sandbox(root: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
    return node(SANDBOX_JS, root, args, env);
}

/**
 * A Pulumi executable (`exe`, the sandbox's own CLI by default) run directly in a project's sandbox, with its
 * environment and config file, but without `npm run sandbox`'s wrapper (which re-creates missing stacks): as an
 * attacker with the same backend and a CLI of their own would run it. `env` values of "" unset a variable.
 */
export function rawCli(root: string, args: readonly string[], options: { exe?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Run {
    const box = openSandbox(root, () => undefined);
    const env: NodeJS.ProcessEnv = { ...sandboxEnv(box) };
    for (const [k, v] of Object.entries(options.env ?? {})) {
        if (v === "") {
            delete env[k];
        } else {
            env[k] = v;
        }
    }
    const result = childProcess.spawnSync(options.exe ?? box.engine.pulumi, sandboxArgs(box, args), {
        cwd: options.cwd ?? root,
        env,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        timeout: 600_000,
    });
    return { code: result.status ?? 1, out: result.stdout, err: result.stderr };
}

/** The Pulumi executable a project's sandbox runs. */
export function sandboxPulumi(root: string): string {
    return openSandbox(root, () => undefined).engine.pulumi;
}

/** `npm run sandbox:tamper -- <args>` in a project. */
export function tamper(root: string, args: readonly string[]): Run {
    return node(TAMPER_JS, root, args, {});
}

/** A resource the engine stepped on, from its events. */
export interface EngineResource {
    readonly urn: string;
    readonly type: string;
    readonly parent: string;
    readonly op: string;
    /** Its inputs in the wire form, after the provider's Check. */
    readonly inputs: Record<string, unknown>;
}

/** A policy violation the CLI reported. */
export interface EngineViolation {
    readonly policy: string;
    readonly level: string;
    readonly urn: string;
    readonly message: string;
}

/** What one CLI run reported, from its streaming JSON events. */
export interface EngineReport {
    readonly resources: EngineResource[];
    readonly violations: EngineViolation[];
    readonly result?: string;
    readonly changes: Record<string, number>;
}

/** Parses the CLI's streaming JSON events (`PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json`). */
export function engineReport(out: string): EngineReport {
    const resources = new Map<string, EngineResource>();
    const violations: EngineViolation[] = [];
    let result: string | undefined;
    let changes: Record<string, number> = {};
    for (const line of out.split("\n")) {
        if (!line.startsWith("{")) {
            continue;
        }
        const event: Json = JSON.parse(line);
        const pre = event.resourcePreEvent?.metadata;
        if (pre) {
            const state = pre.new ?? pre.old ?? {};
            resources.set(pre.urn, { urn: pre.urn, type: pre.type, parent: state.parent ?? "", op: pre.op, inputs: state.inputs ?? {} });
        }
        const policy = event.policyEvent;
        if (policy) {
            const message =
                String(policy.message)
                    .split("\n")
                    .filter((l) => l !== "")
                    .pop() ?? "";
            violations.push({ policy: policy.policyName, level: policy.enforcementLevel, urn: policy.resourceUrn, message });
        }
        if (event.summaryEvent) {
            result = event.summaryEvent.result;
            changes = event.summaryEvent.resourceChanges ?? {};
        }
    }
    return { resources: [...resources.values()], violations, result, changes };
}

/** A preview through the real CLI, with its report. */
export function enginePreview(
    root: string,
    stack: string,
    extra: readonly string[] = [],
    env: NodeJS.ProcessEnv = {},
): Run & { report: EngineReport } {
    const run = sandbox(root, ["preview", "--stack", stack, ...PACK_ARGS, "--json", ...extra], {
        PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
        ...soaked(stack),
        ...env,
    });
    return { ...run, report: engineReport(run.out) };
}

/**
 * An up through the real CLI (streaming JSON events too). For tests about something else than the tests and the
 * soak, a dev or stage that deployed is attested as `npm run smoke` would (attestDeployed), and prod runs with its
 * clock 15 days ahead (stage has soaked); `asIs` leaves both out (the chain test does them for real).
 */
export function engineUp(
    root: string,
    stack: string,
    extra: readonly string[] = [],
    env: NodeJS.ProcessEnv = {},
    asIs = false,
): Run & { report: EngineReport } {
    const run = sandbox(root, ["up", "--stack", stack, ...PACK_ARGS, "--yes", "--json", ...extra], {
        PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
        ...(asIs ? {} : soaked(stack)),
        ...env,
    });
    if (run.code === 0 && !asIs && stack !== "prod") {
        attestDeployed(root, stack);
    }
    return { ...run, report: engineReport(run.out) };
}

/** Fifteen days from now: a prod run with this clock finds that stage has soaked. */
export const SOAKED = new Date(Date.now() + 15 * 24 * 60 * 60 * 1000).toISOString();

/** The environment of a prod run whose Node processes (program, pack, provider) live 15 days ahead. */
export function soaked(stack: string): NodeJS.ProcessEnv {
    return stack === "prod" ? pinnedClock(SOAKED) : {};
}

/** A stack's tags (its smoke attestations), as `pulumi stack tag ls --json` prints them, in a file of the project. */
export function stackTagsFile(root: string, stack: string): string {
    const tags = sandbox(root, ["stack", "tag", "ls", "--stack", stack, "--json"]);
    if (tags.code !== 0) {
        throw new Error(`stackTagsFile: ${tail(tags)}`);
    }
    const file = path.join(root, ".build", `${stack}.tags.json`);
    fs.writeFileSync(file, tags.out);
    return file;
}

/**
 * Records on a deployed stack the attestation a passing `npm run smoke` would (its tags, through the sandbox's CLI),
 * for the engine tests whose subject is not the smoke test itself.
 */
export function attestDeployed(root: string, stack: string): void {
    const exported = sandbox(root, ["stack", "export", "--stack", stack]);
    if (exported.code !== 0) {
        throw new Error(`attestDeployed: ${tail(exported)}`);
    }
    for (const [name, value] of Object.entries(testedTags(JSON.parse(exported.out), `organization/vectora-inbox/${stack}`))) {
        const set = sandbox(root, ["stack", "tag", "set", name, value, "--stack", stack]);
        if (set.code !== 0) {
            throw new Error(`attestDeployed: ${tail(set)}`);
        }
    }
}

/**
 * Keeps a copy of a project's sandbox (the backend with the stacks' states and tags, the simulated account and its
 * blobs) and returns what puts it back: a case that deploys leaves the cases after it the stacks as they were
 * without deploying them again (an up of dev and stage is about a minute on 2 cores).
 */
export function checkpoint(root: string): () => void {
    const dir = path.join(root, ".build", "sandbox");
    const parts = ["state", "account.json", "blobs"].filter((p) => fs.existsSync(path.join(dir, p)));
    const copy = tempDir("vectora-checkpoint-");
    for (const part of parts) {
        fs.cpSync(path.join(dir, part), path.join(copy, part), { recursive: true });
    }
    return () => {
        for (const part of ["state", "account.json", "blobs"]) {
            fs.rmSync(path.join(dir, part), { recursive: true, force: true });
        }
        for (const part of parts) {
            fs.cpSync(path.join(copy, part), path.join(dir, part), { recursive: true });
        }
    };
}

/** The sandbox's simulated account of a project. */
export function account(root: string): AccountState {
    const file = path.join(root, ".build", "sandbox", "account.json");
    return fs.existsSync(file)
        ? (JSON.parse(fs.readFileSync(file, "utf8")) as AccountState)
        : { format: 1, layers: {}, objects: {}, objectVersions: {}, resources: {} };
}

/** Resources of one stack in the simulated account. */
export function accountResources(root: string, stack: string): Array<{ type: string; id: string }> {
    return Object.values(account(root).resources).filter((r) => r.stack === stack);
}

/** Why a run failed, for assertion messages: the last lines of both streams. */
export function tail(run: Run): string {
    const lines = `${run.err}\n${run.out}`.split("\n").filter((l) => l.trim() !== "");
    // A --json run ends in engine bookkeeping; the policy verdicts and errors that explain a failure come earlier.
    const findings = lines.filter(
        (l) => l.includes('"policyEvent"') || (l.includes('"diagnosticEvent"') && l.includes('"severity":"error"')),
    );
    const clip = (l: string) => (l.length > 1500 ? `${l.slice(0, 1500)}...` : l);
    return [...findings.slice(0, 10), ...lines.slice(-15)].map(clip).join("\n");
}
