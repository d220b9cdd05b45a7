import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { CANONICAL_MANIFEST_KEY } from "../contract/canonicalManifest";
import { Evidence, RunningArtifact, isFullSha256 } from "../contract/evidence";
import { artifactKey, physicalName } from "../contract/naming";
import { GATES, GatedEnv, PACK_CONFIG_FILE, ownStack, pinIn, readPolicyConfig } from "../contract/pins";

export { ownStack };
import { DeployedArtifact, promotionProblem, promotionProblems } from "../contract/promotion";
import { TYPES } from "../contract/resourceTypes";
import {
    DEFAULT_READ_TIMEOUT_SECONDS,
    StackTagsRead,
    partialUpdateFlags,
    pulumiAncestor,
    readEvidence,
    readStackTags,
} from "../contract/stackState";
import type { StackTags } from "../contract/attestation";
import { OWN_HISTORY, inOwnHistory, ownPassedRelease, untested } from "../contract/tested";
import { isRecord } from "../contract/records";
import { DeclaredArtifact, declaredArtifact, objectSha256 } from "./declaredArtifact";
import { isUnknown, raw } from "./props";
import { currentStack } from "./stackEnv";

/**
 * The promotion gate of stage (fed by dev) and prod (fed by stage), as the pack runs it. The pack reads the
 * pinned source stack's state itself, once per run, with the Pulumi CLI that runs it (contract/stackState.ts),
 * and checks against that evidence:
 * - prod's (or stage's) PromotionGate component, which the program registers before anything else: the source
 *   stack it names is the pinned one, what the program recorded of the source is what the pack read, and what
 *   it lists as deployed is what the source runs;
 * - every resource that carries an artifact (function, layer version, the zips in the code bucket, the canonical
 *   files and manifest), on its own inputs: so a program that shows the gate one thing and deploys another, or
 *   registers no gate, is stopped at that resource, before its step even under `pulumi up --skip-preview`.
 */

/** Knobs of a gate policy. */
export interface PromotionGateConfig {
    /** The pinned source stack (devStack for stage, stageStack for prod): must equal the pack's own pin. */
    readonly devStack?: string;
    readonly stageStack?: string;
    /** Bound of the pack's read of the source stack, in seconds. */
    readonly readTimeoutSeconds?: number;
}

/**
 * The pack's own policy-config.json, in the pack folder: the nearest folder above this module that holds
 * PulumiPolicy.yaml (bin/ of the compiled or published pack), or the `policy/` folder beside one (the
 * repository's tests run the policies compiled elsewhere).
 */
function shippedConfigFile(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        for (const folder of [dir, path.join(dir, "policy")]) {
            if (fs.existsSync(path.join(folder, "PulumiPolicy.yaml"))) {
                return path.join(folder, PACK_CONFIG_FILE);
            }
        }
        if (path.dirname(dir) === dir) {
            return path.resolve(PACK_CONFIG_FILE);
        }
    }
}

/** The stack the gate of `env` reads, or why it has none: the pack's own pin, which a given config may only repeat. */
export function pinnedSource(env: GatedEnv, config: PromotionGateConfig): string | { readonly problem: string } {
    const file = shippedConfigFile();
    const shipped = readPolicyConfig(file);
    const pinned = typeof shipped === "string" ? { problem: shipped } : pinIn(shipped, env, PACK_CONFIG_FILE);
    const given = (config as Record<string, unknown>)[GATES[env].knob];
    if (typeof pinned !== "string") {
        return pinned;
    }
    if (given !== undefined && given !== pinned) {
        return {
            problem:
                `the policy config pins ${GATES[env].knob} to ${JSON.stringify(given)} but the pack pins ${pinned}; ` +
                `${env} takes its artifacts from the pinned ${GATES[env].source} stack only`,
        };
    }
    return pinned;
}

const evidenceCache = new Map<string, Promise<Evidence>>();
const tagsCache = new Map<string, Promise<StackTagsRead>>();

/**
 * One read of a stack per pack process (one preview or update), shared by every policy. The offline map is part of
 * the key: tests and offline runs point it at other exports.
 */
function readOnce<T>(
    cache: Map<string, Promise<T>>,
    stack: string,
    config: PromotionGateConfig,
    read: (s: string, ms: number) => Promise<T>,
): Promise<T> {
    const key = `${stack}\0${process.env.VECTORA_OFFLINE_STACK_EXPORTS ?? ""}`;
    let value = cache.get(key);
    if (!value) {
        value = read(stack, (config.readTimeoutSeconds ?? DEFAULT_READ_TIMEOUT_SECONDS) * 1000);
        cache.set(key, value);
    }
    return value;
}

