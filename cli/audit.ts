import { InputError } from "../lib/errors";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { packPolicies, runPolicyPack } from "../pulumi/policyRun";
import { readProjectName } from "../pulumi/projectFiles";
import { projectRoot } from "../config/projectRoot";
import { configLabel, countLevels, jsonPolicies, jsonResources, renderOutputs, renderPolicies, renderTree, treeRows } from "./report";
import { StateExport, attributedToStack, auditedStack, readStateExport } from "../pulumi/stateExport";
import { analyzingCli, policyAnalyze } from "../pulumi/policyAnalyze";
import type { PolicyInfo, Violation } from "../pulumi/analyzerClient";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GATES, PACK_CONFIG_FILE, gateWeakenings, isGated, ownStack, readPolicyConfig } from "../policy/contract/pins";
import { stackTags } from "./smokeRecord";
import { OFFLINE_EXPORTS_VARIABLE } from "../policy/contract/stackState";
import type { PulumiCli } from "../pulumi/pulumiCli";
import { pinnedStack } from "../pulumi/sourceState";
import { exportStack, readExportFile } from "../pulumi/stackExports";
import { pulumiFor } from "./sandboxFlag";
import { deployedFrom, promotionNote } from "./artifactTable";
import { packDirFlag, policyConfigFlag } from "./packArgs";
import { toDisplay } from "../pulumi/wire";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { policyReportText } from "./formats/policyReport";

const USAGE =
    "npm run audit -- (--state FILE | --stack <dev|stage|prod> [--sandbox]) [--live | --source-state FILE] " +
    "[--format text|json|sarif|junit] [--output FILE] [--json] " +
    "[--policy-pack DIR] [--policy-pack-config FILE] [--cwd DIR]";

const FLAGS = {
    state: { type: "string" },
    stack: { type: "string" },
    sandbox: { type: "boolean", default: false },
    live: { type: "boolean", default: false },
    "source-state": { type: "string" },
    ...REPORT_FLAGS,
    "policy-pack": { type: "string" },
    "policy-pack-config": { type: "string" },
    cwd: { type: "string" },
} as const;

/**
 * `npm run audit`: runs the policy pack over what a stack's exported state says is deployed (a file, or the stack
 * read now with the CLI): Analyze on each resource's inputs, AnalyzeStack on the outputs. This is how the team
 * finds what the incident left in an existing stack, and a deploy made past the gate: prod's resources (Lambda's
 * own code hashes) against what its gate recorded, and with `--live` against what stage runs now. Exit 0 / 1
 * (mandatory violation) / 2 (bad input).
 */
