import * as fs from "fs";
import * as path from "path";
import type { DepsInstaller } from "../artifacts/pythonDeps";
import { ARTIFACT_SOURCES } from "../artifacts/build";
import { runGit, shortCommit } from "../artifacts/gitSource";
import { WorktreePlace, commitIn, inWorktree } from "../artifacts/gitWorktree";
import { KEY_OF_ARTIFACT, VersionKey } from "../config/versionFile";
import { CANONICAL_DIR } from "../config/canonical";
import { InputError, oneLine } from "../lib/errors";
import type { Io } from "../lib/command";
import { program } from "../program";
import type { Attestation, StackTags } from "../policy/contract/attestation";
import { promotionProblems } from "../policy/contract/promotion";
import { ownPassedRelease, soak, untested } from "../policy/contract/tested";
import { Evidence, evidenceFromExport, releaseDigest } from "../policy/contract/evidence";
import { Env, FUNCTION_COMPONENTS, FunctionComponent } from "../policy/contract/naming";
import { PulumiCli, pulumiRun } from "../pulumi/pulumiCli";
import { Snapshot, takeSnapshot } from "../pulumi/snapshots";
import { exportStack, outputsOfExport } from "../pulumi/stackExports";
import { toPlain } from "../pulumi/wire";
import { evaluateStack } from "../simulation/evaluate";
import { sandboxNow } from "../simulation/clock";
import { recordRun, stackTags } from "./smokeRecord";
import { upArguments } from "./packArgs";
import { SmokeRun, runSmoke } from "./smokeRun";
import { renderSmoke } from "./smoke";

/**
 * Putting a stack back on a release it ran before: the path `npm run rollback` takes, and `npm run promote` when the
 * release it deployed fails its smoke test. The release is built from the commit it was deployed from, in a worktree
 * of its own (the user's tree is never touched), checked to be exactly that release before anything is deployed,
 * then deployed with this checkout's policy pack and stack config and smoke-tested; the result is recorded on the
 * stack as any smoke test is.
 */

/** A release to put back: its digest (evidence.ts releaseDigest) and the commit that builds it. */
export interface Release {
    readonly digest: string;
    /** The commit the release was deployed from (full id or anything git resolves). */
    readonly commit: string;
    /** Where it was found, in words: `the snapshot snapshots/dev-....export.json`, `dev's smoke attestation of <time>`. */
    readonly from: string;
}

/** One part of a release, for `--only`: a function, the canonical set, or one file of it. */
export type Part =
    | { readonly kind: "function"; readonly name: FunctionComponent }
    | { readonly kind: "canonical" }
    | { readonly kind: "canonical-file"; readonly path: string };

/** The `--only` forms, for usage lines and messages. */
export const PART_FORMS = `${FUNCTION_COMPONENTS.join(", ")}, canonical or canonical/<path>`;

/** `--only`'s value read, or one line saying what is expected. */
export function parsePart(text: string): Part {
    if ((FUNCTION_COMPONENTS as readonly string[]).includes(text)) {
        return { kind: "function", name: text as FunctionComponent };
    }
    if (text === CANONICAL_DIR) {
        return { kind: "canonical" };
    }
    const file = text.startsWith(`${CANONICAL_DIR}/`) ? text.slice(CANONICAL_DIR.length + 1) : undefined;
    // A path inside canonical/, as git names it: no empty, `.` or `..` segment, no backslash or control character.
    // eslint-disable-next-line no-control-regex
    const clean = file !== undefined && file !== "" && !/[\\\u0000-\u001f\u007f]/.test(file);
    if (clean && file.split("/").every((s) => s !== "" && s !== "." && s !== "..")) {
        return { kind: "canonical-file", path: file };
    }
    throw new InputError(`--only ${JSON.stringify(text)}: not a part of a release; expected ${PART_FORMS}`);
}