/** A stack's tags (attestations, exceptions), read once per pack process like the evidence. */
export function stackTagsOf(stack: string, config: PromotionGateConfig): Promise<StackTagsRead> {
    return readOnce(tagsCache, stack, config, readStackTags);
}

/** A stack's tags, or no tags when they cannot be read (every check on them then fails closed by finding nothing). */
export async function knownTags(stack: string, config: PromotionGateConfig): Promise<StackTags> {
    const read = await stackTagsOf(stack, config);
    return read.ok ? read.tags : {};
}

/** What the source stack runs, read once per pack process and shared by every policy. */
export function sourceEvidence(stack: string, config: PromotionGateConfig): Promise<Evidence> {
    return readOnce(evidenceCache, stack, config, readEvidence);
}

function known(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) && value !== "" ? value : undefined;
}

/** The gate component's record of what the program read of its source. */
function recordedArtifacts(value: unknown): Record<string, { version?: string; sha256?: string }> {
    const source = isRecord(value) ? value : {};
    return isRecord(source.artifacts) ? (source.artifacts as Record<string, { version?: string; sha256?: string }>) : {};
}

/** What the program listed as deployed on its gate, or why it cannot be read. */
export function gateDeploys(props: Record<string, unknown>): Record<string, DeployedArtifact> | string {
    const deploys = props.deploys;
    if (isUnknown(deploys) || !isRecord(deploys)) {
        return "the promotion gate's list of what it deploys is missing or unknown";
    }
    const out: Record<string, DeployedArtifact> = {};
    for (const [name, entry] of Object.entries(deploys)) {
        const version = isRecord(entry) ? known(entry.version) : undefined;
        const sha256 = isRecord(entry) ? known(entry.sha256) : undefined;
        if (!version || !sha256) {
            return `the promotion gate lists ${name} without a version and sha256`;
        }
        out[name] = { version, sha256, built: !(isRecord(entry) && entry.built === false) };
    }
    return out;
}

/**
 * A gate that says it restores a release its stack itself ran and passed its smoke test on (basis own-history): the
 * release it deploys must be exactly one its own tags attest, and its record must be that release (what
 * vectora-promotion-deployed-as-staged then holds the resources to). Undefined for a promotion, which the source
 * decides.
 */
function checkOwnHistory(env: GatedEnv, props: Record<string, unknown>, ownTags: StackTags): string[] | undefined {
    if (known(props.basis) !== OWN_HISTORY) {
        // A promotion: checked against the source, below.
        return undefined;
    }
    const deploys = gateDeploys(props);
    if (typeof deploys === "string" || !ownPassedRelease(deploys, ownTags)) {
        return [`the promotion gate restores a release ${env} has no passing smoke test of on record, so it is not ${env}'s own history`];
    }
    const recorded = recordedArtifacts(props.source);
    const differs = Object.keys(deploys).filter(
        (name) => recorded[name]?.version !== deploys[name].version || recorded[name]?.sha256 !== deploys[name].sha256,
    );
    if (differs.length > 0 || Object.keys(recorded).length !== Object.keys(deploys).length) {
        return [`the promotion gate restores a release ${env} ran and passed before, but records another one (${differs.join(", ")})`];
    }
    return [];
}

/** The gate component: the pin, the program's record against the pack's own read, what it lists against the source. */
function checkGate(env: GatedEnv, props: Record<string, unknown>, stack: string, evidence: Evidence, ownTags: StackTags): string[] {
    const named = known(props.sourceStack);
    if (named !== stack) {
        return [`the promotion gate read ${named ?? "no stack"}, not the pinned ${GATES[env].source} stack ${stack}`];
    }
    const own = checkOwnHistory(env, props, ownTags);
    if (own) {
        return own;
    }
    const problems = evidence.problems.map((p) => `${GATES[env].source} stack ${stack} cannot be trusted as evidence: ${p}`);
    if (problems.length > 0) {
        return problems;
    }
    const recorded = recordedArtifacts(props.source);
    for (const name of [...new Set([...Object.keys(recorded), ...Object.keys(evidence.artifacts)])].sort()) {
        const mine = evidence.artifacts[name];
        const theirs = recorded[name];
        if (!mine || !theirs || mine.version !== theirs.version || mine.sha256 !== theirs.sha256) {
            problems.push(
                `the program recorded ${GATES[env].source} running ${name} ` +
                    `${theirs ? `${theirs.version} (sha256 ${theirs.sha256})` : "nowhere"} ` +
                    `but ${stack}'s state says ${mine ? `${mine.version} (sha256 ${mine.sha256})` : "it runs no " + name}`,
            );
        }
    }
    const deploys = gateDeploys(props);
    if (typeof deploys === "string") {
        return [...problems, deploys];
    }
    return [...problems, ...promotionProblems(env, deploys, evidence).map((p) => p.replace(/\.$/, ""))];
}