export async function audit(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    if (!flags.state && !flags.stack) {
        throw new InputError(
            `missing --state FILE (the output of pulumi stack export) or --stack <env> (read with the CLI); usage: ${USAGE}`,
        );
    }
    if (flags.live && flags["source-state"] !== undefined) {
        throw new InputError(`--live reads the source stack now, --source-state reads it from a file: give one of them; usage: ${USAGE}`);
    }
    const root = projectRoot(flags.cwd);
    const project = readProjectName(root);
    const packDir = packDirFlag(root, flags["policy-pack"]);
    const configFile = policyConfigFlag(packDir, flags["policy-pack-config"]);
    const format = reportFormat(flags);
    const output = outputFile(flags.output);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "vectora-audit-"));
    try {
        let pulumi: PulumiCli | undefined;
        const cli = (why: string) => (pulumi ??= pulumiFor(flags.sandbox, root, io, why));
        let stateFile = flags.state;
        if (stateFile === undefined) {
            const stack = flags.stack as string;
            stateFile = path.join(work, `${stack}.export.json`);
            fs.writeFileSync(stateFile, JSON.stringify(exportStack(cli(`audit --stack ${stack} reads its state through it`), stack, root)));
        }
        const state = readStateExport(stateFile, project, flags.stack);
        const gate = await gateSource(state.stack, { live: flags.live, sourceState: flags["source-state"] }, packDir, project, work, cli);
        const effectiveConfig = gate.disable ? withGatesDisabled(configFile, gate.disable, work) : configFile;
        const evaluated = await evaluate(state, stateFile, packDir, effectiveConfig, root, gate.env);
        // The reports describe every rule; `pulumi policy analyze` prints verdicts only, so the pack is asked for them.
        const policies =
            evaluated.policies ?? (format === "sarif" || format === "junit" ? await packPolicies(packDir, effectiveConfig) : []);
        const weakened = configFile ? weakenedGate(configFile, packDir) : [];
        const notes = [...gate.notes, ...weakened.map((w) => `the config in force weakens the promotion gate: ${w}`), ...evaluated.notes];
        const shown = flags.state ?? `stack ${flags.stack}, read now`;
        const policy = { ...evaluated, policies, notes };
        return report(io, { format, output, state, shown, policy, configFile, packDir, root });
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/** What the audit prints or writes, in the format asked; the exit code follows the mandatory violations. */
function report(
    io: Io,
    run: {
        format: ReturnType<typeof reportFormat>;
        output: string | undefined;
        state: StateExport;
        /** Where the state came from, as the report names it. */
        shown: string;
        policy: {
            pack: { name: string; version: string };
            policies: readonly PolicyInfo[];
            violations: Violation[];
            evaluatedBy: string;
            notes: string[];
        };
        configFile: string | undefined;
        packDir: string;
        root: string;
    },
): number {
    const { format, output, state, policy, configFile, packDir, root } = run;
    const flags = { state: run.shown };
    const counts = countLevels(policy.violations);
    const cwd = process.cwd();
    let text: string;
    const promotion = promotionNote(state.outputs);
    const promotionNotes = promotion ? [`this stack was ${promotion}`] : [];
    if (format === "sarif" || format === "junit") {
        const subject = { project: state.project, stack: state.stack, resources: state.resources };
        text = policyReportText(format, { command: "audit", root, packDir, run: policy, ...subject });
    } else if (format === "json") {
        const document = {
            formatVersion: JSON_FORMAT_VERSION,
            stack: state.stack,
            project: state.project,
            source: { state: flags.state, exportedAt: state.exportedAt ?? null },
            deployedFrom: deployedFrom(state.outputs),
            evaluatedBy: policy.evaluatedBy,
            notes: [...state.notes, ...policy.notes, ...promotionNotes],
            resources: jsonResources(state.resources, cwd, root),
            outputs: toDisplay(state.outputs, cwd, root),
            ...jsonPolicies(policy.pack, configFile, root, policy.violations),
        };
        text = `${JSON.stringify(document, null, 2)}\n`;
    } else {
        const rows = treeRows(state.resources);
        const exported = state.exportedAt ? ` (exported ${state.exportedAt})` : "";
        text = `Auditing ${state.project}/${state.stack} from ${flags.state}${exported}\n\n`;
        text += renderTree(rows, " ");
        text += `\nResources: ${rows.length} in the state\n`;
        text += `Deployed from: ${deployedFrom(state.outputs)}\n`;
        text += `Evaluated by: ${policy.evaluatedBy}\n`;
        for (const note of [...state.notes, ...policy.notes, ...promotionNotes]) {
            text += `Note: ${note}\n`;
        }
        text += `\nOutputs:\n${renderOutputs(toDisplay(state.outputs, cwd, root) as Record<string, unknown>)}`;
        text += renderPolicies(policy.pack, configLabel(root, configFile), policy.violations);
    }
    emitReport(
        io,
        text,
        output,
        `Audit of ${state.project}/${state.stack}: ${counts.mandatory} mandatory, ${counts.advisory} advisory violation(s)`,
    );
    return counts.mandatory > 0 ? EXIT.blocked : EXIT.ok;
}

/** Where the promotion gate of an audited stage or prod finds its source: a file, the stack now, or nowhere. */
async function gateSource(
    stack: string,
    flags: { readonly live: boolean; readonly sourceState?: string },
    packDir: string,
    project: string,
    work: string,
    cli: (why: string) => PulumiCli,
): Promise<{ env: Record<string, string>; disable?: readonly string[]; notes: string[] }> {
    if (!isGated(stack)) {
        if (flags.live || flags.sourceState !== undefined) {
            throw new InputError(`${stack} has no promotion gate: --live and --source-state are for stage and prod`);
        }
        return { env: {}, notes: [] };
    }
    const source = GATES[stack].source;
    const pinned = pinnedStack(packDir, stack);
    // The tests and the soak are read from the stacks' tags, which only a live read has.
    const tagged = ["vectora-promotion-tested", "vectora-promotion-stage-soak"];
    const untagged =
        `not checked: ${tagged.join(" and ")} (the smoke tests and exceptions are tags of ${pinned} and of ${stack}); ` +
        `pass --live to read them now`;
    let doc: Record<string, unknown>;
    if (flags.sourceState !== undefined) {
        doc = readExportFile(flags.sourceState, project, source, "--source-state");
    } else if (flags.live) {
        const live = cli(`audit --live reads ${source} now through it`);
        const root = path.dirname(packDir);
        doc = exportStack(live, pinned, root);
        const own = ownStack(stack, pinned);
        fs.writeFileSync(path.join(work, "source.export.json"), JSON.stringify(doc));
        fs.writeFileSync(path.join(work, "source.tags.json"), JSON.stringify(stackTags(live, pinned, root)));
        fs.writeFileSync(path.join(work, "own.tags.json"), JSON.stringify(stackTags(live, own, root)));
        const map = { [pinned]: { export: "source.export.json", tags: "source.tags.json" }, [own]: { tags: "own.tags.json" } };
        fs.writeFileSync(path.join(work, "exports.json"), JSON.stringify(map));
        return { env: { [OFFLINE_EXPORTS_VARIABLE]: path.join(work, "exports.json") }, notes: [] };
    } else {
        return {
            env: {},
            disable: [GATES[stack].policy, ...tagged],
            notes: [
                `not checked: ${GATES[stack].policy} (${stack} against what ${source} runs); pass --live to read ${pinned} now, or ` +
                    `--source-state FILE (pulumi stack export --stack ${source})`,
                untagged,
            ],
        };
    }
    fs.writeFileSync(path.join(work, "source.export.json"), JSON.stringify(doc));
    fs.writeFileSync(path.join(work, "exports.json"), JSON.stringify({ [pinned]: "source.export.json" }));
    return { env: { [OFFLINE_EXPORTS_VARIABLE]: path.join(work, "exports.json") }, disable: tagged, notes: [untagged] };
}

/** A copy of the config with some policies disabled, for what this audit cannot check. */
function withGatesDisabled(configFile: string | undefined, policies: readonly string[], work: string): string {
    const doc = configFile ? readPolicyConfig(configFile) : {};
    const base = typeof doc === "string" ? {} : doc;
    const file = path.join(work, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify({ ...base, ...Object.fromEntries(policies.map((p) => [p, "disabled"])) }));
    return file;
}

/** How a config weakens the gate against the pack's own (an audit shows what a deploy ran with). */
function weakenedGate(configFile: string, packDir: string): string[] {
    const doc = readPolicyConfig(configFile);
    const shipped = readPolicyConfig(path.join(packDir, PACK_CONFIG_FILE));
    return typeof doc === "string" || typeof shipped === "string" ? [] : gateWeakenings(doc, shipped, configFile);
}

/**
 * The pack's verdicts on an export: from the real engine (`pulumi policy analyze --file`) when this machine has a
 * CLI that can, else from the pack driven over its protocol here (the CLI's own way of calling it), which a test
 * holds to the same verdicts on every export fixture and on the sandbox's real exports.
 */
async function evaluate(
    state: StateExport,
    file: string,
    packDir: string,
    configFile: string | undefined,
    root: string,
    env: Readonly<Record<string, string>>,
): Promise<{
    pack: { name: string; version: string };
    policies?: readonly PolicyInfo[];
    violations: Violation[];
    evaluatedBy: string;
    notes: string[];
}> {
    const encrypted = (how: string) =>
        state.encryptedSecrets > 0
            ? [`${state.encryptedSecrets} secret value(s) are encrypted and were ${how}; export with --show-secrets to check them`]
            : [];
    const cli = analyzingCli(root);
    if (cli) {
        const analyzed = policyAnalyze(cli, path.resolve(file), packDir, configFile, root, env);
        // The CLI's own warning about secrets it could not decrypt says what the note says.
        const warnings = analyzed.warnings.filter((w) => !w.startsWith("could not decrypt secrets"));
        const notes = [...encrypted('analysed as "[secret]" (pulumi policy analyze redacts them)'), ...warnings];
        return { ...analyzed, evaluatedBy: `pulumi v${cli.version} policy analyze --file`, notes };
    }
    const run = await runPolicyPack(auditedStack(state), { packDir, configFile, env });
    const evaluatedBy = "the policy pack over its protocol, as the CLI calls it (no Pulumi CLI v3.249 or later on this machine)";
    return {
        pack: run.pack,
        policies: run.policies,
        violations: attributedToStack(state, run.violations),
        evaluatedBy,
        notes: encrypted("treated as unknown"),
    };
}

if (require.main === module) {
    runMain(audit);
}
