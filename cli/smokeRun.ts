import * as path from "path";
import { parseJson } from "../config/canonical";
import { zipTreeSha256 } from "../artifacts/treeDigest";
import { ZipFormatError } from "../artifacts/unzip";
import { InputError } from "../lib/errors";
import type { Io } from "../lib/command";
import { sha256Hex } from "../lib/hashing";
import { readNamedFile } from "../lib/inputFile";
import { PulumiCli, pulumiRead } from "../pulumi/pulumiCli";
import { readProjectName } from "../pulumi/projectFiles";
import { StateExport, stateExportOf } from "../pulumi/stateExport";
import { Env } from "../policy/contract/naming";
import { isRecord } from "../policy/contract/records";
import { sha256OfSourceCodeHash, sourceCodeHash } from "../policy/contract/sourceCodeHash";
import { releaseDigest } from "../policy/contract/evidence";
import type { ReleaseArtifact } from "../policy/contract/attestation";
import { ObjectProbe, ObjectRef, Probe, SmokeTarget, objectKey } from "../functions/smokeProbe";
import {
    SMOKE_EVENT_FILE,
    SMOKE_FLAG,
    SMOKE_LAYERS,
    SmokeExpectation,
    SmokeLayer,
    SmokeReport,
    isSmokeLayer,
    parseSmokeReport,
    reportFailures,
} from "../functions/smokeReport";
import { DeployedFunction, DeployedStack, deployedStack } from "./deployedStack";
import { awsSmokeTarget } from "./awsSmokeTarget";
import { pulumiFor, sandboxSmokeTarget } from "./sandboxFlag";

/**
 * The smoke test of a deployed stack (`npm run smoke`, and promote and rollback after a deploy): reads what the stack
 * runs from its state, invokes every function once with the smoke event kept beside its handler, and holds each
 * report to what the state and the account say. The result is one document (SmokeRun), stable for what records it.
 */

/** The format of SmokeRun; bumped when a field changes meaning. */
export const SMOKE_FORMAT_VERSION = 1;

/**
 * Default bound of one invocation, in seconds: a cold start with both layers (about 1 to 2 s), the checks (under a
 * second here) and the one S3 read, whose client gives up after at most about 16 s (vectora_core/smoke.py,
 * CLIENT_BOUNDS: 3 s to connect, 5 s to answer, 2 attempts), so that a report naming an unreachable bucket still comes
 * back; far below the functions' own timeouts (300 and 900 s), which would hold a hung smoke test for 15 minutes.
 */
export const DEFAULT_SMOKE_TIMEOUT_SECONDS = 30;
/** The longest bound accepted: Lambda's own maximum timeout (900 s) ends any function by then. */
export const MAX_SMOKE_TIMEOUT_SECONDS = 900;

/** What runSmoke needs. */
export interface SmokeOptions {
    readonly stack: Env;
    /** The project folder: Pulumi.yaml, and the smoke events in python-src/lambdas/<name>/smoke-event.json. */
    readonly root: string;
    /** The sandbox's CLI and simulated account instead of your Pulumi backend and AWS. */
    readonly sandbox: boolean;
    /** Bound of each invocation (DEFAULT_SMOKE_TIMEOUT_SECONDS when absent). */
    readonly timeoutSeconds?: number;
    /** Asks the functions that call Bedrock for one model call (paid on AWS; a stand-in in the sandbox). */
    readonly invokeModel?: boolean;
    /** Where the sandbox's lines go (a first build of its CLI says so there). */
    readonly io: Io;
    /** The CLI to read the state through, when the caller has one open already (else the user's or the sandbox's). */
    readonly cli?: PulumiCli;
    /** The stack's state, when the caller has read it already (else `pulumi stack export`). */
    readonly state?: StateExport;
    /** The account to ask, instead of AWS (or the sandbox's with `sandbox`). */
    readonly target?: SmokeTarget;
}

/** One layer a function runs with, as the account says it (what really runs). */
export interface SmokeLayerResult {
    /** The layer's component (`vectora-core`) and version, from the stack's description of that layer version. */
    readonly name: string;
    readonly version: string | null;
    readonly arn: string;
    /** Lambda's CodeSha256 of the layer version, as the account answers it; null when it has no such version. */
    readonly codeSha256: string | null;
}

/** One function's outcome. */
export interface SmokeFunctionResult {
    /** Its Component tag (`ingest-v2`). */
    readonly name: string;
    readonly functionName: string;
    /** Its Version tag. */
    readonly version: string;
    readonly ok: boolean;
    /** One sentence each; empty when ok. */
    readonly failures: readonly string[];
    /** The handler's report as it answered it (absent when it gave none). */
    readonly report?: SmokeReport;
    /** Lambda's CodeSha256 of the code the account runs; null when the account has no such function. */
    readonly codeSha256: string | null;
    readonly layers: readonly SmokeLayerResult[];
}

