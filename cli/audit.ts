import { InputError } from "../lib/errors";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { runPolicyPack } from "../pulumi/policyRun";
import { readProjectName } from "../pulumi/projectFiles";
import { projectRoot } from "../config/projectRoot";
import { configLabel, countLevels, jsonPolicies, jsonResources, renderOutputs, renderPolicies, renderTree, treeRows } from "./report";
import { readStateExport } from "../pulumi/stateExport";
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
    const policy = await runPolicyPack(
        {
            project: state.project,
            stack: state.stack,
            organization: "organization",
            dryRun: false,
            config: {},
            cwd: process.cwd(),
            resources: state.resources,
        },
        { packDir, configFile },
    );
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
            notes: state.notes,
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
        for (const note of state.notes) {
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

if (require.main === module) {
    runMain(audit);
}
