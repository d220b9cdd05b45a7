import { shortSha } from "../policy/contract/layerDescription";
import { InputError } from "../lib/errors";
import { readBuildManifestSummary } from "./buildSummary";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { ENVIRONMENTS, isEnv } from "../policy/contract/naming";
import { packDirFlag, policyConfigFlag } from "./packArgs";
import { projectRoot } from "../config/projectRoot";
import { SIMULATED_ACCOUNT } from "../simulation/simulatedCloud";
import { GATES, isGated } from "../policy/contract/pins";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { policyReportText } from "./formats/policyReport";

const USAGE =
    "npm run preview -- --stack <dev|stage|prod> [--format text|json|sarif|junit] [--output FILE] [--json] [--source-state FILE] " +
    "[--source-tags FILE] [--policy-pack DIR] [--policy-pack-config FILE] [--policy-timeout SECONDS] [--cwd DIR]";

const FLAGS = {
    stack: { type: "string" },
    ...REPORT_FLAGS,
    "source-state": { type: "string" },
    "source-tags": { type: "string" },
    "policy-pack": { type: "string" },
    "policy-pack-config": { type: "string" },
    "policy-timeout": { type: "string" },
    cwd: { type: "string" },
} as const;

/** The policy call timeout the CLI allows, in seconds: past an hour a hung pack only hides the hang. */
const POLICY_TIMEOUT = { min: 1, max: 3600, fallback: 60 } as const;

/** `--policy-timeout` in milliseconds: a plain decimal number of seconds within POLICY_TIMEOUT. */
function policyTimeoutMs(value: string | undefined): number {
    if (value === undefined) {
        return POLICY_TIMEOUT.fallback * 1000;
    }
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(n >= POLICY_TIMEOUT.min && n <= POLICY_TIMEOUT.max)) {
        throw new InputError(`--policy-timeout ${value}: expected a number of seconds from ${POLICY_TIMEOUT.min} to ${POLICY_TIMEOUT.max}`);
    }
    return n * 1000;
}

/**
 * `npm run preview`: runs the Pulumi program for one stack in-process under mocks (no CLI, no AWS), then
 * runs the policy pack over it through the analyzer protocol, as `pulumi preview --policy-pack` would.
 * Exit 0 when no mandatory policy is violated, 1 when one is, 2 on bad input.
 */
