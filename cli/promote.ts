import * as path from "path";
import { InputError } from "../lib/errors";
import { Env, PROMOTION_SOURCE } from "../policy/contract/naming";
import type { DepsInstaller } from "../artifacts/pythonDeps";
import { ArtifactComparison, artifactsOf, compareArtifacts, deployedFrom, describe } from "./artifactTable";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { program } from "../program";
import { evaluateStack } from "../pulumi/evaluate";
import { DEFAULT_POLICY_CONFIG } from "./packArgs";
import { projectRoot } from "../config/projectRoot";
import { PulumiCli, SANDBOX_PULUMI, pulumiRun, stackOutputs } from "../pulumi/pulumiCli";
import { pulumiFor } from "./sandboxFlag";
import { takeSnapshot } from "../pulumi/snapshots";
import { readStackOutputsFile } from "../pulumi/stackOutputsFile";
import { toPlain } from "../pulumi/wire";

const USAGE =
    "npm run promote -- --to <stage|prod> [--dry-run] [--yes] [--source-outputs FILE] [--target-outputs FILE] [--sandbox] [--cwd DIR]";

const FLAGS = {
    to: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    yes: { type: "boolean", default: false },
    "source-outputs": { type: "string" },
    "target-outputs": { type: "string" },
    "snapshot-dir": { type: "string" },
    cwd: { type: "string" },
    sandbox: { type: "boolean", default: false },
} as const;

/** What can be injected for tests: how common-deps installs its packages, and where builds go. */
export interface PromoteOptions {
    readonly deps?: DepsInstaller;
    readonly buildDir?: string;
}

/** The `pulumi up` that applies a promotion, with the pack and its config so that the gate decides. */
export function upArguments(target: string, root: string, yes: boolean): string[] {
    return [
        "up",
        "--stack",
        target,
        "--policy-pack",
        path.join(root, "policy"),
        "--policy-pack-config",
        path.join(root, DEFAULT_POLICY_CONFIG),
        ...(yes ? ["--yes"] : []),
    ];
}

function plan(rows: readonly ArtifactComparison[]): string {
    const width = Math.max(24, ...rows.flatMap((r) => [describe(r.a).length, describe(r.b).length]));
    return rows
        .map((r) => {
            const change = r.difference === undefined ? "unchanged" : !r.a ? "new" : r.difference === "sha256" ? "rebuilt bytes" : "update";
            return `    ${r.name.padEnd(20)}  ${describe(r.a).padEnd(width)}  ->  ${describe(r.b).padEnd(width)}  ${change}\n`;
        })
        .join("");
}

/**
 * `npm run promote -- --to <stage|prod>`: moves what the source environment (dev for stage, stage for
 * prod) runs to the target, after checking that the source runs exactly what this checkout builds. Shows
 * the change artifact by artifact, snapshots the target, then runs `pulumi up` with the policy pack, so that
 * the pack's gate has the last word. `--dry-run` stops before `pulumi up`.
 */
