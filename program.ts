import * as aws from "@pulumi/aws";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CanonicalSync } from "./components/canonicalSync";
import { DataBackup } from "./components/dataBackup";
import { PrivateBucket } from "./components/privateBucket";
import { PromotionGate } from "./components/promotionGate";
import { VectoraFunction } from "./components/vectoraFunction";
import { VersionedLayer } from "./components/versionedLayer";
import { BuiltArtifact, PYTHON_SOURCES, buildArtifact } from "./artifacts/build";
import { SourceRevision, buildManifest, sourceRevision, writeBuildManifest } from "./artifacts/buildManifest";
import { GitSource, gitSource, shortCommit } from "./artifacts/gitSource";
import { SourceFiles, commitFiles, workingTreeFiles } from "./lib/sourceFiles";
import { CanonicalSet, loadCanonical } from "./config/canonical";
import { layerDescription } from "./policy/contract/layerDescription";
import { InputError, fsInputError, isInputError } from "./lib/errors";
import { BucketNames, FUNCTION_PROFILES, functionEnvironment } from "./functions/profiles";
import { accessLogDeliveryStatement, functionPolicyDocument } from "./functions/iam";
import { BEDROCK_FUNCTION_CONCURRENCY } from "./policy/contract/bedrock";
import { ACCESS_LOG_RETENTION_DAYS, ACCESS_LOGGING_ENVS, LOGGED_BUCKET_ROLES, NONCURRENT_VERSION_DAYS } from "./policy/contract/storage";
import { standardTags } from "./policy/contract/tags";
import {
    MAX_ENVIRONMENT_BYTES,
    MAX_LAYERS_PER_FUNCTION,
    MAX_NAME_LENGTH,
    MAX_UNZIPPED_BYTES,
    MAX_DESCRIPTION_LENGTH,
    bucketNameProblem,
    environmentBytes,
    megabytes,
} from "./policy/contract/limits";
import {
    ARTIFACT_NAMES,
    ArtifactName,
    BUCKET_ROLES,
    BucketRole,
    FUNCTION_COMPONENTS,
    FunctionComponent,
    LAYER_COMPONENTS,
    Env,
    LayerComponent,
    environmentNames,
} from "./policy/contract/naming";
import { DepsInstaller, pipInstaller } from "./artifacts/pythonDeps";
import { StackSettings, readStackSettings, stackConfigFile } from "./config/stackConfig";
import { VERSION_KEYS, Versions, readVersionFile, versionOf } from "./config/versionFile";
import { isPrerelease } from "./policy/contract/versions";
import type { Evidence } from "./policy/contract/evidence";
import { GATES, GatedEnv, PACK_CONFIG_FILE, gateWeakenings, isGated, pinIn, readPolicyConfig, ownStack } from "./policy/contract/pins";
import { DeployedArtifact, promotionProblems } from "./policy/contract/promotion";
import {
    DEFAULT_READ_TIMEOUT_SECONDS,
    PulumiProcess,
    StackTagsRead,
    flagValues,
    partialUpdateFlags,
    pulumiAncestor,
    readEvidence,
    readStackTags,
} from "./policy/contract/stackState";
import { Attestation, StackTags, UrgentException, attestationOf } from "./policy/contract/attestation";
import { GateBasis, OWN_HISTORY, ownPassedRelease, soak, untested } from "./policy/contract/tested";

/** Where the program finds its inputs and how it builds. */
export interface ProgramOptions {
    /** Repository root (holds VERSION, canonical/, python-src/). */
    readonly root: string;
    /** Where zips, caches and the build manifest go (default `<root>/.build`). */
    readonly buildDir?: string;
    /** How common-deps installs its requirements (default: pip for the Lambda platform). */
    readonly deps?: DepsInstaller;
    /** Where warnings go (default: Pulumi's log, which the CLI shows as diagnostics). */
    readonly warn?: (message: string) => void;
    /**
     * Reads what a stack runs, for the promotion gate of stage and prod (default: its state, through the Pulumi
     * CLI that runs the program; the offline preview passes its own).
     */
    readonly readEvidence?: (stack: string) => Promise<Evidence>;
    /** Reads a stack's tags (its smoke attestations and exceptions), like readEvidence. */
    readonly readTags?: (stack: string) => Promise<StackTagsRead>;
}

