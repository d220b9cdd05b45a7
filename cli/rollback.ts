import * as path from "path";
import type { DepsInstaller } from "../artifacts/pythonDeps";
import { shortCommit } from "../artifacts/gitSource";
import { projectRoot } from "../config/projectRoot";
import { EXIT, HelpRequested, Io, parseFlags, runMain } from "../lib/command";
import { InputError, isInputError } from "../lib/errors";
import { ensureOutputDir } from "../lib/files";
import { StackTags, attestationOf, passedReleases, releaseOf } from "../policy/contract/attestation";
import { evidenceFromExport } from "../policy/contract/evidence";
import { Env, isEnv } from "../policy/contract/naming";
import { isRecord } from "../policy/contract/records";
import { readProjectName } from "../pulumi/projectFiles";
import { exportStack, outputsOfExport, readExportFile } from "../pulumi/stackExports";
import { stackTags } from "./smokeRecord";
import { PART_FORMS, Part, Release, parsePart, restoreRelease } from "./restore";
import { pulumiFor } from "./sandboxFlag";

const USAGE =
    "npm run rollback -- --stack <dev|stage|prod> [--to FILE|DIGEST] [--only <part>] [--snapshot-dir DIR] [--sandbox] [--yes] " +
    "[--cwd DIR]";

/** What --help says after the usage line: what --to and --only take, and what a partial rollback makes. */
const HELP = [
    USAGE,
    "",
    "  --to takes a snapshot file (<stack>-<time>.export.json, written by npm run snapshot or promote): the release its state",
    "    runs; or a release digest (64 hex) the stack itself ran and passed its smoke test on (its vectora:smoke tags).",
    "    Without it: the newest release the stack passed, other than the one it runs now.",
    `  --only takes ${PART_FORMS}: only that part of the release, on top of the current commit.`,
    "    The result is a new combination of artifacts: dev takes it directly; the gates of stage and prod accept it only",
    "    when that exact release already passed there (or went through dev, then stage). prod is checked before any deploy.",
].join("\n");

const FLAGS = {
    stack: { type: "string" },
    to: { type: "string" },
    only: { type: "string" },
    "snapshot-dir": { type: "string" },
    sandbox: { type: "boolean", default: false },
    yes: { type: "boolean", default: false },
    cwd: { type: "string" },
} as const;

/** The flags, with --help answered by the usage line and what the flags take. */
function rollbackFlags(argv: readonly string[]) {
    try {
        return parseFlags(argv, FLAGS, USAGE).values;
    } catch (e) {
        throw e instanceof HelpRequested ? new HelpRequested(HELP) : e;
    }
}

/** Test seams: how common-deps installs its packages, and where the builds go. */
export interface RollbackOptions {
    readonly deps?: DepsInstaller;
    readonly buildDir?: string;
}

/** What `--to` names: a release digest, or a snapshot file. */
export type RollbackTarget = { readonly digest: string } | { readonly file: string };

/** `--to`'s value: 64 hex digits are a release digest, anything else a snapshot file. */
export function parseTo(text: string): RollbackTarget {
    return /^[0-9a-fA-F]{64}$/.test(text) ? { digest: text.toLowerCase() } : { file: text };
}

/** A release to restore and, when known, its artifacts (to check a part of it). */
export interface ChosenRelease {
    readonly release: Release;
    readonly artifacts?: Readonly<Record<string, { version: string; sha256: string }>>;
}

/**
 * The release a snapshot's state runs, and the commit its outputs say it was deployed from. One line, naming the file,
 * when the snapshot cannot be read as the stack's export, does not hang together, runs nothing or names no commit.
 */
export function releaseFromSnapshot(file: string, project: string, stack: Env): ChosenRelease {
    let doc: Record<string, unknown>;
    try {
        doc = readExportFile(file, project, stack, "--to");
    } catch (e) {
        // A file cut short or not JSON is named with where it breaks; the line also says what --to takes.
        if (isInputError(e) && !/; expected /.test(e.message)) {
            throw new InputError(
                `${e.message}; expected a snapshot of ${stack}, the JSON printed by \`pulumi stack export --stack ${stack}\``,
            );
        }
        throw e;
    }
    const evidence = evidenceFromExport(doc, stack);
    if (evidence.problems.length > 0) {
        throw new InputError(
            `--to ${file}: the snapshot's state does not hang together (${evidence.problems[0]}); it cannot name a release`,
        );
    }
    if (Object.keys(evidence.artifacts).length === 0) {
        throw new InputError(`--to ${file}: ${stack} ran nothing when this snapshot was taken; expected a snapshot of a deployed ${stack}`);
    }
    const source = outputsOfExport(doc).source;
    const commit =
        isRecord(source) && typeof source.commit === "string" && /^[0-9a-f]{40}$/.test(source.commit) ? source.commit : undefined;
    if (!commit) {
        throw new InputError(`--to ${file}: the snapshot's outputs name no commit (source.commit), so the release cannot be rebuilt`);
    }
    return { release: { digest: evidence.digest, commit, from: `the snapshot ${file}` }, artifacts: evidence.artifacts };
}