/** What a part is made of in the repository: its files (paths git takes) and the VERSION line that versions it. */
export function partSources(part: Part): { readonly paths: string[]; readonly versionKey?: VersionKey; readonly artifact: string } {
    switch (part.kind) {
        case "function":
            return { paths: [ARTIFACT_SOURCES[part.name].dir], versionKey: KEY_OF_ARTIFACT[part.name], artifact: part.name };
        case "canonical":
            return { paths: [CANONICAL_DIR], versionKey: KEY_OF_ARTIFACT.canonical, artifact: "canonical" };
        case "canonical-file":
            // One file of the set carries its own version (a client config's `version`); the set's version stays.
            return { paths: [`${CANONICAL_DIR}/${part.path}`], artifact: "canonical" };
    }
}

/** How a part is named in messages. */
export function partName(part: Part): string {
    return part.kind === "function" ? part.name : part.kind === "canonical" ? "canonical" : `${CANONICAL_DIR}/${part.path}`;
}

/**
 * VERSION's text with one key's line taken from another VERSION text (the release's), the rest unchanged; undefined
 * when the release's VERSION has no such line. A line the current text lacks is added at the end.
 */
export function withVersionLine(current: string, release: string, key: string): string | undefined {
    const line = new RegExp(`^[ \\t]*${key}[ \\t]*=.*$`, "m");
    const taken = line.exec(release)?.[0];
    if (taken === undefined) {
        return undefined;
    }
    if (line.test(current)) {
        return current.replace(line, () => taken);
    }
    return `${current}${current.endsWith("\n") || current === "" ? "" : "\n"}${taken}\n`;
}

/** Where rollback checks releases out: `.build/rollback/rollback-XXXXXX`. */
export function rollbackPlace(root: string): WorktreePlace {
    return { root, parent: path.join(root, ".build", "rollback"), prefixes: ["rollback"] };
}

function git(dir: string, args: readonly string[]): string {
    const run = runGit(dir, args);
    if (!run.ok) {
        throw new Error(`git ${args.join(" ")} failed in ${dir}: ${oneLine(run.err)}`);
    }
    return run.out;
}

/**
 * Takes a part from the release's commit into a worktree of HEAD (its files, and its VERSION line) and commits the
 * result there, detached: stage and prod deploy commits only, and the commit records what was combined. The new
 * commit belongs to no branch; git keeps it while a stack names it, until a gc prunes unreachable objects.
 */
export function overlayPart(dir: string, releaseCommit: string, part: Part): void {
    const sources = partSources(part);
    for (const p of sources.paths) {
        if (!runGit(dir, ["cat-file", "-e", `${releaseCommit}:${p}`]).ok) {
            throw new InputError(`--only ${partName(part)}: commit ${shortCommit(releaseCommit)} has no ${p}; nothing to restore`);
        }
        // The folder as the release had it: files it did not have go too.
        git(dir, ["rm", "-r", "-q", "--ignore-unmatch", "--", p]);
        git(dir, ["checkout", releaseCommit, "--", p]);
    }
    if (sources.versionKey) {
        const versionFile = path.join(dir, "VERSION");
        const updated = withVersionLine(
            fs.readFileSync(versionFile, "utf8"),
            git(dir, ["show", `${releaseCommit}:VERSION`]),
            sources.versionKey,
        );
        if (updated === undefined) {
            throw new InputError(
                `--only ${partName(part)}: commit ${shortCommit(releaseCommit)}'s VERSION has no ${sources.versionKey} line`,
            );
        }
        fs.writeFileSync(versionFile, updated);
        git(dir, ["add", "VERSION"]);
    }
    const identity = ["-c", "user.name=vectora rollback", "-c", "user.email=rollback@localhost", "-c", "commit.gpgsign=false"];
    const message = `rollback: ${partName(part)} from ${releaseCommit} on top of HEAD`;
    git(dir, [...identity, "commit", "-q", "--no-verify", "--allow-empty", "-m", message]);
}

/** What a tree builds for a stack: the artifacts and their release digest, as the offline run of the program gives them. */
export interface BuiltRelease {
    readonly digest: string;
    readonly artifacts: Record<string, { version: string; sha256: string }>;
    readonly incomplete: string[];
}