/** A smoke run of one stack. */
export interface SmokeRun {
    readonly formatVersion: typeof SMOKE_FORMAT_VERSION;
    readonly stack: string;
    /** Which account answered: `aws` (or AWS_ENDPOINT_URL's emulator) or `sandbox`. */
    readonly target: "aws" | "sandbox";
    /** That account in words. */
    readonly where: string;
    /** The commit the stack was deployed from (its `source` output), when it says. */
    readonly commit?: string;
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly ok: boolean;
    readonly functions: readonly SmokeFunctionResult[];
    /** The release the functions were found running (what an attestation records), or why it cannot be told. */
    readonly release: RunRelease;
    /** The release digest of what the stack's state says runs. */
    readonly stateDigest: string;
}

/** The release a smoke run found running, or why it cannot be told. */
export type RunRelease = { readonly digest: string; readonly artifacts: ReleaseArtifact[] } | { readonly problem: string };

/**
 * The release of a run: each function's version and Lambda's CodeSha256 as the account answered it, each attached
 * layer's version and CodeSha256, and the canonical set the handlers read from the config bucket (version and set
 * sha256 of its manifest). Every function must agree on the layers and the canonical set.
 */
export function runRelease(run: Pick<SmokeRun, "functions">): RunRelease {
    const artifacts = new Map<string, ReleaseArtifact>();
    const add = (artifact: string, version: string | null | undefined, sha256: string | undefined): string | undefined => {
        if (!version || !sha256) {
            return `${artifact}: the run does not say which version and bytes run`;
        }
        const seen = artifacts.get(artifact);
        if (seen && (seen.version !== version || seen.sha256 !== sha256)) {
            return `${artifact}: the functions run two versions of it (${seen.version} and ${version})`;
        }
        artifacts.set(artifact, { artifact, version, sha256 });
        return undefined;
    };
    for (const fn of run.functions) {
        const problems = [
            add(fn.name, fn.version, sha256OfSourceCodeHash(fn.codeSha256 ?? undefined)),
            ...fn.layers.map((l) => add(l.name, l.version, sha256OfSourceCodeHash(l.codeSha256 ?? undefined))),
            ...(fn.report?.canonical
                ? [add("canonical", fn.report.canonical.version, fn.report.canonical.sha256 ?? undefined)]
                : ["canonical: the report does not say which canonical set the function reads"]),
        ].filter((p): p is string => p !== undefined);
        if (problems.length > 0) {
            return { problem: `${fn.functionName}: ${problems[0]}` };
        }
    }
    if (artifacts.size === 0) {
        return { problem: "the stack runs no function" };
    }
    const list = [...artifacts.values()];
    return { digest: releaseDigest(Object.fromEntries(list.map((a) => [a.artifact, a]))), artifacts: list };
}

/** The release the stack's state says runs: what a failed run is recorded against. */
export function stateRelease(deployed: DeployedStack): string {
    const artifacts: Record<string, { version: string; sha256: string }> = {};
    for (const fn of deployed.functions) {
        artifacts[fn.component] = { version: fn.version, sha256: sha256OfSourceCodeHash(fn.codeSha256) ?? fn.codeSha256 };
        for (const arn of fn.layers) {
            const layer = deployed.layers.get(arn);
            if (layer) {
                artifacts[layer.component] = {
                    version: layer.version,
                    sha256: sha256OfSourceCodeHash(layer.codeSha256) ?? layer.codeSha256,
                };
            }
        }
    }
    if (deployed.canonical?.sha256) {
        artifacts.canonical = { version: deployed.canonical.version, sha256: deployed.canonical.sha256 };
    }
    return releaseDigest(artifacts);
}

/** The smoke event of a function, read from beside its handler: a JSON object with `"vectora_smoke": true`. */
export function readSmokeEvent(root: string, component: string): Record<string, unknown> {
    const display = `python-src/lambdas/${component}/${SMOKE_EVENT_FILE}`;
    const expected = `a JSON object with "${SMOKE_FLAG}": true, the event that asks the handler for its smoke report`;
    const text = readNamedFile(path.join(root, display), { display, expected, maxBytes: 64 * 1024 }).toString("utf8");
    const event = parseJson(text, display);
    if (!isRecord(event) || event[SMOKE_FLAG] !== true) {
        throw new InputError(`${display}: holds ${JSON.stringify(event)}; expected ${expected}`);
    }
    return event;
}