/** The promotion gate's inputs: the pinned source stack, what it runs, and what this deploy runs. */
export interface GateInputs {
    readonly sourceStack: string;
    readonly evidence: Evidence;
    readonly deploys: Readonly<Record<string, DeployedArtifact>>;
    /** Why the gate refuses this deploy (empty when the source runs and passed exactly what it deploys). */
    readonly problems: readonly string[];
    /** `promotion` (from the source), or `own-history`: a release this stack ran and passed before (a rollback). */
    readonly basis: GateBasis;
    /** The attestation the deploy rests on: the source's smoke test, or the stack's own for a rollback. */
    readonly tested?: Attestation;
    /** prod: the urgent exception that waived the soak. */
    readonly urgent?: UrgentException;
}

/** Everything the program needs, read and checked before a single resource is declared. */
export interface StackInputs {
    readonly settings: StackSettings;
    readonly versions: Versions;
    readonly canonical: CanonicalSet;
    readonly artifacts: Readonly<Record<ArtifactName, BuiltArtifact>>;
    readonly manifestFile: string;
    /** What git says about the sources: the commit, and the tracked files that differ from it. */
    readonly source: GitSource;
    /** Stage and prod: the promotion gate. */
    readonly gate?: GateInputs;
}

const defaultDeps = pipInstaller();

/** AWS limits that would otherwise fail half-way through a deploy. */
function checkLimits(settings: StackSettings, artifacts: Readonly<Record<ArtifactName, BuiltArtifact>>, buckets: BucketNames): void {
    const file = settings.configFile;
    for (const name of Object.values(buckets)) {
        const problem = bucketNameProblem(name);
        if (problem) {
            throw new InputError(`bucket name ${name} ${problem}`);
        }
    }
    const names = environmentNames(settings.env);
    const layersBytes = LAYER_COMPONENTS.reduce((sum, c) => sum + artifacts[c].unzippedSize, 0);
    for (const component of FUNCTION_COMPONENTS) {
        const total = artifacts[component].unzippedSize + layersBytes;
        if (total > MAX_UNZIPPED_BYTES) {
            throw new InputError(
                `${component} with its layers is ${megabytes(total)} unzipped; Lambda ` +
                    `allows ${megabytes(MAX_UNZIPPED_BYTES)} (shrink python-src/lambdas/${component} or the layers)`,
            );
        }
        const bytes = environmentBytes(functionEnvironment(component, settings, buckets));
        if (bytes > MAX_ENVIRONMENT_BYTES) {
            throw new InputError(
                `${file}: the environment of ${component} is ${bytes} bytes; Lambda ` +
                    `allows ${MAX_ENVIRONMENT_BYTES} (shorten vectora-inbox:bedrockModelId)`,
            );
        }
        for (const [what, name, max] of [
            ["function", names.function(component), MAX_NAME_LENGTH.function],
            ["role", names.role(component), MAX_NAME_LENGTH.role],
        ] as const) {
            if (name.length > max) {
                throw new InputError(`${what} name ${name} is ${name.length} characters; AWS allows ${max}`);
            }
        }
    }
    for (const component of LAYER_COMPONENTS) {
        const { version, sha256 } = artifacts[component];
        const description = layerDescription(component, version, sha256);
        if (description.length > MAX_DESCRIPTION_LENGTH) {
            throw new InputError(
                `VERSION: the ${component} layer's description would be ${description.length} characters; ` +
                    `Lambda allows ${MAX_DESCRIPTION_LENGTH} (shorten ${version})`,
            );
        }
    }
    if (LAYER_COMPONENTS.length > MAX_LAYERS_PER_FUNCTION) {
        throw new InputError(`${LAYER_COMPONENTS.length} layers per function; Lambda allows ${MAX_LAYERS_PER_FUNCTION}`);
    }
}

/**
 * Prod runs releases only: a pre-release is for trying in dev and stage. Releasing it (dropping the suffix)
 * changes the version, so the release goes through stage before prod like any other.
 */
