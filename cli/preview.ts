import * as path from "path";
import { shortSha } from "../policy/contract/layerDescription";
import { InputError } from "../config/errors";
import { readBuildManifestSummary } from "./lib/buildSummary";
import { EXIT, Io, parseFlags, runMain } from "./lib/command";
import { evaluateStack, evaluationToCheck } from "./lib/evaluate";
import { runPolicyPack } from "./lib/policyRun";
import { packDirFlag, policyConfigFlag } from "./lib/packArgs";
import { projectRoot } from "./lib/projectRootArg";
import { countLevels, jsonPolicies, jsonResources, renderOutputs, renderPolicies, renderTree, treeRows } from "./lib/report";
import { SIMULATED_ACCOUNT } from "./lib/simulatedCloud";
import { readStackOutputsFile } from "./lib/stackOutputsFile";
import { toDisplay, toPlain } from "./lib/wire";

const USAGE =
    "npm run preview -- --stack <dev|stage|prod> [--json] [--stage-outputs FILE] " +
    "[--policy-pack DIR] [--policy-pack-config FILE] [--policy-timeout SECONDS] [--cwd DIR]";

const FLAGS = {
    stack: { type: "string" },
    json: { type: "boolean", default: false },
    "stage-outputs": { type: "string" },
    "policy-pack": { type: "string" },
    "policy-pack-config": { type: "string" },
    "policy-timeout": { type: "string" },
    cwd: { type: "string" },
} as const;

/** A flag in seconds, as milliseconds. */
function seconds(value: string | undefined, flag: string, fallbackSeconds: number): number {
    if (value === undefined) {
        return fallbackSeconds * 1000;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
        throw new InputError(`--${flag} ${value}: expected a positive number of seconds`);
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
    const root = projectRoot(flags.cwd);
    const packDir = packDirFlag(root, flags["policy-pack"]);
    const configFile = policyConfigFlag(root, flags["policy-pack-config"]);
    const callTimeoutMs = seconds(flags["policy-timeout"], "policy-timeout", 60);
    if (flags["stage-outputs"] !== undefined && stack !== "prod") {
        throw new InputError(`--stage-outputs is for --stack prod (prod's promotion gate reads stage); got --stack ${stack}`);
    }

    let stageOutputs: Record<string, unknown> | undefined;
    let stageSource: string | undefined;
    if (stack === "prod") {
        const file = flags["stage-outputs"];
        if (file !== undefined) {
            stageOutputs = readStackOutputsFile(file, "stage");
            stageSource = `stage outputs read from ${file}`;
        } else {
            const stage = await evaluateStack({ root, stack: "stage", preview: true, warn: () => undefined });
            stageOutputs = toPlain(stage.outputs) as Record<string, unknown>;
            stageSource =
                "stage outputs evaluated offline from this commit (Pulumi.stage.yaml), not read from the deployed stage stack; pass " +
                "--stage-outputs FILE (pulumi stack output --json --show-secrets --stack stage) to gate against what stage really runs";
        }
    }
    const warn = (message: string) => io.err(`warning: ${message}\n`);
    const ev = await evaluateStack({ root, stack, preview: true, stackOutputs: () => stageOutputs ?? {}, warn });
    const policy = await runPolicyPack(evaluationToCheck(ev, true), { packDir, configFile, callTimeoutMs });
    const counts = countLevels(policy.violations);
    const build = readBuildManifestSummary(root);
    const cwd = process.cwd();

    if (flags.json) {
        const document = {
            stack: ev.stack,
            project: ev.project,
            offline: { mocks: true, simulatedAccount: SIMULATED_ACCOUNT },
            ...(stageSource ? { stageOutputs: { source: stageSource } } : {}),
            build,
            resources: jsonResources(ev.resources, cwd, root),
            outputs: toDisplay(ev.outputs, cwd, root),
            ...jsonPolicies(policy.pack, configFile, root, policy.violations),
        };
        io.out(`${JSON.stringify(document, null, 2)}\n`);
    } else {
        const outputs = toDisplay(ev.outputs, cwd, root) as Record<string, unknown>;
        const rows = treeRows(ev.resources);
        let text = `Previewing ${ev.project}/${ev.stack} offline: the Pulumi program under mocks, no CLI, no AWS credentials;\n`;
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
        text += renderPolicies(policy.pack, configFile ? path.relative(root, configFile) || configFile : undefined, policy.violations);
        if (counts.mandatory > 0) {
            text += `\nBlocked: ${counts.mandatory} mandatory violation(s); pulumi up would stop here.\n`;
        }
        io.out(text);
    }
    return counts.mandatory > 0 ? EXIT.blocked : EXIT.ok;
}

if (require.main === module) {
    runMain(preview);
}