/** `pulumi stack export` of a stack, through the user's CLI or the sandbox's. */
function exportedState(options: SmokeOptions): StateExport {
    const cli =
        options.cli ??
        pulumiFor(options.sandbox, options.root, options.io, `the smoke test reads stack ${options.stack}'s state through it`);
    const args = ["stack", "export", "--stack", options.stack];
    const text = pulumiRead(cli, args, options.root);
    const display = `${cli.label} ${args.join(" ")}`;
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new InputError(`${display} did not print JSON`);
    }
    if (!isRecord(doc)) {
        throw new InputError(`${display} did not print a JSON object`);
    }
    return stateExportOf(doc, display, readProjectName(options.root), options.stack);
}

/** The region a stack's functions live in, from their ARNs. */
function regionOf(deployed: DeployedStack): string {
    const region = deployed.functions.map((f) => f.arn.split(":")[3]).find((r) => r !== undefined && r !== "");
    if (!region) {
        throw new InputError(`stack ${deployed.stack}: its functions' ARNs name no region; run pulumi refresh --stack ${deployed.stack}`);
    }
    return region;
}

/** `s3://bucket/key?versionId=...`. */
function s3Url(ref: ObjectRef): string {
    return `s3://${ref.bucket}/${ref.key}${ref.versionId ? `?versionId=${ref.versionId}` : ""}`;
}

/**
 * The tree digest of a zip the stack deployed, from the bytes the account still holds at that S3 version: they must
 * be the bytes whose CodeSha256 the stack recorded. A failure sentence instead when they cannot be read or are not.
 */
function deployedTree(
    objects: ReadonlyMap<string, ObjectProbe>,
    zip: ObjectRef | undefined,
    codeSha256: string,
    prefix: string,
    exclude: readonly string[],
): { tree: string } | { failure: string } {
    if (!zip) {
        return { failure: "the state names no S3 object for its zip" };
    }
    const found = objects.get(objectKey(zip));
    if (!found?.data) {
        return { failure: `its zip ${s3Url(zip)} cannot be read (${found?.missing ?? "no answer"})` };
    }
    if (sourceCodeHash(sha256Hex(found.data)) !== codeSha256) {
        return { failure: `its zip ${s3Url(zip)} no longer holds the bytes the stack deployed (CodeSha256 ${codeSha256})` };
    }
    try {
        return { tree: zipTreeSha256(found.data, prefix, exclude) };
    } catch (e) {
        if (e instanceof ZipFormatError) {
            return { failure: `its zip ${s3Url(zip)} cannot be unpacked: ${e.message}` };
        }
        throw e;
    }
}

/** What went wrong with an invocation, or the report it answered. */
function invocationOutcome(probe: Probe["functions"][number]): { report: SmokeReport } | { failure: string } {
    const invocation = probe.invocation;
    if (!invocation) {
        return { failure: "it was not invoked" };
    }
    if (invocation.error !== undefined) {
        return { failure: `invocation: ${invocation.error}` };
    }
    if (invocation.functionError !== undefined) {
        let detail = invocation.payload ?? "";
        try {
            const error = JSON.parse(detail) as { errorType?: string; errorMessage?: string };
            detail = [error.errorType, error.errorMessage].filter((x) => x !== undefined).join(": ");
        } catch {
            // not Lambda's error document: show what came
        }
        return { failure: `function error (${invocation.functionError}): ${detail.replace(/\s*\n\s*/g, " ").slice(0, 300)}` };
    }
    const parsed = parseSmokeReport(invocation.payload ?? "");
    return "report" in parsed ? { report: parsed.report } : { failure: parsed.problem };
}