function checkReleasesOnly(versions: Versions): void {
    const pre = VERSION_KEYS.filter((key) => isPrerelease(versions[key]));
    if (pre.length > 0) {
        const list = pre.map((key) => `${key}=${versions[key]}`).join(", ");
        throw new InputError(
            `VERSION: ${list} ${pre.length > 1 ? "are pre-releases" : "is a pre-release"}; prod runs releases only ` +
                `(MAJOR.MINOR.PATCH): release it, deploy stage, then prod`,
        );
    }
}

/** How many changed files a refusal names before it says "and N more". */
const NAMED_CHANGES = 5;

/**
 * Stage and prod run only what a commit holds: a deploy (not a preview) from a tree that differs from its
 * commit, or from outside a git checkout, is refused before anything is built. Dev may deploy a dirty tree.
 */
export function checkDeployable(env: Env, source: GitSource, root: string): void {
    if (env === "dev") {
        return;
    }
    if (!source.checkout) {
        throw new InputError(
            `refusing to deploy ${env}: ${root} is not a git checkout, so the deploy could not be traced to a commit; ` +
                `deploy ${env} from a clone of the repository`,
        );
    }
    if (source.commit === "unknown") {
        throw new InputError(`refusing to deploy ${env}: the repository has no commit yet; commit the sources first`);
    }
    if (source.changed.length > 0) {
        const named = source.changed.slice(0, NAMED_CHANGES).join(", ");
        const more = source.changed.length > NAMED_CHANGES ? ` and ${source.changed.length - NAMED_CHANGES} more` : "";
        throw new InputError(
            `refusing to deploy ${env}: the working tree differs from commit ${shortCommit(source.commit)} in ${named}${more}; ` +
                `commit (with the VERSION bump) or stash the changes; only dev deploys a dirty tree`,
        );
    }
}

/** The pack's own config, which pins the stack each gated environment reads. */
function packConfigFile(root: string): string {
    return path.join(root, "policy", PACK_CONFIG_FILE);
}

/**
 * The stack a gated environment takes its artifacts from: the stack config names it, and it must be the one the
 * policy pack pins, so that neither a config file nor a `--config-file` can point the gate at another stack.
 */
export function checkedSourceStack(env: GatedEnv, settings: StackSettings, root: string): string {
    const file = packConfigFile(root);
    const doc = readPolicyConfig(file);
    if (typeof doc === "string") {
        throw new InputError(`${doc}; expected the policy pack's config, which pins the stack ${env} takes its artifacts from`);
    }
    const pinned = pinIn(doc, env, path.relative(root, file));
    if (typeof pinned !== "string") {
        throw new InputError(pinned.problem);
    }
    const key = `vectora-inbox:${GATES[env].knob}`;
    if (settings.sourceStack !== pinned) {
        throw new InputError(
            `${settings.configFile}: ${key} is "${settings.sourceStack}" but the policy pack pins ${pinned} ` +
                `(policy/${PACK_CONFIG_FILE}, ${GATES[env].policy}.${GATES[env].knob}); expected ${key}: ${pinned}`,
        );
    }
    return pinned;
}

/**
 * Refuses a Pulumi run whose `--policy-pack-config` weakens the promotion gate (a gate policy below mandatory,
 * a pin to another stack): the program sees the CLI's own command line, since the CLI runs it.
 */
export function checkPolicyFlags(cli: PulumiProcess | undefined, root: string): void {
    if (!cli) {
        return;
    }
    const shipped = readPolicyConfig(packConfigFile(root));
    if (typeof shipped === "string") {
        return;
    }
    for (const given of flagValues(cli.args, "--policy-pack-config")) {
        const file = path.resolve(cli.cwd, given);
        const doc = readPolicyConfig(file);
        const weakened = typeof doc === "string" ? [doc] : gateWeakenings(doc, shipped, given);
        if (weakened.length > 0) {
            throw new InputError(`refusing to run with --policy-pack-config ${given}: ${weakened[0]}`);
        }
    }
}