/**
 * The release to restore from the stack's own attestations: the digest given (it must be one the stack ran and passed),
 * else the newest release it passed other than the one it runs now. One line when there is none.
 */
export function releaseFromTags(tags: StackTags, stack: Env, current: string, digest?: string): ChosenRelease {
    const attested =
        digest !== undefined
            ? attestationOf(tags, digest)
            : passedReleases(tags).find((a) => a.digest !== current && a.commit !== undefined);
    if (digest !== undefined && attested?.result !== "pass") {
        throw new InputError(
            `--to ${digest}: a digest that ${stack} never ran and passed (no passing vectora:smoke tag of it on ${stack}); ` +
                `expected a release from npm run smoke's records, or a snapshot file`,
        );
    }
    if (!attested) {
        throw new InputError(
            `${stack} passed no smoke test on any release other than the one it runs now; nothing to roll back to ` +
                `(give --to with a snapshot file)`,
        );
    }
    if (attested.commit === undefined) {
        throw new InputError(`--to ${attested.digest}: ${stack}'s attestation of it names no commit, so the release cannot be rebuilt`);
    }
    return {
        release: { digest: attested.digest, commit: attested.commit, from: `${stack}'s smoke attestation of ${attested.at}` },
        artifacts: releaseOf(tags, attested.digest),
    };
}

/**
 * `npm run rollback -- --stack <env>`: puts a stack back on a release it ran before (cli/restore.ts): rebuilt from its
 * commit, checked, deployed with this checkout's pack and config, smoke-tested. Exit 0 when the smoke test passed,
 * 1 with one line saying what failed and what the stack runs now, 2 on bad input before anything is deployed.
 */
export async function rollback(argv: readonly string[], io: Io, options: RollbackOptions = {}): Promise<number> {
    const flags = rollbackFlags(argv);
    if (!flags.stack || !isEnv(flags.stack)) {
        throw new InputError(`${flags.stack ? `unknown stack "${flags.stack}"` : "missing --stack"}; usage: ${USAGE}`);
    }
    const stack: Env = flags.stack;
    const only: Part | undefined = flags.only === undefined ? undefined : parsePart(flags.only);
    const root = projectRoot(flags.cwd);
    const snapshotDir = path.resolve(flags["snapshot-dir"] ?? path.join(root, "snapshots"));
    // A folder that cannot hold the snapshot is refused before anything is read (the default is created when taken).
    if (flags["snapshot-dir"] !== undefined) {
        ensureOutputDir(snapshotDir, "--snapshot-dir");
    }
    const target = flags.to === undefined ? undefined : parseTo(flags.to);
    const project = readProjectName(root);
    // A snapshot is read before the CLI is needed: a bad file is refused even where no pulumi runs.
    const fromFile = target && "file" in target ? releaseFromSnapshot(target.file, project, stack) : undefined;
    const cli = pulumiFor(flags.sandbox, root, io, `rollback deploys ${stack} through it`);
    const current = evidenceFromExport(exportStack(cli, stack, root), stack);
    const chosen =
        fromFile ??
        releaseFromTags(stackTags(cli, stack, root), stack, current.digest, target && "digest" in target ? target.digest : undefined);
    io.out(
        `Rollback of ${stack}: it runs release ${current.digest.slice(0, 16)}; restoring ${only ? `${flags.only} of ` : ""}release ` +
            `${chosen.release.digest.slice(0, 16)} (commit ${shortCommit(chosen.release.commit)}, from ${chosen.release.from}).\n`,
    );
    const outcome = await restoreRelease(
        { cli, root, stack, release: chosen.release, only, sandbox: flags.sandbox, yes: flags.yes, snapshotDir, io, ...options },
        chosen.artifacts,
    );
    if (!outcome.ok) {
        io.err(`error: rollback of ${stack}: ${outcome.summary}\n`);
        return EXIT.blocked;
    }
    io.out(`\nRolled back: ${outcome.summary}.\n`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(rollback);
}
