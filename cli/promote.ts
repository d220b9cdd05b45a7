import * as path from "path";
import { InputError, isInputError, oneLine } from "../lib/errors";
import { ensureOutputDir } from "../lib/files";
import { Env, PROMOTION_SOURCE } from "../policy/contract/naming";
import type { DepsInstaller } from "../artifacts/pythonDeps";
import { ArtifactComparison, compareArtifacts, deployedFrom, describe } from "./artifactTable";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { program } from "../program";
import { evaluateStack } from "../simulation/evaluate";
import { upArguments } from "./packArgs";
import { projectRoot } from "../config/projectRoot";
import { PulumiCli, SANDBOX_PULUMI, pulumiRun } from "../pulumi/pulumiCli";
import { exportStack, outputsOfExport, readExportFile, stateDrift } from "../pulumi/stackExports";
import { readProjectName } from "../pulumi/projectFiles";
import { evidenceFromExport } from "../policy/contract/evidence";
import type { GatedEnv } from "../policy/contract/pins";
import { pulumiFor } from "./sandboxFlag";
import { takeSnapshot } from "../pulumi/snapshots";
import { formatUrgent, urgentProblem, urgentTagName } from "../policy/contract/attestation";
import { pulumiRead } from "../pulumi/pulumiCli";
import { toPlain } from "../pulumi/wire";
import { describeRunning, smokeAndRecord, restoreRelease } from "./restore";
import { releaseFromSnapshot } from "./rollback";

const USAGE =
    "npm run promote -- --to <stage|prod> [--dry-run] [--yes] [--source-state FILE] [--target-state FILE] [--snapshot-dir " +
    "DIR] [--urgent --reason <text> --reference <ticket>] [--sandbox] [--cwd DIR]";

const FLAGS = {
    to: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    yes: { type: "boolean", default: false },
    "source-state": { type: "string" },
    "target-state": { type: "string" },
    "snapshot-dir": { type: "string" },
    cwd: { type: "string" },
    sandbox: { type: "boolean", default: false },
    urgent: { type: "boolean", default: false },
    reason: { type: "string" },
    reference: { type: "string" },
} as const;

/** The urgent exception the flags ask for, checked before anything is read (one line, exit 2, when malformed). */
function urgentFlags(flags: {
    to?: string;
    urgent: boolean;
    reason?: string;
    reference?: string;
}): { reason: string; reference: string } | undefined {
    if (!flags.urgent) {
        if (flags.reason !== undefined || flags.reference !== undefined) {
            throw new InputError(`--reason and --reference go with --urgent; usage: ${USAGE}`);
        }
        return undefined;
    }
    if (flags.to !== "prod") {
        throw new InputError(`--urgent waives prod's soak in stage; stage has no soak to waive (--to ${flags.to ?? "missing"})`);
    }
    if (flags.reason === undefined || flags.reference === undefined) {
        throw new InputError(`--urgent needs --reason <why prod cannot wait> and --reference <ticket or URL>; usage: ${USAGE}`);
    }
    const problem = urgentProblem(flags.reference, flags.reason);
    if (problem) {
        throw new InputError(`--urgent: ${problem}`);
    }
    return { reason: flags.reason.trim(), reference: flags.reference };
}