/** Holds one function's account answer, zips and report to what the stack's state says. */
function checkFunction(fn: DeployedFunction, deployed: DeployedStack, probe: Probe, where: string): SmokeFunctionResult {
    const failures: string[] = [];
    const answer = probe.functions.find((f) => f.functionName === fn.functionName);
    const objects = new Map(probe.objects.map((o) => [objectKey(o), o]));
    const configuration = answer?.configuration;
    if (!configuration) {
        failures.push(`not in ${where}: ${answer?.missing ?? "no answer"}`);
    } else {
        if (configuration.codeSha256 !== fn.codeSha256) {
            failures.push(
                `its code was changed outside Pulumi: it runs CodeSha256 ${configuration.codeSha256}, the stack deployed ${fn.codeSha256}`,
            );
        }
        if (JSON.stringify(configuration.layers) !== JSON.stringify(fn.layers)) {
            failures.push(`it runs the layers ${configuration.layers.join(", ") || "(none)"}, the stack attached ${fn.layers.join(", ")}`);
        }
    }
    const code = deployedTree(objects, fn.zip, fn.codeSha256, "", []);
    if ("failure" in code) {
        failures.push(code.failure);
    }
    const expectedLayers: SmokeExpectation["layers"][number][] = [];
    for (const arn of fn.layers) {
        const layer = deployed.layers.get(arn);
        if (!layer || !isSmokeLayer(layer.component)) {
            failures.push(`layer ${arn}: ${layer ? `${layer.component} is not a layer the smoke test knows` : "not a layer of the stack"}`);
            continue;
        }
        const seen = probe.layers.find((l) => l.arn === arn);
        if (!seen?.codeSha256) {
            failures.push(`layer ${arn}: not in ${where} (${seen?.missing ?? "no answer"})`);
        } else if (seen.codeSha256 !== layer.codeSha256) {
            failures.push(`layer ${arn}: it holds CodeSha256 ${seen.codeSha256}, the stack published ${layer.codeSha256}`);
        }
        const shape = SMOKE_LAYERS[layer.component as SmokeLayer];
        const tree = deployedTree(objects, layer.zip, layer.codeSha256, shape.prefix, shape.exclude);
        if ("failure" in tree) {
            failures.push(`layer ${arn}: ${tree.failure}`);
        }
        expectedLayers.push({ name: layer.component, version: layer.version, ...("tree" in tree ? { tree: tree.tree } : {}) });
    }
    let report: SmokeReport | undefined;
    if (answer?.invocation) {
        const outcome = invocationOutcome(answer);
        if ("failure" in outcome) {
            failures.push(outcome.failure);
        } else {
            report = outcome.report;
            failures.push(
                ...reportFailures(report, {
                    functionName: fn.functionName,
                    artifact: fn.component,
                    version: fn.version,
                    ...("tree" in code ? { codeTree: code.tree } : {}),
                    layers: expectedLayers,
                    ...(deployed.canonical
                        ? { canonical: { version: deployed.canonical.version, sha256: deployed.canonical.sha256 } }
                        : {}),
                    roots: answer.roots,
                }),
            );
        }
    }
    const runs = configuration?.layers ?? fn.layers;
    return {
        name: fn.component,
        functionName: fn.functionName,
        version: fn.version,
        ok: failures.length === 0,
        failures: [...new Set(failures)],
        ...(report ? { report } : {}),
        codeSha256: configuration?.codeSha256 ?? null,
        layers: runs.map((arn) => {
            const layer = deployed.layers.get(arn);
            return {
                name: layer?.component ?? "(not a layer of the stack)",
                version: layer?.version ?? null,
                arn,
                codeSha256: probe.layers.find((l) => l.arn === arn)?.codeSha256 ?? null,
            };
        }),
    };
}

/**
 * Smoke-tests a deployed stack. Bad input (an unknown stack, a stack with no function, a missing or malformed smoke
 * event, no Python for the sandbox's runtime, missing AWS credentials) throws an InputError before any function is
 * invoked; every finding about the deployment is a failure in the result, never an exception.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeRun> {
    const startedAt = new Date().toISOString();
    const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_SMOKE_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_SMOKE_TIMEOUT_SECONDS) {
        throw new InputError(
            `--timeout-seconds ${timeoutSeconds}: expected a whole number of seconds from 1 to ${MAX_SMOKE_TIMEOUT_SECONDS}`,
        );
    }
    const deployed = deployedStack(options.state ?? exportedState(options));
    const events = new Map(deployed.functions.map((fn) => [fn.functionName, readSmokeEvent(options.root, fn.component)]));
    const target = options.target ?? (options.sandbox ? sandboxSmokeTarget(options.root) : awsSmokeTarget(regionOf(deployed)));
    const zips = [...deployed.functions.map((f) => f.zip), ...[...deployed.layers.values()].map((l) => l.zip)].filter(
        (z): z is ObjectRef => z !== undefined,
    );
    const probe = await target.probe({
        stack: options.stack,
        functions: deployed.functions.map((fn) => ({
            functionName: fn.functionName,
            event: {
                ...events.get(fn.functionName),
                ...(deployed.canonical ? { expect: { canonical_version: deployed.canonical.version } } : {}),
                ...(options.invokeModel ? { invoke_model: true } : {}),
            },
        })),
        layers: [...new Set(deployed.functions.flatMap((f) => f.layers))],
        objects: [...new Map(zips.map((z) => [objectKey(z), z])).values()],
        timeoutMs: timeoutSeconds * 1000,
    });
    const functions = deployed.functions.map((fn) => checkFunction(fn, deployed, probe, target.where));
    return {
        formatVersion: SMOKE_FORMAT_VERSION,
        stack: options.stack,
        target: target.kind,
        where: target.where,
        ...(deployed.commit ? { commit: deployed.commit } : {}),
        startedAt,
        finishedAt: new Date().toISOString(),
        ok: functions.every((f) => f.ok),
        functions,
        release: runRelease({ functions }),
        stateDigest: stateRelease(deployed),
    };
}