export async function promote(argv: readonly string[], io: Io, options: PromoteOptions = {}): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    if (flags.to !== "stage" && flags.to !== "prod") {
        throw new InputError(
            `${flags.to === undefined ? "missing --to" : `--to ${flags.to}: promotion targets are stage and prod`}; usage: ${USAGE}`,
        );
    }
    const target: Env = flags.to;
    const source = PROMOTION_SOURCE[target] as Env;
    const root = projectRoot(flags.cwd);
    const needsCli = !flags["dry-run"] || flags["source-outputs"] === undefined || flags["target-outputs"] === undefined;
    const pulumi: PulumiCli | undefined = needsCli
        ? pulumiFor(
              flags.sandbox,
              root,
              io,
              `promote ${flags["dry-run"] ? "reads the stacks" : "runs pulumi up"} through it`,
              "without it: --dry-run --source-outputs FILE --target-outputs FILE; or --sandbox",
          )
        : undefined;
    const read = (file: string | undefined, stack: Env) =>
        file !== undefined ? readStackOutputsFile(file, stack) : stackOutputs(pulumi as PulumiCli, stack, root);

    const sourceOutputs = read(flags["source-outputs"], source);
    const sourceArtifacts = artifactsOf(sourceOutputs);
    if (!sourceArtifacts) {
        throw new InputError(
            `the ${source} stack exports no artifacts output; deploy ${source} with this program first (pulumi up --stack ${source})`,
        );
    }

    // What this checkout builds, the same way a deploy would build it.
    const built = await evaluateStack({
        root,
        stack: target,
        preview: true,
        program: () => program({ root, deps: options.deps, buildDir: options.buildDir, warn: () => undefined }),
        stackOutputs: () => sourceOutputs,
    });
    const repo = toPlain(built.outputs) as { artifacts: Record<string, unknown>; incompleteArtifacts?: string[] };
    // An artifact that cannot be built here (common-deps without a package index) cannot be compared; every
    // other check still runs, and the run ends by saying what was not checked.
    const unbuilt = repo.incompleteArtifacts ?? [];
    const unchecked =
        unbuilt.length === 0
            ? undefined
            : `not checked: ${unbuilt.join(", ")} could not be built here (its Python dependencies did not install), so ` +
              `promote cannot tell whether ${source} runs what this checkout builds for ${unbuilt.length > 1 ? "them" : "it"}; ` +
              `run it where pip can reach a Python package index`;
    const drift = compareArtifacts(sourceArtifacts, repo.artifacts).filter((r) => r.difference !== undefined && !unbuilt.includes(r.name));
    if (drift.length > 0) {
        io.err(`error: ${source} does not run exactly what this checkout builds, so there is nothing to promote as is:\n`);
        for (const r of drift) {
            io.err(`    ${r.name}: ${source} runs ${describe(r.a)}, this checkout builds ${describe(r.b)}\n`);
        }
        io.err(`Deploy ${source} from this commit first (pulumi up --stack ${source}), or check out the commit ${source} runs.\n`);
        if (unchecked) {
            io.err(`${unchecked}\n`);
        }
        return EXIT.blocked;
    }

    const targetOutputs = read(flags["target-outputs"], target);
    const rows = compareArtifacts(artifactsOf(targetOutputs) ?? {}, sourceArtifacts);
    io.out(
        `Promotion ${source} -> ${target}: ${source} runs exactly what this checkout builds` +
            `${unchecked ? `, ${unbuilt.join(", ")} excepted (not checked)` : ""}.\n`,
    );
    io.out(`${source} was deployed from ${deployedFrom(sourceOutputs)}; ${target} from ${deployedFrom(targetOutputs)}.\n\n`);
    io.out(`    ${"artifact".padEnd(20)}  ${`${target} now`.padEnd(24)}      ${`${target} after`.padEnd(24)}\n`);
    io.out(plan(rows));
    const changes = rows.filter((r) => r.difference !== undefined).length;
    const summary =
        changes === 0
            ? `${target} already runs these artifacts; pulumi up will only reconcile drift.`
            : `${changes} artifact(s) change in ${target}.`;
    io.out(`\n${summary}\n`);
    if (unchecked) {
        io.err(`error: ${unchecked}\n`);
        return EXIT.blocked;
    }
    const command = [flags.sandbox ? SANDBOX_PULUMI : "pulumi", ...upArguments(target, root, flags.yes)].join(" ");
    if (flags["dry-run"]) {
        io.out(`\nDry run: stopping before ${command}\n`);
        return EXIT.ok;
    }

    const cli = pulumi as PulumiCli;
    const snap = takeSnapshot(cli, target, path.resolve(flags["snapshot-dir"] ?? path.join(root, "snapshots")), root, targetOutputs);
    io.out(`\nSnapshot of ${target} before the deploy: ${snap.exportFile}\n`);
    io.out(`Running: ${command}\n`);
    const code = await pulumiRun(cli, upArguments(target, root, flags.yes), root, io);
    if (code !== 0) {
        io.err(`error: ${cli.label} up --stack ${target} failed (exit ${code}); ${target} before the attempt is in ${snap.exportFile}\n`);
        return EXIT.blocked;
    }
    io.out(`\n${target} now runs what ${source} runs. Check it with: npm run compare -- ${source} ${target}\n`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(promote);
}