/** What this deploy runs of each artifact, as the gate compares it. */
function deploysOf(artifacts: Readonly<Record<ArtifactName, BuiltArtifact>>, canonical: CanonicalSet): Record<string, DeployedArtifact> {
    const deploys: Record<string, DeployedArtifact> = {};
    for (const name of ARTIFACT_NAMES) {
        deploys[name] = { version: artifacts[name].version, sha256: artifacts[name].sha256, built: artifacts[name].complete };
    }
    deploys.canonical = { version: canonical.version, sha256: canonical.sha256, built: true };
    return deploys;
}

/** How many of the gate's reasons a refusal names before it says "and N more". */
const NAMED_PROBLEMS = 1;

/**
 * The promotion gate in the program: the same comparison as the pack's, on the same evidence (the source
 * stack's state), so that a `pulumi up` run without the pack still cannot promote what the source does not run.
 * A deploy whose gate fails is refused before anything is declared; a preview records the reasons on the gate,
 * where the pack reports them.
 */
async function promotionGateInputs(
    env: GatedEnv,
    sourceStack: string,
    deploys: Record<string, DeployedArtifact>,
    reads: { readonly evidence: (stack: string) => Promise<Evidence>; readonly tags: (stack: string) => Promise<StackTagsRead> },
    dryRun: boolean,
): Promise<GateInputs> {
    const [evidence, sourceTags, ownTags] = await Promise.all([
        reads.evidence(sourceStack),
        reads.tags(sourceStack),
        reads.tags(ownStack(env, sourceStack)),
    ]);
    // A promotion when the source runs, tested and (prod) soaked, exactly this; else a release this stack itself ran
    // and passed (a rollback, or a re-deploy of what it runs); else refused for the promotion's reasons.
    const promotion = sourceGate(env, deploys, evidence, sourceTags, ownTags.ok ? ownTags.tags : {});
    const own = promotion.problems.length > 0 ? ownPassedRelease(deploys, ownTags.ok ? ownTags.tags : {}) : undefined;
    const gate = own ? { basis: OWN_HISTORY, problems: [], tested: own } : promotion;
    if (!dryRun && gate.problems.length > 0) {
        const more = gate.problems.length > NAMED_PROBLEMS ? ` (and ${gate.problems.length - NAMED_PROBLEMS} more)` : "";
        throw new InputError(`refusing to deploy ${env}: ${gate.problems.slice(0, NAMED_PROBLEMS).join(" ")}${more}`);
    }
    return { sourceStack, evidence, deploys, ...gate };
}

/** The gate of a promotion from the source: the same bytes, their smoke test there, and for prod the soak. */
function sourceGate(
    env: GatedEnv,
    deploys: Record<string, DeployedArtifact>,
    evidence: Evidence,
    sourceTags: StackTagsRead,
    ownTags: StackTags,
): Pick<GateInputs, "basis" | "problems" | "tested" | "urgent"> {
    const problems = promotionProblems(env, deploys, evidence);
    if (problems.length > 0) {
        return { basis: "promotion", problems };
    }
    const source = GATES[env].source;
    if (!sourceTags.ok) {
        return { basis: "promotion", problems: [`the smoke tests of ${evidence.stack} cannot be read (${sourceTags.why}).`] };
    }
    const notTested = untested(evidence, sourceTags.tags, source).map((p) => `${p}.`);
    const tested = attestationOf(sourceTags.tags, evidence.digest);
    if (env !== "prod") {
        return { basis: "promotion", problems: notTested, tested };
    }
    const soaked = soak(deploys, evidence, ownTags, Date.now());
    return {
        basis: "promotion",
        problems: [...notTested, ...soaked.problems.map((p) => `${p}; an urgent fix records its exception (npm run promote -- --urgent).`)],
        tested,
        ...(soaked.urgent ? { urgent: soaked.urgent } : {}),
    };
}

/** Whether a repository file is read from the commit by a stage or prod build (sources, canonical set, VERSION). */
function isBuildInput(file: string): boolean {
    return file === "VERSION" || file.startsWith(`${PYTHON_SOURCES}/`) || file.startsWith("canonical/");
}

/**
 * Where a stack's sources come from: stage and prod build the commit's own objects (what `git status` cannot
 * show, an index flag, a clean filter, an untracked link, never ships; links and submodules are refused); dev,
 * and a folder that is not a checkout (previews only: deploys of stage and prod refuse it), build the working
 * tree's tracked files.
 */