/** What can be injected for tests: how common-deps installs its packages, and where builds go. */
export interface PromoteOptions {
    readonly deps?: DepsInstaller;
    readonly buildDir?: string;
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
 * `npm run promote -- --to <stage|prod>`: moves what the source environment (dev for stage, stage for prod) runs
 * to the target. It reads what the source really runs from its state (its resources, as the gate does), checks
 * that this state is what the cloud holds (a refresh that changes nothing: a state edited and imported, or a
 * change made by hand, stops the promotion), checks that the source runs exactly what this checkout builds, shows
 * the change artifact by artifact, snapshots the target, then runs `pulumi up` with the policy pack, so that the
 * pack's gate has the last word, and smoke-tests the target (recorded on it). A deploy or smoke test that fails puts
 * the target back on the release of the snapshot (cli/restore.ts, as `npm run rollback` does), smoke-tested too, and
 * exits 1 with one line: what failed, and what the target runs now. `--dry-run` stops before `pulumi up`; with
 * `--source-state` and `--target-state` (stack exports) it needs no CLI, and then cannot check the source against its
 * cloud, and says so.
 */
export async function promote(argv: readonly string[], io: Io, options: PromoteOptions = {}): Promise<number> {
    const { values: flags } = parseFlags(argv, FLAGS, USAGE);
    if (flags.to !== "stage" && flags.to !== "prod") {
        throw new InputError(
            `${flags.to === undefined ? "missing --to" : `--to ${flags.to}: promotion targets are stage and prod`}; usage: ${USAGE}`,
        );
    }
    const urgent = urgentFlags(flags);
    const target: GatedEnv = flags.to;
    const source = PROMOTION_SOURCE[target] as Env;
    const root = projectRoot(flags.cwd);
    // A folder that cannot hold the snapshot is found before anything is read or built, not after the checks.
    const snapshotDir = path.resolve(flags["snapshot-dir"] ?? path.join(root, "snapshots"));
    if (flags["snapshot-dir"] !== undefined) {
        ensureOutputDir(snapshotDir, "--snapshot-dir");
    }
    const project = readProjectName(root);
    const needsCli = !flags["dry-run"] || flags["source-state"] === undefined || flags["target-state"] === undefined;
    const pulumi: PulumiCli | undefined = needsCli
        ? pulumiFor(
              flags.sandbox,
              root,
              io,
              `promote ${flags["dry-run"] ? "reads the stacks" : "runs pulumi up"} through it`,
              "without it: --dry-run --source-state FILE --target-state FILE; or --sandbox",
          )
        : undefined;
    const read = (file: string | undefined, stack: Env, flag: string) =>
        file !== undefined ? readExportFile(file, project, stack, flag) : exportStack(pulumi as PulumiCli, stack, root);

    // What the source really runs: its resources, read as the gate reads them.
    const sourceState = read(flags["source-state"], source, "--source-state");
    const evidence = evidenceFromExport(sourceState, source);
    if (evidence.problems.length > 0) {
        io.err(`error: ${source}'s state cannot be trusted as evidence, so there is nothing to promote as is:\n`);
        for (const problem of evidence.problems) {
            io.err(`    ${problem}\n`);
        }
        io.err(`Deploy ${source} from the repository again (pulumi up --stack ${source}), then promote.\n`);
        return EXIT.blocked;
    }
    if (Object.keys(evidence.artifacts).length === 0) {
        throw new InputError(
            `the ${source} stack runs none of the artifacts; deploy ${source} with this program first (pulumi up --stack ${source})`,
        );
    }
    // What the state says must be what the cloud holds: an edited state would otherwise vouch for a release.
    const drifted = pulumi && flags["source-state"] === undefined ? stateDrift(pulumi, source, root) : undefined;
    if (drifted && drifted.length > 0) {
        io.err(
            `error: ${source}'s state is not what its cloud holds (${drifted.length} resource(s) differ: ` +
                `${[...new Set(drifted)].slice(0, 5).join(", ")}): a change made by hand, or a state edited and imported. ` +
                `Run npm run drift -- --stack ${source}, deploy ${source} from the repository ` +
                `(pulumi up --stack ${source} --refresh), then promote.\n`,
        );
        return EXIT.blocked;
    }

    // What this checkout builds, the same way a deploy would build it.
    const built = await evaluateStack({
        root,
        stack: target,
        preview: true,
        program: () =>
            program({ root, deps: options.deps, buildDir: options.buildDir, warn: () => undefined, readEvidence: async () => evidence }),
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
    const differences = compareArtifacts(evidence.artifacts, repo.artifacts).filter(
        (r) => r.difference !== undefined && !unbuilt.includes(r.name),
    );
    if (differences.length > 0) {
        io.err(`error: ${source} does not run exactly what this checkout builds, so there is nothing to promote as is:\n`);
        for (const r of differences) {
            io.err(`    ${r.name}: ${source} runs ${describe(r.a)}, this checkout builds ${describe(r.b)}\n`);
        }
        io.err(`Deploy ${source} from this commit first (pulumi up --stack ${source}), or check out the commit ${source} runs.\n`);
        if (unchecked) {
            io.err(`${unchecked}\n`);
        }
        return EXIT.blocked;
    }

    const targetState = read(flags["target-state"], target, "--target-state");
    const rows = compareArtifacts(evidenceFromExport(targetState, target).artifacts, evidence.artifacts);
    const checkedCloud = drifted
        ? `, its state is what its cloud holds`
        : ` (its state was read from ${flags["source-state"]}, not checked against its cloud)`;
    io.out(
        `Promotion ${source} -> ${target}: ${source} runs exactly what this checkout builds` +
            `${unchecked ? `, ${unbuilt.join(", ")} excepted (not checked)` : ""}${checkedCloud}.\n`,
    );
    io.out(
        `${source} was deployed from ${deployedFrom(outputsOfExport(sourceState))}; ${target} from ` +
            `${deployedFrom(outputsOfExport(targetState))}.\n\n`,
    );
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
    const exception = urgent && { at: new Date().toISOString(), digest: evidence.digest, ...urgent };
    if (flags["dry-run"]) {
        if (exception) {
            io.out(`\nWould record on prod: ${urgentTagName(exception.digest)} = ${formatUrgent(exception)}\n`);
        }
        io.out(`\nDry run: stopping before ${command}\n`);
        return EXIT.ok;
    }

    const cli = pulumi as PulumiCli;
    const snap = takeSnapshot(cli, target, snapshotDir, root, outputsOfExport(targetState));
    io.out(`\nSnapshot of ${target} before the deploy: ${snap.exportFile}\n`);
    if (exception) {
        // Recorded where the pack and the program read it, for exactly the release stage runs: it waives the soak only.
        pulumiRead(cli, ["stack", "tag", "set", urgentTagName(exception.digest), formatUrgent(exception), "--stack", target], root);
        io.out(
            `Urgent exception recorded on ${target}: ${exception.reference}: ${exception.reason} ` +
                `(soak waived for release ${exception.digest.slice(0, 16)})\n`,
        );
    }
    io.out(`Running: ${command}\n`);
    const code = await pulumiRun(cli, upArguments(target, root, flags.yes), root, io);
    // The step is the deploy and its smoke test: a release that fails either is taken back off the target.
    const check = code === 0 ? await smokeAndRecord(cli, root, target, flags.sandbox, io) : undefined;
    if (check && check.failure === undefined) {
        io.out(`\n${target} now runs what ${source} runs, and passed its smoke test (recorded on ${target}).\n`);
        io.out(`Check it with: npm run compare -- ${source} ${target}\n`);
        return EXIT.ok;
    }
    const failure = check?.failure ?? `${cli.label} up --stack ${target} failed (exit ${code})`;
    const step = { cli, root, target, project, snapshotFile: snap.exportFile, snapshotDir, sandbox: flags.sandbox, yes: flags.yes };
    io.err(`error: ${await rollBackAfter(failure, step, io, options)}\n`);
    return EXIT.blocked;
}

/** What promote's automatic rollback needs. */
interface FailedStep {
    readonly cli: PulumiCli;
    readonly root: string;
    readonly target: GatedEnv;
    readonly project: string;
    /** The snapshot taken before the deploy: the release to go back to. */
    readonly snapshotFile: string;
    readonly snapshotDir: string;
    readonly sandbox: boolean;
    readonly yes: boolean;
}

/** What a stack runs now, in words, read from its state; or why it cannot be read. */
function runningNow(cli: PulumiCli, stack: GatedEnv, root: string): string {
    try {
        const state = exportStack(cli, stack, root);
        return describeRunning(evidenceFromExport(state, stack), outputsOfExport(state));
    } catch (e) {
        return `what its state cannot say (${oneLine(e)})`;
    }
}

/**
 * After a failed deploy or smoke test: puts the target back on the release of the snapshot taken before the deploy,
 * on the same path as `npm run rollback` (cli/restore.ts), and returns the one line to print: what failed, and what
 * the target runs now (the previous release and whether its smoke test passed, or exactly what else).
 */
async function rollBackAfter(failure: string, step: FailedStep, io: Io, options: PromoteOptions): Promise<string> {
    const { cli, root, target } = step;
    const before = evidenceFromExport(readExportFile(step.snapshotFile, step.project, target, "the snapshot"), target);
    if (Object.keys(before.artifacts).length === 0) {
        const now = runningNow(cli, target, root);
        const nothing = `${target} ran nothing before the deploy (snapshot ${step.snapshotFile})`;
        return `${failure}; no release to go back to: ${nothing}; ${target} now runs ${now}`;
    }
    let chosen;
    try {
        chosen = releaseFromSnapshot(step.snapshotFile, step.project, target);
    } catch (e) {
        if (!isInputError(e)) {
            throw e;
        }
        return `${failure}; no automatic rollback (${e.message}); ${target} now runs ${runningNow(cli, target, root)}`;
    }
    io.out(
        `\n${failure}: rolling ${target} back to release ${chosen.release.digest.slice(0, 16)}, as the snapshot before the deploy says.\n`,
    );
    try {
        const outcome = await restoreRelease(
            {
                cli,
                root,
                stack: target,
                release: chosen.release,
                sandbox: step.sandbox,
                yes: step.yes,
                snapshotDir: step.snapshotDir,
                io,
                ...options,
            },
            chosen.artifacts,
        );
        return outcome.ok
            ? `${failure}; rolled back to the release before the deploy: ${outcome.summary}`
            : `${failure}; the rollback to the release before the deploy failed too: ${outcome.summary}`;
    } catch (e) {
        // Refused before its deploy (bad input), or broken half-way: either way the line says what the target runs.
        const how = isInputError(e) ? "was refused" : "broke off";
        const now = runningNow(cli, target, root);
        return `${failure}; the rollback to the release before the deploy ${how} (${oneLine(e)}); ${target} now runs ${now}`;
    }
}

if (require.main === module) {
    runMain(promote);
}
