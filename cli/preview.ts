import { shortSha } from "../policy/contract/layerDescription";
import { InputError } from "../lib/errors";
import { readBuildManifestSummary } from "./buildSummary";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { ENVIRONMENTS, isEnv } from "../policy/contract/naming";
import { packDirFlag, policyConfigFlag } from "./packArgs";
import { projectRoot } from "../config/projectRoot";
import { SIMULATED_ACCOUNT } from "../simulation/simulatedCloud";
import { readStackOutputsFile } from "../pulumi/stackOutputsFile";
import { JSON_FORMAT_VERSION, REPORT_FLAGS, emitReport, outputFile, reportFormat } from "./formats/output";
import { policyReportText } from "./formats/policyReport";

const USAGE =
    "npm run preview -- --stack <dev|stage|prod> [--format text|json|sarif|junit] [--output FILE] [--json] [--stage-outputs FILE] " +
    "[--policy-pack DIR] [--policy-pack-config FILE] [--policy-timeout SECONDS] [--cwd DIR]";

const FLAGS = {
    stack: { type: "string" },
    ...REPORT_FLAGS,
    "stage-outputs": { type: "string" },
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
    if (flags["stage-outputs"] !== undefined && stack !== "prod") {
        throw new InputError(`--stage-outputs is for --stack prod (prod's promotion gate reads stage); got --stack ${stack}`);
    }
    // Loaded only now: the Pulumi SDK and gRPC take 0.6 s to load, and bad flags should answer at once.
    const [{ program }, { evaluateStack, evaluationToCheck }, { runPolicyPack }, report, { toDisplay, toPlain }] = await Promise.all([
        import("../program"),
        import("../simulation/evaluate"),
        import("../pulumi/policyRun"),
        import("./report"),
        import("../pulumi/wire"),
    ]);
    const { countLevels, jsonPolicies, jsonResources, renderOutputs, renderPolicies, renderTree, treeRows } = report;

    let stageOutputs: Record<string, unknown> | undefined;
    let stageSource: string | undefined;
    if (stack === "prod") {
        const file = flags["stage-outputs"];
        if (file !== undefined) {
            stageOutputs = readStackOutputsFile(file, "stage");
            stageSource = `stage outputs read from ${file}`;
        } else {
            const stage = await evaluateStack({
                root,
                stack: "stage",
                preview: true,
                program: () => program({ root, warn: () => undefined }),
            });
            stageOutputs = toPlain(stage.outputs) as Record<string, unknown>;
            stageSource =
                "stage outputs evaluated offline from this commit (Pulumi.stage.yaml), not read from the deployed stage stack; pass " +
                "--stage-outputs FILE (pulumi stack output --json --show-secrets --stack stage) to gate against what stage really runs";
        }
    }
    const warn = (message: string) => io.err(`warning: ${message}\n`);
    const ev = await evaluateStack({
        root,
        stack,
        preview: true,
        stackOutputs: () => stageOutputs ?? {},
        program: () => program({ root, warn }),
    });
    const policy = await runPolicyPack(evaluationToCheck(ev, true), { packDir, configFile, callTimeoutMs });
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
            ...(stageSource ? { stageOutputs: { source: stageSource } } : {}),
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
        if (stageSource) {
            text += `\nPromotion gate: ${stageSource}.\n`;
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