export function sourceFilesFor(env: Env, source: GitSource, root: string, buildDir: string): SourceFiles {
    if (env === "dev" || !source.checkout || source.commit === "unknown") {
        return workingTreeFiles(root, source.tracked);
    }
    return commitFiles(root, source.commit, path.join(buildDir, "committed"));
}

/**
 * The stack config file the CLI read, as messages name it: `--config-file` when the command line gives one,
 * else Pulumi.<stack>.yaml. The sandbox runs the CLI on its own copy of Pulumi.<stack>.yaml (in the folder
 * VECTORA_SANDBOX_CONFIG_DIR names): messages name the file the user edits.
 */
export function configFileShown(stack: string, cli: PulumiProcess | undefined): string {
    const given = cli ? flagValues(cli.args, "--config-file")[0] : undefined;
    if (given === undefined) {
        return stackConfigFile(stack);
    }
    const abs = path.resolve(cli?.cwd ?? ".", given);
    const sandboxCopies = process.env.VECTORA_SANDBOX_CONFIG_DIR;
    if (sandboxCopies && path.dirname(abs) === path.resolve(sandboxCopies)) {
        return stackConfigFile(stack);
    }
    return given;
}

/**
 * Reads and checks every input of the stack: config, VERSION, canonical/ and the Python sources, then
 * builds the artifacts. Throws InputError on the first problem, before anything is declared, so that a
 * deploy never starts with half its inputs.
 */
export async function loadStackInputs(
    options: ProgramOptions,
    stack: string,
    config: Readonly<Record<string, string>>,
    dryRun: boolean,
): Promise<StackInputs> {
    const root = path.resolve(options.root);
    const buildDir = options.buildDir ?? path.join(root, ".build");
    const cli = pulumiAncestor();
    const settings = readStackSettings(stack, config, configFileShown(stack, cli));
    const env = settings.env;
    const source = gitSource(root);
    const files = sourceFilesFor(env, source, root, buildDir);
    const versions = readVersionFile(root, files);
    if (env === "prod") {
        checkReleasesOnly(versions);
    }
    if (!dryRun) {
        checkDeployable(env, source, root);
    }
    const sourceStack = isGated(env) ? checkedSourceStack(env, settings, root) : undefined;
    if (sourceStack !== undefined && !dryRun) {
        // A deploy only: a preview with a weaker config still shows every gate violation (as advisory).
        checkPolicyFlags(cli, root);
    }
    const partial = sourceStack !== undefined && cli ? partialUpdateFlags(cli.args) : [];
    if (partial.length > 0) {
        throw new InputError(
            `refusing to ${dryRun ? "preview" : "deploy"} ${env} with ${partial.join(", ")}: a partial update would leave ${env} ` +
                `on a mix of releases ${GATES[env as GatedEnv].source} never ran as a whole; deploy the whole stack`,
        );
    }
    const canonical = loadCanonical(root, versionOf(versions, "canonical"), files);
    const ctx = { root, buildDir, deps: options.deps ?? defaultDeps, files };
    const built: BuiltArtifact[] = [];
    for (const name of ARTIFACT_NAMES) {
        built.push(await buildArtifact(ctx, name, versionOf(versions, name)));
    }
    const artifacts = Object.fromEntries(built.map((a) => [a.name, a])) as Record<ArtifactName, BuiltArtifact>;
    checkLimits(settings, artifacts, environmentNames(settings.env).buckets);
    const manifestFile = writeBuildManifest(buildDir, buildManifest(sourceRevision(source), versions, built, canonical, root));
    const incomplete = built.filter((a) => !a.complete);
    if (!dryRun && incomplete.length > 0) {
        // A preview may show an incomplete layer; a deploy must never publish one.
        const list = incomplete.map((a) => `${a.name} ${a.version} (${a.note ?? "incomplete"})`).join("; ");
        throw new InputError(
            `refusing to deploy: ${list} is not built; run the deploy where pip can reach a ` +
                `Python package index (PIP_INDEX_URL) so that the layer holds its dependencies`,
        );
    }
    const reads = {
        evidence: options.readEvidence ?? ((stack: string) => readEvidence(stack, DEFAULT_READ_TIMEOUT_SECONDS * 1000)),
        tags: options.readTags ?? ((stack: string) => readStackTags(stack, DEFAULT_READ_TIMEOUT_SECONDS * 1000)),
    };
    const gate =
        sourceStack !== undefined && isGated(env)
            ? await promotionGateInputs(env, sourceStack, deploysOf(artifacts, canonical), reads, dryRun)
            : undefined;
    return { settings, versions, canonical, artifacts, manifestFile, source, gate };
}