/** Builds a tree for a stack offline (as promote does), without the gate's evidence: only what it builds matters here. */
export async function buildRelease(dir: string, stack: Env, deps?: DepsInstaller, buildDir?: string): Promise<BuiltRelease> {
    const built = await evaluateStack({
        root: dir,
        stack,
        preview: true,
        program: () =>
            program({
                root: dir,
                deps,
                buildDir,
                warn: () => undefined,
                // A preview records the gate's reasons instead of refusing: the gate is the deploy's business.
                readEvidence: async (source: string) => evidenceFromExport({}, source),
                readTags: async () => ({ ok: true, tags: {} }),
            }),
    });
    const outputs = toPlain(built.outputs) as {
        artifacts: Record<string, { version: string; sha256: string }>;
        incompleteArtifacts?: string[];
    };
    const artifacts = Object.fromEntries(Object.entries(outputs.artifacts).map(([k, a]) => [k, { version: a.version, sha256: a.sha256 }]));
    return { digest: releaseDigest(artifacts), artifacts, incomplete: outputs.incompleteArtifacts ?? [] };
}

/**
 * The worktree shares the checkout's content cache (zips and installed packages, keyed by content), so that an earlier
 * release's common-deps does not go through pip again when it is already built here.
 */
function shareCache(root: string, dir: string): void {
    const cache = path.join(root, ".build", "cache");
    fs.mkdirSync(cache, { recursive: true });
    fs.mkdirSync(path.join(dir, ".build"), { recursive: true });
    fs.symlinkSync(cache, path.join(dir, ".build", "cache"));
}

/** What a stack runs now, in words, from its state: `release 0123456789abcdef (commit 0123456789ab)`. */
export function describeRunning(evidence: Evidence, outputs: Record<string, unknown>): string {
    if (Object.keys(evidence.artifacts).length === 0) {
        return "nothing (no artifact in its state)";
    }
    const source = outputs.source as { commit?: unknown } | undefined;
    const commit = typeof source?.commit === "string" ? `, deployed from commit ${shortCommit(source.commit)}` : "";
    const doubt = evidence.problems.length > 0 ? `; its state does not hang together: ${evidence.problems[0]}` : "";
    return `release ${evidence.digest.slice(0, 16)}${commit}${doubt}`;
}

/** What restoreRelease needs. */
export interface RestoreRequest {
    readonly cli: PulumiCli;
    /** The current checkout: its policy pack and stack config deploy the release, its sandbox holds the stacks. */
    readonly root: string;
    readonly stack: Env;
    readonly release: Release;
    /** Only this part of the release, on top of HEAD: a new combination of artifacts. */
    readonly only?: Part;
    readonly sandbox: boolean;
    readonly yes: boolean;
    readonly snapshotDir: string;
    readonly io: Io;
    readonly deps?: DepsInstaller;
    readonly buildDir?: string;
}

/** How a restore ended. */
export interface RestoreOutcome {
    /** The release the restore deployed (the new combination's with --only). */
    readonly deployed: string;
    readonly snapshot: Snapshot;
    readonly upCode: number;
    readonly smoke?: SmokeRun;
    readonly attestation?: Attestation;
    /** The up succeeded, the stack's state runs the release meant, and its smoke test passed and was recorded so. */
    readonly ok: boolean;
    /** One line: what failed, if anything, and what the stack runs now. */
    readonly summary: string;
}

/**
 * Why prod's gate would refuse a release, by the gate's own rule (policy/contract/tested.ts, promotion.ts), or
 * undefined when it takes it: as a release prod itself ran and passed, or as a promotion from stage (stage runs it,
 * passed its smoke test there after it last changed, and has run it for the soak).
 */
export function prodRefusal(
    deploys: Readonly<Record<string, { version: string; sha256: string }>>,
    prodTags: StackTags,
    stage: Evidence,
    stageTags: StackTags,
    now: number,
): string | undefined {
    if (ownPassedRelease(deploys, prodTags)) {
        return undefined;
    }
    const reasons = [
        ...promotionProblems("prod", deploys, stage),
        ...untested(stage, stageTags, "stage"),
        ...soak(deploys, stage, prodTags, now).problems,
    ];
    return reasons[0]?.replace(/\.$/, "");
}

