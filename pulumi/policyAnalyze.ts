import * as childProcess from "child_process";
import { InputError, oneLine } from "../lib/errors";
import { findEngine, pulumiVersion } from "./cliBuild";
import { onPath } from "../lib/executables";
import type { Violation } from "./analyzerClient";
import { isRecord } from "../policy/contract/records";

/**
 * `pulumi policy analyze --file`: the real engine runs a policy pack over a stack export, offline, with no backend
 * login (pulumi/pulumi#23664, v3.249): Analyze on every resource's inputs and AnalyzeStack on the outputs, reads
 * included (pkg/resource/deploy/analyze_snapshot.go, AnalyzeSnapshot), exit non-zero on a mandatory violation.
 */

/** The first CLI release with `policy analyze --file`. */
const FIRST_WITH_FILE = [3, 249, 0];

/** What the engine said about an export. */
export interface AnalyzeResult {
    readonly pack: { readonly name: string; readonly version: string };
    readonly violations: Violation[];
    /** What the CLI warned about (secrets it could not decrypt and analysed redacted, for example). */
    readonly warnings: string[];
}

function atLeast(version: string, minimum: readonly number[]): boolean {
    const v = version.split(/[.+-]/).map(Number);
    for (let i = 0; i < 3; i++) {
        if (v[i] !== minimum[i]) {
            return v[i] > minimum[i];
        }
    }
    return true;
}

/**
 * A Pulumi CLI that can analyse an export: the one the checkout pins when this machine has it (built for the
 * sandbox, or on PATH), else any `pulumi` on PATH from v3.249 on. Undefined when there is none: nothing is built
 * for an audit.
 */
export function analyzingCli(root: string): { bin: string; version: string } | undefined {
    const pinned = findEngine(root);
    if (pinned) {
        return { bin: pinned.pulumi, version: pinned.version };
    }
    const ambient = onPath("pulumi");
    const version = ambient ? pulumiVersion(ambient) : undefined;
    return ambient && version && atLeast(version, FIRST_WITH_FILE) ? { bin: ambient, version } : undefined;
}

/** The violations of the CLI's `--json` events: one `policyEvent` per violation, the packs in the summary. */
export function parseAnalyzeEvents(out: string): { pack?: { name: string; version: string }; violations: Violation[] } {
    const violations: Violation[] = [];
    let pack: { name: string; version: string } | undefined;
    for (const line of out.split("\n").filter((l) => l.startsWith("{"))) {
        const event = JSON.parse(line) as Record<string, unknown>;
        const policy = event.policyEvent;
        if (isRecord(policy)) {
            // The engine prefixes the policy's description to its message: the message is the last line.
            const message =
                String(policy.message ?? "")
                    .split("\n")
                    .filter((l) => l.trim() !== "")
                    .pop() ?? "";
            violations.push({
                policy: String(policy.policyName),
                level: String(policy.enforcementLevel) as Violation["level"],
                message,
                urn: typeof policy.resourceUrn === "string" && policy.resourceUrn !== "" ? policy.resourceUrn : undefined,
            });
        }
        const summary = event.summaryEvent;
        if (isRecord(summary) && isRecord(summary.PolicyPacks)) {
            const [name, version] = Object.entries(summary.PolicyPacks)[0] ?? [];
            pack = name === undefined ? undefined : { name: name.split("|")[0], version: String(version) };
        }
    }
    return { pack, violations };
}

/**
 * Runs `pulumi policy analyze --file <export> --policy-pack <dir> [--policy-pack-config <file>] --json`.
 *
 * @param cli the CLI to run (analyzingCli)
 * @param exportFile the output of `pulumi stack export`
 * @param packDir the policy pack folder
 * @param configFile a `--policy-pack-config` file
 * @param cwd where the CLI runs (the project folder)
 * @param env variables added to the CLI's environment, which the pack inherits (the promotion gate's source state)
 */
export function policyAnalyze(
    cli: { bin: string },
    exportFile: string,
    packDir: string,
    configFile: string | undefined,
    cwd: string,
    env: Readonly<Record<string, string>> = {},
): AnalyzeResult {
    const args = ["policy", "analyze", "--file", exportFile, "--policy-pack", packDir, "--json"];
    if (configFile) {
        args.push("--policy-pack-config", configFile);
    }
    const run = childProcess.spawnSync(cli.bin, args, {
        cwd,
        env: { ...process.env, ...env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" },
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        timeout: 600_000,
    });
    const { pack, violations } = parseAnalyzeEvents(run.stdout ?? "");
    const stderr = (run.stderr ?? "").split("\n").filter((l) => l.trim() !== "");
    if (!pack) {
        // No summary: the analysis itself failed (a pack that does not start, an unreadable export).
        const why = stderr.filter((l) => l.startsWith("error:")).pop() ?? stderr.pop() ?? run.error?.message ?? `exit ${run.status}`;
        throw new InputError(`pulumi policy analyze --file ${exportFile} failed: ${oneLine(why)}`);
    }
    const warnings = stderr.filter((l) => l.startsWith("warning:")).map((l) => l.replace(/^warning:\s*/, ""));
    return { pack, violations, warnings };
}