/** The stack outputs: the contract that `npm run compare`, `promote` and prod's gate read. */
export interface StackOutputs {
    readonly env: string;
    readonly versions: Versions;
    readonly artifacts: Record<string, { version: string; sha256: string; key?: string }>;
    readonly incompleteArtifacts: string[];
    readonly buckets: Record<BucketRole, pulumi.Output<string>>;
    readonly layerArns: Record<LayerComponent, pulumi.Output<string>>;
    readonly functionNames: Record<FunctionComponent, pulumi.Output<string>>;
    readonly deployedAt: Record<ArtifactName, pulumi.Output<string>>;
    /** The commit the stack was deployed from, and whether the working tree differed from it. */
    readonly source: SourceRevision;
    /** Stage and prod: the stack the promotion gate read (dev for stage, stage for prod). */
    readonly sourceStack?: string;
    /** Stage and prod: what the deploy rests on (a promotion or a rollback), its smoke test, and prod's urgent exception. */
    readonly promotion?: PromotionOutput;
}

/** The `promotion` output of stage and prod. */
export interface PromotionOutput {
    readonly basis: GateBasis;
    readonly tested?: { readonly at: string; readonly digest: string };
    readonly urgent?: { readonly reference: string; readonly reason: string; readonly at: string };
}

/** The promotion gate of stage and prod: what the source runs, beside what this deploy runs. */
function promotionGate(gate: GateInputs): PromotionGate {
    const artifacts = Object.fromEntries(
        Object.entries(gate.evidence.artifacts).map(([name, a]) => [
            name,
            { version: a.version, sha256: a.sha256, ...(a.since ? { since: a.since } : {}) },
        ]),
    );
    // A rollback records the release it restores as what it rests on: what deployed-as-staged holds prod to.
    const source =
        gate.basis === OWN_HISTORY
            ? { digest: gate.tested?.digest ?? "", artifacts: { ...gate.deploys }, problems: [] }
            : { digest: gate.evidence.digest, artifacts, problems: [...gate.evidence.problems] };
    return new PromotionGate("promotion-gate", {
        sourceStack: gate.sourceStack,
        source,
        deploys: gate.deploys,
        basis: gate.basis,
        ...(gate.tested ? { tested: gate.tested } : {}),
        ...(gate.urgent ? { urgent: gate.urgent } : {}),
    });
}