/** prod's gate, asked before the deploy of a new combination rather than left to refuse it: one line when it would. */
function checkProdTakes(cli: PulumiCli, root: string, built: BuiltRelease, part: Part): void {
    const stage = evidenceFromExport(exportStack(cli, "stage", root), "stage");
    const reason = prodRefusal(built.artifacts, stackTags(cli, "prod", root), stage, stackTags(cli, "stage", root), Date.now());
    if (reason !== undefined) {
        throw new InputError(
            `--only ${partName(part)} makes release ${built.digest.slice(0, 16)}, which prod never ran and passed, and prod's gate ` +
                `would refuse it as a promotion: ${reason}; take it through stage first ` +
                `(npm run rollback -- --stack stage --only ${partName(part)}, then npm run promote -- --to prod)`,
        );
    }
}

/** Checks that a tree builds the release (or, with --only, the release's part), one line when it does not. */
function checkBuilt(
    built: BuiltRelease,
    request: RestoreRequest,
    commit: string,
    releaseArtifacts?: Readonly<Record<string, { version: string; sha256: string }>>,
): void {
    const { release, stack, only } = request;
    if (built.incomplete.length > 0) {
        throw new InputError(
            `commit ${shortCommit(commit)} cannot be built whole here (${built.incomplete.join(", ")}: its Python dependencies did not ` +
                `install), so it cannot be checked against release ${release.digest.slice(0, 16)}; run where pip reaches a package index`,
        );
    }
    if (!only) {
        if (built.digest !== release.digest) {
            throw new InputError(
                `commit ${shortCommit(commit)} (from ${release.from}) builds release ${built.digest.slice(0, 16)} for ${stack}, not ` +
                    `${release.digest.slice(0, 16)}: it cannot restore that release (a build that changed since, or a stack ` +
                    `deployed from a dirty tree); nothing was deployed`,
            );
        }
        return;
    }
    const artifact = partSources(only).artifact;
    const want = releaseArtifacts?.[artifact];
    const got = built.artifacts[artifact];
    if (only.kind !== "canonical-file" && want && (want.version !== got?.version || want.sha256 !== got?.sha256)) {
        throw new InputError(
            `--only ${partName(only)}: commit ${shortCommit(commit)} builds ${artifact} ${got?.version ?? "-"} sha256:` +
                `${(got?.sha256 ?? "-").slice(0, 16)}, not the release's ${want.version} sha256:${want.sha256.slice(0, 16)}; ` +
                `nothing was deployed`,
        );
    }
}

/**
 * Restores a release on a stack: builds it from its commit in a worktree (with --only, that part on top of HEAD),
 * refuses before any change when the build is not that release, snapshots the stack, runs `pulumi up` from the
 * worktree with this checkout's pack and config, then smoke-tests the stack and records the result. Bad input and
 * refusals throw InputError before anything is deployed; once deployed, every outcome is returned, never thrown.
 */
export async function restoreRelease(
    request: RestoreRequest,
    releaseArtifacts?: Readonly<Record<string, { version: string; sha256: string }>>,
): Promise<RestoreOutcome> {
    const { cli, root, stack, release, only, io } = request;
    const commit = commitIn(root, release.commit);
    if (commit === undefined) {
        throw new InputError(
            `commit ${shortCommit(release.commit)} (from ${release.from}) is not in this repository; fetch it (git fetch origin, ` +
                `or a full clone: fetch-depth 0) and run again`,
        );
    }
    const head = commitIn(root, "HEAD");
    if (only && head === undefined) {
        throw new InputError(`--only needs a commit to take ${partName(only)} onto; this repository has none`);
    }
    const before = exportStack(cli, stack, root);
    const deployed = await inWorktree(rollbackPlace(root), "rollback", only ? (head as string) : commit, async (dir) => {
        shareCache(root, dir);
        if (only) {
            overlayPart(dir, commit, only);
        }
        const built = await buildRelease(dir, stack, request.deps, request.buildDir);
        checkBuilt(built, request, commit, releaseArtifacts);
        if (only && stack === "prod") {
            checkProdTakes(cli, root, built, only);
        }
        const snapshot = takeSnapshot(cli, stack, request.snapshotDir, root, outputsOfExport(before));
        const what = only
            ? `${partName(only)} of release ${release.digest.slice(0, 16)} (commit ${shortCommit(commit)}) on top of HEAD ` +
              `(${shortCommit(head as string)}): the new release ${built.digest.slice(0, 16)}`
            : `release ${release.digest.slice(0, 16)} from commit ${shortCommit(commit)} (${release.from})`;
        io.out(`Restoring on ${stack}: ${what}.\nSnapshot of ${stack} before the deploy: ${snapshot.exportFile}\n`);
        const args = upArguments(stack, root, request.yes, request.sandbox ? undefined : path.join(root, `Pulumi.${stack}.yaml`));
        io.out(`Running in a worktree of ${shortCommit(commit)}: ${cli.label} ${args.join(" ")}\n`);
        const upCode = await pulumiRun(cli, args, dir, io);
        return { snapshot, upCode, digest: built.digest };
    });
    return afterDeploy(request, deployed);
}