/** Why a resource that carries an artifact does not carry what the source runs. */
function checkCarried(env: GatedEnv, carried: DeclaredArtifact, stack: string, running: RunningArtifact | undefined): string[] {
    const source = GATES[env].source;
    if (!carried.version) {
        return [`${env}'s ${carried.what} does not say which version of ${carried.artifact} it deploys`];
    }
    const problems: string[] = [];
    for (const { from, sha256 } of carried.hashes) {
        if (!isFullSha256(sha256)) {
            problems.push(`${env}'s ${carried.what} carries no full sha256 in ${from}, so its bytes cannot be verified`);
            continue;
        }
        const problem = promotionProblem(env, carried.artifact, { version: carried.version, sha256 }, stack, running);
        if (problem) {
            problems.push(`${carried.what}: ${problem.replace(/\.$/, "")}`);
        }
    }
    if (running?.version === carried.version && carried.prefix && !running.sha256.startsWith(carried.prefix)) {
        problems.push(`${env}'s ${carried.what} says sha256 ${carried.prefix}... but ${source} runs ${running.sha256}`);
    }
    if (
        running?.version === carried.version &&
        carried.key !== undefined &&
        carried.key !== artifactKey(carried.artifact as never, running.version)
    ) {
        problems.push(`${env}'s ${carried.what} reads ${carried.key}, not ${artifactKey(carried.artifact as never, running.version)}`);
    }
    return [...new Set(problems)];
}

/** A canonical object against the canonical files the source holds. */
function checkCanonical(env: GatedEnv, key: string, props: Record<string, unknown>, evidence: Evidence): string[] {
    const source = GATES[env].source;
    const content = known(props.content);
    if (key === CANONICAL_MANIFEST_KEY) {
        const running = evidence.artifacts.canonical;
        let doc: unknown;
        try {
            doc = content === undefined ? undefined : JSON.parse(content);
        } catch {
            doc = undefined;
        }
        if (!isRecord(doc) || !running) {
            return [
                `${env}'s canonical manifest cannot be compared: ` +
                    `${running ? "its content is not JSON" : `${source} runs no canonical set`}`,
            ];
        }
        const same =
            doc.version === running.version &&
            doc.sha256 === running.sha256 &&
            JSON.stringify(doc.files) === JSON.stringify(evidence.canonicalFiles);
        return same
            ? []
            : [
                  `${env}'s canonical manifest describes canonical ${String(doc.version)} (sha256 ${String(doc.sha256)}) ` +
                      `but ${source} runs ${running.version} (sha256 ${running.sha256})`,
              ];
    }
    const file = key.slice("canonical/".length);
    const sha256 = objectSha256(props);
    const expected = evidence.canonicalFiles[file];
    if (!isFullSha256(sha256)) {
        return [`${env}'s ${key} carries no full sha256, so its bytes cannot be verified`];
    }
    if (expected !== sha256) {
        return [`${env} would write ${key} with sha256 ${sha256} but ${source} holds ${expected ?? "no such file"}`];
    }
    return [];
}

/**
 * Why an upload into the environment's code or config bucket is not one the gate can verify: artifacts and the
 * canonical set are BucketObjectv2 uploads, whose key and bytes (the engine's hash of the file) it checks. An
 * older BucketObject or an ObjectCopy (bytes from elsewhere, unknown to the engine) would pass unseen.
 */
function otherUpload(env: GatedEnv, type: string, props: Record<string, unknown>): string | undefined {
    if (type !== TYPES.objectV1 && type !== TYPES.objectCopy) {
        return undefined;
    }
    const bucket = known(props.bucket);
    const guarded = [physicalName("lambda-code", env), physicalName("config", env)];
    if (bucket !== undefined && !guarded.includes(bucket)) {
        return undefined;
    }
    return (
        `${env} would write ${known(props.key) ?? "an object"} into ${bucket ?? "a bucket unknown during preview"} with ${type}, ` +
        `whose bytes the gate cannot verify; artifacts and canonical files go up as ${TYPES.object} only`
    );
}

/**
 * Whether a resource carries an artifact of a release its own stack ran and passed: a function, layer or zip by its
 * version and every hash it carries; the canonical manifest by its set's version and sha256. A canonical file alone
 * cannot say which set it belongs to: it is accepted when the stack has passed releases to restore, and the gate and
 * vectora-promotion-deployed-as-staged hold the manifest, which lists every file's sha256, to the release.
 */