/** Declares every resource of one environment from checked inputs. */
export function declareStack(inputs: StackInputs): StackOutputs {
    const { settings, versions, canonical, artifacts } = inputs;
    const env = settings.env;
    const names = environmentNames(env);
    const tags = standardTags(env);

    const artifactOutputs: StackOutputs["artifacts"] = {};
    for (const name of ARTIFACT_NAMES) {
        const a = artifacts[name];
        artifactOutputs[name] = { version: a.version, sha256: a.sha256, key: a.key };
    }
    artifactOutputs.canonical = { version: canonical.version, sha256: canonical.sha256 };

    // Stage and prod: the source's evidence goes on a registered gate that everything else waits for, so that the
    // policy pack decides on it before anything is created or changed (see components/promotionGate.ts).
    const gate = inputs.gate ? promotionGate(inputs.gate) : undefined;
    // Depending on the gate's URN, not on the gate: a component with no custom children is no dependency at
    // all to the SDK, while its URN resolves only once the engine has accepted its registration (policies
    // included); a blocked gate fails that registration and nothing that waits for it is ever registered.
    const gateRegistered = gate?.urn.apply(() => gate);
    const after = (dependsOn: pulumi.Resource[] = []): pulumi.ComponentResourceOptions => ({
        dependsOn: gateRegistered ? [...dependsOn, gateRegistered] : dependsOn,
    });

    const accountId = aws.getCallerIdentityOutput({}).accountId;
    const lifecycle = { noncurrentDays: NONCURRENT_VERSION_DAYS[env] };
    // Prod logs who reads and writes its config, data and newsletters, into a log bucket of its own.
    const logged = ACCESS_LOGGING_ENVS.includes(env) ? LOGGED_BUCKET_ROLES.map((role) => names.buckets[role]) : [];
    const logBucket =
        logged.length > 0
            ? new PrivateBucket(
                  "access-logs",
                  {
                      bucketName: names.accessLogs,
                      tags,
                      lifecycle: { ...lifecycle, expireAfterDays: ACCESS_LOG_RETENTION_DAYS },
                      policyGrants: accountId.apply((id) => [accessLogDeliveryStatement(names.accessLogs, logged, id)]),
                  },
                  after(),
              )
            : undefined;
    const buckets = Object.fromEntries(
        BUCKET_ROLES.map((role) => {
            const holdsData = role === "data" || role === "newsletters";
            const accessLogs =
                logBucket && logged.includes(names.buckets[role]) ? { targetBucket: logBucket.bucketName, after: logBucket } : undefined;
            return [
                role,
                new PrivateBucket(
                    role,
                    { bucketName: names.buckets[role], tags, lifecycle, accessLogs, protect: settings.protectData && holdsData },
                    after(),
                ),
            ];
        }),
    ) as Record<BucketRole, PrivateBucket>;
    if (settings.protectData) {
        // Data and newsletters cannot be rebuilt from the repository: prod backs them up.
        new DataBackup(
            "data-backup",
            { names: names.backup, buckets: [names.buckets.data, names.buckets.newsletters], tags },
            after([buckets.data, buckets.newsletters]),
        );
    }
    const codeBucket = buckets["lambda-code"].bucketName;

    const layers = Object.fromEntries(
        LAYER_COMPONENTS.map((component) => [
            component,
            new VersionedLayer(
                component,
                { layerName: names.layer(component), artifact: artifacts[component], codeBucket, tags },
                after([buckets["lambda-code"]]),
            ),
        ]),
    ) as Record<LayerComponent, VersionedLayer>;

    const functions = Object.fromEntries(
        FUNCTION_COMPONENTS.map((component) => {
            const profile = FUNCTION_PROFILES[component];
            const functionName = names.function(component);
            const policy = accountId.apply((id) =>
                functionPolicyDocument({
                    env,
                    region: settings.region,
                    accountId: id,
                    logGroupName: `/aws/lambda/${functionName}`,
                    readBuckets: profile.reads.map((r) => names.buckets[r]),
                    writeBuckets: profile.writes.map((r) => names.buckets[r]),
                    bedrock: profile.bedrock ? { region: settings.bedrockRegion, modelId: settings.bedrockModelId } : undefined,
                    pubmedKey: profile.pubmedKey,
                }),
            );
            const fn = new VectoraFunction(
                component,
                {
                    functionName,
                    roleName: names.role(component),
                    policyName: names.rolePolicy(component),
                    artifact: artifacts[component],
                    codeBucket,
                    layers: LAYER_COMPONENTS.map((c) => layers[c].arn),
                    environment: functionEnvironment(component, settings, names.buckets),
                    policy,
                    profile,
                    logRetentionDays: settings.logRetentionDays,
                    reservedConcurrency: profile.bedrock ? BEDROCK_FUNCTION_CONCURRENCY[env] : undefined,
                    tags,
                },
                after([buckets["lambda-code"]]),
            );
            return [component, fn];
        }),
    ) as Record<FunctionComponent, VectoraFunction>;

    new CanonicalSync("canonical", { bucket: buckets.config.bucketName, canonical, tags }, after([buckets.config]));

    const deployedAt = {} as Record<ArtifactName, pulumi.Output<string>>;
    for (const c of LAYER_COMPONENTS) {
        deployedAt[c] = layers[c].layer.createdDate;
    }
    for (const c of FUNCTION_COMPONENTS) {
        deployedAt[c] = functions[c].function.lastModified;
    }

    return {
        env,
        versions: Object.fromEntries(VERSION_KEYS.map((k) => [k, versions[k]])) as Versions,
        artifacts: artifactOutputs,
        incompleteArtifacts: ARTIFACT_NAMES.filter((n) => !artifacts[n].complete),
        buckets: Object.fromEntries(BUCKET_ROLES.map((r) => [r, buckets[r].bucketName])) as Record<BucketRole, pulumi.Output<string>>,
        layerArns: Object.fromEntries(LAYER_COMPONENTS.map((c) => [c, layers[c].arn])) as Record<LayerComponent, pulumi.Output<string>>,
        functionNames: Object.fromEntries(FUNCTION_COMPONENTS.map((c) => [c, functions[c].functionName])) as Record<
            FunctionComponent,
            pulumi.Output<string>
        >,
        deployedAt,
        source: sourceRevision(inputs.source),
        ...(inputs.gate ? { sourceStack: inputs.gate.sourceStack, promotion: promotionOutput(inputs.gate) } : {}),
    };
}