/** A smoke test after a deploy: the run and its record, or why it could not run; `failure` is undefined when it passed. */
export interface SmokeCheck {
    readonly smoke?: SmokeRun;
    readonly attestation?: Attestation;
    readonly failure?: string;
}

/** ` (and N more function(s))`, or nothing. */
function more(n: number): string {
    return n > 0 ? ` (and ${n} more function(s))` : "";
}

/** Why a recorded smoke run did not pass, in one clause; undefined when it passed. */
export function smokeFailure(smoke: SmokeRun, attestation: Attestation): string | undefined {
    if (attestation.result === "pass") {
        return undefined;
    }
    const failed = smoke.functions.filter((f) => !f.ok);
    return failed.length > 0
        ? `the smoke test failed: ${failed[0].functionName}: ${failed[0].failures[0] ?? "failed"}${more(failed.length - 1)}`
        : `the smoke test found another release running than the state says`;
}

/**
 * A stack's smoke test just after a deploy, recorded on the stack as `npm run smoke` records it. Never throws: the
 * deploy has happened, so a smoke test that cannot run (no Python for the sandbox's runtime, an unreadable smoke
 * event) is a failure to report with what the stack runs, not bad input.
 */
export async function smokeAndRecord(cli: PulumiCli, root: string, stack: Env, sandbox: boolean, io: Io): Promise<SmokeCheck> {
    try {
        const smoke = await runSmoke({ stack, root, sandbox, io, cli });
        const attestation = recordRun(cli, root, stack, smoke, sandbox ? sandboxNow() : new Date());
        io.out(`\n${renderSmoke(smoke)}`);
        return { smoke, attestation, failure: smokeFailure(smoke, attestation) };
    } catch (e) {
        return { failure: `the smoke test could not run: ${oneLine(e)}` };
    }
}

/** The end of a restore: what the stack runs now, its smoke test (when the deploy went through), the one-line summary. */
async function afterDeploy(
    request: RestoreRequest,
    deployed: { snapshot: Snapshot; upCode: number; digest: string },
): Promise<RestoreOutcome> {
    const { cli, root, stack, io } = request;
    const running = () => {
        const state = exportStack(cli, stack, root);
        return {
            evidence: evidenceFromExport(state, stack),
            words: describeRunning(evidenceFromExport(state, stack), outputsOfExport(state)),
        };
    };
    const base = { deployed: deployed.digest, snapshot: deployed.snapshot, upCode: deployed.upCode };
    if (deployed.upCode !== 0) {
        return {
            ...base,
            ok: false,
            summary:
                `${cli.label} up --stack ${stack} failed (exit ${deployed.upCode}); ${stack} now runs ${running().words}; ` +
                `before the deploy: ${deployed.snapshot.exportFile}`,
        };
    }
    const check = await smokeAndRecord(cli, root, stack, request.sandbox, io);
    const now = running();
    const onRelease = now.evidence.digest === deployed.digest && now.evidence.problems.length === 0;
    if (check.failure === undefined && onRelease) {
        return {
            ...base,
            ...check,
            ok: true,
            summary: `${stack} now runs ${now.words}; its smoke test passed and is recorded on ${stack}`,
        };
    }
    const why = !onRelease ? `${stack}'s state does not run the release built (${deployed.digest.slice(0, 16)})` : check.failure;
    const recorded = check.attestation ? `, its smoke test recorded as ${check.attestation.result === "pass" ? "passed" : "failed"}` : "";
    return { ...base, ...check, ok: false, summary: `${why}; ${stack} now runs ${now.words}${recorded}` };
}