function restoresOwn(
    carried: DeclaredArtifact | undefined,
    canonicalKey: string | undefined,
    props: Record<string, unknown>,
    ownTags: StackTags,
): boolean {
    if (canonicalKey === CANONICAL_MANIFEST_KEY) {
        let doc: unknown;
        try {
            doc = JSON.parse(known(props.content) ?? "");
        } catch {
            return false;
        }
        return (
            isRecord(doc) &&
            typeof doc.version === "string" &&
            isFullSha256(doc.sha256) &&
            inOwnHistory("canonical", { version: doc.version, sha256: doc.sha256 }, ownTags)
        );
    }
    if (canonicalKey !== undefined) {
        return Object.keys(ownTags).some((t) => t.startsWith("vectora:release:")) && isFullSha256(objectSha256(props));
    }
    if (!carried?.version || carried.hashes.length === 0) {
        return false;
    }
    const version = carried.version;
    return carried.hashes.every((h) => isFullSha256(h.sha256) && inOwnHistory(carried.artifact, { version, sha256: h.sha256 }, ownTags));
}

/** A promotion gate policy for one gated environment, with its documentation (policy/support/metadata.ts). */
export function promotionGatePolicy(
    env: GatedEnv,
    description: string,
    metadata: Pick<ResourceValidationPolicy, "severity" | "tags" | "remediationSteps" | "url" | "rationale" | "framework">,
): ResourceValidationPolicy {
    const gate = GATES[env];
    return {
        name: gate.policy,
        description,
        enforcementLevel: "mandatory",
        ...metadata,
        configSchema: {
            properties: {
                [gate.knob]: {
                    type: "string",
                    description: `Fully qualified name of the ${gate.source} stack (must equal the pack's own policy-config.json).`,
                },
                readTimeoutSeconds: {
                    type: "number",
                    minimum: 1,
                    maximum: 600,
                    default: DEFAULT_READ_TIMEOUT_SECONDS,
                    description: `Seconds the pack waits for its read of the ${gate.source} stack's state.`,
                },
            },
        },
        validateResource: async (args: ResourceValidationArgs, reportViolation) => {
            if (currentStack(args.urn) !== env) {
                return args.notApplicable(`applies to the ${env} stack only`);
            }
            const props = raw(args.props);
            const unverifiable = otherUpload(env, args.type, props);
            if (unverifiable) {
                reportViolation(`Promotion gate: ${unverifiable}; the gate fails closed.`);
                return;
            }
            const key = args.type === TYPES.object ? known(props.key) : undefined;
            const canonical = key !== undefined && (key === CANONICAL_MANIFEST_KEY || key.startsWith("canonical/"));
            const carried = canonical ? undefined : declaredArtifact(args.type, args.name, props);
            if (args.type !== TYPES.promotionGate && !canonical && !carried) {
                return args.notApplicable("carries no artifact");
            }
            const cli = pulumiAncestor();
            const partial = cli ? partialUpdateFlags(cli.args) : [];
            if (partial.length > 0) {
                reportViolation(
                    `Promotion gate: ${env} is updated with ${partial.join(", ")}: a partial update would leave ${env} on a mix of ` +
                        `releases ${gate.source} never ran as a whole; deploy the whole stack. The gate fails closed.`,
                );
                return;
            }
            const config = args.getConfig<PromotionGateConfig>();
            const stack = pinnedSource(env, config);
            if (typeof stack !== "string") {
                reportViolation(`Promotion gate: ${stack.problem}; the gate fails closed.`);
                return;
            }
            const [evidence, ownTags] = await Promise.all([sourceEvidence(stack, config), knownTags(ownStack(env, stack), config)]);
            let problems: string[];
            if (args.type === TYPES.promotionGate) {
                problems = checkGate(env, props, stack, evidence, ownTags);
            } else if (restoresOwn(carried, canonical ? key : undefined, props, ownTags)) {
                // A rollback: this resource carries what the stack itself ran and passed; the gate holds the release whole.
                problems = [];
            } else {
                const c = carried as DeclaredArtifact;
                problems =
                    evidence.problems.length > 0
                        ? [`${gate.source} stack ${stack} cannot be trusted as evidence (${evidence.problems[0]})`]
                        : canonical
                          ? checkCanonical(env, key as string, props, evidence)
                          : checkCarried(env, c, stack, evidence.artifacts[c.artifact]);
                if (problems.length === 0) {
                    // What the source runs is carried only once it passed its smoke test there: the resource itself says
                    // so, whatever basis the gate claims (a program that records a rollback but deploys the source's bytes).
                    const tags = await stackTagsOf(stack, config);
                    problems = tags.ok
                        ? untested(evidence, tags.tags, gate.source)
                        : [`the smoke tests of ${stack} cannot be read (${tags.why})`];
                }
            }
            for (const problem of problems) {
                reportViolation(`Promotion gate: ${problem}.`);
            }
        },
    };
}