/** What a deploy of stage or prod rests on, in its outputs: what compare, audit and a reviewer read. */
function promotionOutput(gate: GateInputs): PromotionOutput {
    return {
        basis: gate.basis,
        ...(gate.tested ? { tested: { at: gate.tested.at, digest: gate.tested.digest } } : {}),
        ...(gate.urgent ? { urgent: { reference: gate.urgent.reference, reason: gate.urgent.reason, at: gate.urgent.at } } : {}),
    };
}

/**
 * The Pulumi program: checks and builds everything first, then declares the stack. Input problems
 * become a RunError, which the CLI prints as one line without a stack trace.
 */
export async function program(options: ProgramOptions): Promise<StackOutputs> {
    let inputs: StackInputs;
    try {
        inputs = await loadStackInputs(options, pulumi.getStack(), pulumi.runtime.allConfig(), pulumi.runtime.isDryRun());
    } catch (e) {
        const input = isInputError(e) ? e : fsInputError(e, path.resolve(options.root));
        throw input ? new pulumi.RunError(input.message) : e;
    }
    const warn = options.warn ?? ((message: string) => void pulumi.log.warn(message));
    const revision = sourceRevision(inputs.source);
    if (!pulumi.runtime.isDryRun() && revision.dirty) {
        // Only dev gets here with a dirty tree (checkDeployable refuses stage and prod): say it in the deploy's output.
        const where = inputs.source.checkout
            ? `${shortCommit(revision.commit)} with changes in ${inputs.source.changed.join(", ")}`
            : "not a git checkout";
        warn(
            `deploying ${inputs.settings.env} from a working tree that is not a clean commit (${where}); ` +
                `the stack's source output records it`,
        );
    }
    const unbuilt = inputs.source.changed.filter(isBuildInput);
    if (pulumi.runtime.isDryRun() && inputs.settings.env !== "dev" && inputs.source.checkout && unbuilt.length > 0) {
        warn(
            `previewing ${inputs.settings.env} from commit ${shortCommit(revision.commit)}, as pulumi up builds it: your working-tree ` +
                `changes to ${unbuilt.join(", ")} are not part of it (stage and prod deploy commits)`,
        );
    }
    const cli = pulumiAncestor();
    if (
        pulumi.runtime.isDryRun() &&
        inputs.gate &&
        inputs.gate.problems.length > 0 &&
        cli &&
        flagValues(cli.args, "--policy-pack").length === 0
    ) {
        // Without the pack nothing would say it in a preview; pulumi up refuses it before declaring anything.
        for (const problem of inputs.gate.problems) {
            warn(`promotion gate: ${problem} (pulumi up will refuse this deploy)`);
        }
    }
    const incomplete = Object.values(inputs.artifacts).filter((a) => !a.complete);
    for (const a of incomplete) {
        warn(
            `${a.name} ${a.version} is NOT BUILT (${a.note ?? "incomplete"}): this ` +
                `preview shows a layer without its dependencies; pulumi up will refuse it`,
        );
    }
    return declareStack(inputs);
}