export async function preview(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    if (!flags.stack) {
        throw new InputError(`missing --stack; usage: ${USAGE}`);
    }
    const stack = flags.stack;
    if (!isEnv(stack)) {
        throw new InputError(`unknown stack "${stack}"; expected one of ${ENVIRONMENTS.join(", ")}`);
    }
    const root = projectRoot(flags.cwd);
    const packDir = packDirFlag(root, flags["policy-pack"]);
    const configFile = policyConfigFlag(packDir, flags["policy-pack-config"]);
    const callTimeoutMs = policyTimeoutMs(flags["policy-timeout"]);
    const format = reportFormat(flags);
    const output = outputFile(flags.output);
    if (flags["source-tags"] !== undefined && flags["source-state"] === undefined) {
        throw new InputError(`--source-tags goes with --source-state (the tags of the stack that export comes from)`);
    }
    if (flags["source-state"] !== undefined && !isGated(stack)) {
        throw new InputError(
            `--source-state is for --stack stage or prod (their promotion gate reads dev or stage); dev has no gate, got --stack ${stack}`,
        );
    }
    // Loaded only now: the Pulumi SDK and gRPC take 0.6 s to load, and bad flags should answer at once.
    const [
        { program },
        { evaluateStack, evaluationToCheck, exportOfEvaluation },
        { runPolicyPack },
        report,
        { toDisplay },
        sourceState,
        { readProjectName },
    ] = await Promise.all([
        import("../program"),
        import("../simulation/evaluate"),
        import("../pulumi/policyRun"),
        import("./report"),
        import("../pulumi/wire"),
        import("../pulumi/sourceState"),
        import("../pulumi/projectFiles"),
    ]);
    const { countLevels, jsonPolicies, jsonResources, renderOutputs, renderPolicies, renderTree, treeRows } = report;

    const warn = (message: string) => io.err(`warning: ${message}\n`);
    // Stage and prod: the gate reads the source stack's state; offline, a given export or a simulated deploy of this commit.
    const source = isGated(stack)
        ? await sourceState.offlineSource(
              stack,
              readProjectName(root),
              packDir,
              flags["source-state"],
              async () =>
                  exportOfEvaluation(
                      await evaluateStack({
                          root,
                          stack: GATES[stack].source,
                          preview: true,
                          asDeployed: true,
                          program: () => program({ root, warn: () => undefined, ...sourceState.simulatedSourceOptions() }),
                      }),
                  ),
              flags["source-tags"],
          )
        : undefined;
    let ev;
    let policy;
    try {
        ev = await evaluateStack({
            root,
            stack,
            preview: true,
            program: () => program({ root, warn, readEvidence: source?.readEvidence, readTags: source?.readTags }),
        });
        policy = await runPolicyPack(evaluationToCheck(ev, true), { packDir, configFile, callTimeoutMs, env: source?.packEnv });
    } finally {
        source?.dispose();
    }
    const counts = countLevels(policy.violations);
    const build = readBuildManifestSummary(root);
    const cwd = process.cwd();

    let text: string;
    if (format === "sarif" || format === "junit") {
        const subject = { project: ev.project, stack: ev.stack, resources: ev.resources };
        text = policyReportText(format, { command: "preview", root, packDir, run: policy, ...subject });
    } else if (format === "json") {
        const document = {
            formatVersion: JSON_FORMAT_VERSION,
            stack: ev.stack,
            project: ev.project,
            offline: { mocks: true, simulatedAccount: SIMULATED_ACCOUNT },
            ...(source ? { sourceState: { stack: source.stack, source: source.description } } : {}),
            build,
            resources: jsonResources(ev.resources, cwd, root),
            outputs: toDisplay(ev.outputs, cwd, root),
            ...jsonPolicies(policy.pack, configFile, root, policy.violations),
        };
        text = `${JSON.stringify(document, null, 2)}\n`;
    } else {
        const outputs = toDisplay(ev.outputs, cwd, root) as Record<string, unknown>;
        const rows = treeRows(ev.resources);
        text = `Previewing ${ev.project}/${ev.stack} offline: the Pulumi program under mocks, no CLI, no AWS credentials;\n`;
        text += `ARNs and ids are simulated (account ${SIMULATED_ACCOUNT}).\n\n`;
        text += renderTree(rows);
        text += `\nResources: ${rows.length} to create\n`;
        if (build) {
            text += `\nBuild: ${build.manifest} (commit ${build.commit.slice(0, 12)}${build.dirty ? ", uncommitted changes" : ""})\n`;
            for (const a of build.artifacts) {
                const bytes = a.complete ? `sha256:${shortSha(a.sha256)}` : `NOT BUILT (${a.note})`;
                text += `    ${a.name.padEnd(20)} ${a.version.padEnd(8)} ${bytes}  ${a.key}\n`;
            }
            const canonical = build.canonical;
            const set = `sha256:${shortSha(canonical.sha256)}  ${canonical.files} files`;
            text += `    ${"canonical".padEnd(20)} ${canonical.version.padEnd(8)} ${set}\n`;
        }
        text += `\nOutputs:\n${renderOutputs(outputs)}`;
        if (source) {
            text += `\nPromotion gate: ${source.description}.\n`;
        }
        text += renderPolicies(policy.pack, report.configLabel(root, configFile), policy.violations);
        if (counts.mandatory > 0) {
            text += `\nBlocked: ${counts.mandatory} mandatory violation(s); pulumi up would stop here.\n`;
        }
    }
    emitReport(
        io,
        text,
        output,
        `Preview of ${ev.project}/${ev.stack}: ${counts.mandatory} mandatory, ${counts.advisory} advisory violation(s)`,
    );
    return counts.mandatory > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(preview);
}
