import { InputError } from "../lib/errors";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { packPolicies, runPolicyPack } from "../pulumi/policyRun";
import { readProjectName } from "../pulumi/projectFiles";
import { projectRoot } from "../config/projectRoot";
import { configLabel, countLevels, jsonPolicies, jsonResources, renderOutputs, renderPolicies, renderTree, treeRows } from "./report";
import { StateExport, attributedToStack, auditedStack, readStateExport } from "../pulumi/stateExport";
import { analyzingCli, policyAnalyze } from "../pulumi/policyAnalyze";
import type { PolicyInfo, Violation } from "../pulumi/analyzerClient";
import * as path from "path";
import { deployedFrom } from "./artifactTable";
import { packDirFlag, policyConfigFlag } from "./packArgs";
import { toDisplay } from "../pulumi/wire";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { policyReportText } from "./formats/policyReport";

const USAGE =
    "npm run audit -- --state FILE [--stack <dev|stage|prod>] [--format text|json|sarif|junit] [--output FILE] [--json] " +
    "[--policy-pack DIR] [--policy-pack-config FILE] [--cwd DIR]";

const FLAGS = {
    state: { type: "string" },
    stack: { type: "string" },
    ...REPORT_FLAGS,
    "policy-pack": { type: "string" },
    "policy-pack-config": { type: "string" },
    cwd: { type: "string" },
} as const;

/**
 * `npm run audit`: runs the policy pack, through the analyzer protocol, over what a stack's exported state
 * says is deployed: Analyze on each resource's inputs, AnalyzeStack on the outputs. This is how the team
 * finds what the incident left in an existing stack. Exit 0 / 1 (mandatory violation) / 2 (bad input).
 */
export async function audit(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    if (!flags.state) {
        throw new InputError(`missing --state FILE (the output of pulumi stack export); usage: ${USAGE}`);
    }
    const root = projectRoot(flags.cwd);
    const packDir = packDirFlag(root, flags["policy-pack"]);
    const configFile = policyConfigFlag(packDir, flags["policy-pack-config"]);
    const format = reportFormat(flags);
    const output = outputFile(flags.output);
    const state = readStateExport(flags.state, readProjectName(root), flags.stack);
    const evaluated = await evaluate(state, flags.state, packDir, configFile, root);
    // The reports describe every rule; `pulumi policy analyze` prints verdicts only, so the pack is asked for them.
    const policies = evaluated.policies ?? (format === "sarif" || format === "junit" ? await packPolicies(packDir, configFile) : []);
    const policy = { ...evaluated, policies };
    const counts = countLevels(policy.violations);
    const cwd = process.cwd();
    let text: string;
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
            notes: [...state.notes, ...policy.notes],
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
        for (const note of [...state.notes, ...policy.notes]) {
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
        const analyzed = policyAnalyze(cli, path.resolve(file), packDir, configFile, root);
        // The CLI's own warning about secrets it could not decrypt says what the note says.
        const warnings = analyzed.warnings.filter((w) => !w.startsWith("could not decrypt secrets"));
        const notes = [...encrypted('analysed as "[secret]" (pulumi policy analyze redacts them)'), ...warnings];
        return { ...analyzed, evaluatedBy: `pulumi v${cli.version} policy analyze --file`, notes };
    }
    const run = await runPolicyPack(auditedStack(state), { packDir, configFile });
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
