import * as crypto from "crypto";
import * as fs from "fs";
import { formatAttestation, smokeTagName } from "../../policy/contract/attestation";
import { evidenceFromExport } from "../../policy/contract/evidence";
import { lastChange } from "../../policy/contract/tested";
import * as path from "path";
import { tempDir } from "./fixtures";

/**
 * `pulumi stack export` documents of a deployed stack, written by hand for the gate's tests: the resources the
 * evidence reads, with their outputs shaped as pulumi-aws 7.x stores them (codeSha256 is base64 of the raw
 * sha256, as Lambda's CodeSha256).
 */

export type ExportResource = Record<string, unknown>;

/** Base64 of a hex sha256: Lambda's CodeSha256 and pulumi-aws' sourceCodeHash form. */
export function b64(hex: string): string {
    return Buffer.from(hex, "hex").toString("base64");
}

/** A sha256 in hex, computed here (never by the code under test). */
export function sha(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

const REGION = "eu-west-3";
const ACCOUNT = "123456789012";

function urn(env: string, type: string, name: string): string {
    return `urn:pulumi:${env}::vectora-inbox::${type}::${name}`;
}

/** A layer version ARN of our layer in an environment. */
export function layerArn(env: string, component: string, n: number): string {
    return `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:vectora-inbox-${component}-${env}:${n}`;
}

export interface FunctionState {
    readonly component: string;
    readonly version: string;
    readonly sha256: string;
    /** The tag may lie about the bytes (a hand change of code leaves it behind). */
    readonly tagSha256?: string;
    readonly layers: readonly string[];
    readonly lastModified?: string;
}

export function functionState(env: string, f: FunctionState): ExportResource {
    const name = `vectora-inbox-${f.component}-${env}`;
    return {
        urn: urn(env, "vectora:lambda:VectoraFunction$aws:lambda/function:Function", f.component),
        custom: true,
        id: name,
        type: "aws:lambda/function:Function",
        outputs: {
            name,
            codeSha256: b64(f.sha256),
            sourceCodeHash: b64(f.tagSha256 ?? f.sha256),
            s3Key: `lambdas/${f.component}-${f.version}.zip`,
            layers: [...f.layers],
            lastModified: f.lastModified ?? "2026-11-01T10:00:00.000+0000",
            tags: { Component: f.component, Version: f.version, ArtifactSha256: f.tagSha256 ?? f.sha256, Env: env },
        },
    };
}

export interface LayerState {
    readonly component: string;
    readonly version: string;
    readonly sha256: string;
    readonly number: number;
    readonly createdDate?: string;
}

export function layerState(env: string, l: LayerState): ExportResource {
    const arn = layerArn(env, l.component, l.number);
    return {
        urn: urn(env, "vectora:lambda:VersionedLayer$aws:lambda/layerVersion:LayerVersion", l.component),
        custom: true,
        id: arn,
        type: "aws:lambda/layerVersion:LayerVersion",
        outputs: {
            arn,
            layerName: `vectora-inbox-${l.component}-${env}`,
            description: `${l.component} ${l.version} sha256:${l.sha256.slice(0, 16)}`,
            codeSha256: b64(l.sha256),
            sourceCodeHash: b64(l.sha256),
            createdDate: l.createdDate ?? "2026-11-01T10:00:00.000+0000",
        },
    };
}

/** The canonical manifest's content, as the program writes it. */
export function manifestContent(version: string, setSha256: string, files: Readonly<Record<string, string>>): string {
    return `${JSON.stringify({ version, sha256: setSha256, files }, null, 2)}\n`;
}

/** The canonical objects of a config bucket: the manifest and one object per file (bytes given by their sha256). */
export function canonicalState(env: string, version: string, setSha256: string, files: Readonly<Record<string, string>>): ExportResource[] {
    const bucket = `vectora-inbox-config-${env}`;
    const content = manifestContent(version, setSha256, files);
    const manifest: ExportResource = {
        urn: urn(env, "vectora:config:CanonicalSync$aws:s3/bucketObjectv2:BucketObjectv2", "canonical-manifest"),
        custom: true,
        id: "manifests/canonical.json",
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        outputs: {
            bucket,
            key: "manifests/canonical.json",
            content,
            metadata: { "canonical-version": version, "canonical-sha256": setSha256 },
        },
    };
    const objects = Object.entries(files).map(([file, hash]) => ({
        urn: urn(env, "vectora:config:CanonicalSync$aws:s3/bucketObjectv2:BucketObjectv2", `canonical/${file}`),
        custom: true,
        id: `canonical/${file}`,
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        outputs: {
            bucket,
            key: `canonical/${file}`,
            source: { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", hash, path: `canonical/${file}` },
        },
    }));
    return [manifest, ...objects];
}

/** A stack export (deployment format version 3) holding these resources. */
export function stackExport(env: string, resources: readonly ExportResource[]): Record<string, unknown> {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-20T10:00:00Z", magic: "", version: "v3.248.0" },
            resources: [
                {
                    urn: `urn:pulumi:${env}::vectora-inbox::pulumi:pulumi:Stack::vectora-inbox-${env}`,
                    custom: false,
                    type: "pulumi:pulumi:Stack",
                },
                ...resources,
            ],
        },
    };
}

/** One artifact of a release, as the tests describe a stack's content. */
export interface Release {
    readonly core: { readonly version: string; readonly sha256: string };
    readonly deps: { readonly version: string; readonly sha256: string };
    readonly functions: Readonly<Record<string, { readonly version: string; readonly sha256: string }>>;
    readonly canonical: { readonly version: string; readonly sha256: string; readonly files: Readonly<Record<string, string>> };
}

/** A release of every artifact, with hashes derived from a seed (so two seeds give two different builds). */
export function release(seed = "base", versions: Partial<Record<string, string>> = {}): Release {
    const h = (name: string) => sha(`${seed}/${name}`);
    const files = {
        "clients/lai_weekly.yaml": h("canonical/clients/lai_weekly.yaml"),
        "scopes/company_scopes.yaml": h("canonical/scopes"),
    };
    return {
        core: { version: versions["vectora-core"] ?? "1.2.3", sha256: h("vectora-core") },
        deps: { version: versions["common-deps"] ?? "1.0.5", sha256: h("common-deps") },
        functions: {
            "ingest-v2": { version: versions["ingest-v2"] ?? "1.5.0", sha256: h("ingest-v2") },
            "normalize-score-v2": { version: versions["normalize-score-v2"] ?? "2.1.0", sha256: h("normalize-score-v2") },
            "newsletter-v2": { version: versions["newsletter-v2"] ?? "1.8.0", sha256: h("newsletter-v2") },
        },
        canonical: { version: versions.canonical ?? "1.1", sha256: h("canonical"), files },
    };
}

/** The export of a stack that runs a release, every function on the two layers (layer version numbers given). */
export function deployedExport(
    env: string,
    r: Release,
    layerNumbers: { core: number; deps: number } = { core: 1, deps: 1 },
    since?: string,
): Record<string, unknown> {
    const layers = [layerArn(env, "vectora-core", layerNumbers.core), layerArn(env, "common-deps", layerNumbers.deps)];
    return stackExport(env, [
        layerState(env, { component: "vectora-core", ...r.core, number: layerNumbers.core, createdDate: since }),
        layerState(env, { component: "common-deps", ...r.deps, number: layerNumbers.deps, createdDate: since }),
        ...Object.entries(r.functions).map(([component, f]) => functionState(env, { component, ...f, layers, lastModified: since })),
        ...canonicalState(env, r.canonical.version, r.canonical.sha256, r.canonical.files),
    ]);
}

/**
 * Points the pack's offline reader (VECTORA_OFFLINE_STACK_EXPORTS, honoured only when no Pulumi CLI runs the
 * process) at these exports, by fully qualified stack name. Each stack's tags are `tags[stack]`, or by default those of a
 * release that passed its smoke test (testedTags); a stack given only in `tags` has tags and no export. Returns the
 * map file.
 */
export function useOfflineExports(
    exports: Readonly<Record<string, unknown>>,
    tags: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): string {
    const dir = tempDir("vectora-exports-");
    const map: Record<string, { export?: string; tags: string }> = {};
    const put = (stack: string, what: string, doc: unknown) => {
        const file = `${stack.replace(/\//g, "_")}.${what}.json`;
        fs.writeFileSync(path.join(dir, file), JSON.stringify(doc));
        return file;
    };
    for (const [stack, doc] of Object.entries(exports)) {
        map[stack] = { export: put(stack, "export", doc), tags: put(stack, "tags", tags[stack] ?? testedTags(doc, stack)) };
    }
    for (const [stack, own] of Object.entries(tags).filter(([stack]) => !(stack in exports))) {
        map[stack] = { tags: put(stack, "tags", own) };
    }
    const mapFile = path.join(dir, "exports.json");
    fs.writeFileSync(mapFile, JSON.stringify(map));
    process.env.VECTORA_OFFLINE_STACK_EXPORTS = mapFile;
    return mapFile;
}

/**
 * The tags `npm run smoke` leaves on a stack whose release passed, a minute after the stack last changed (or at
 * `at`): what the gates of the next environment ask of it. The default of useOfflineExports, so that a test about
 * something else meets a tested source.
 */
export function testedTags(doc: unknown, stack: string, at?: string): Record<string, string> {
    const evidence = evidenceFromExport(doc, stack);
    const when = at ?? new Date((lastChange(evidence) ?? Date.parse("2026-01-01T00:00:00Z")) + 60_000).toISOString();
    return { [smokeTagName(evidence.digest)]: formatAttestation({ result: "pass", at: when, digest: evidence.digest }) };
}

/** The wire form of a file asset as the engine sends it to a pack: its path and the sha256 it computed. */
export function fileAsset(file: string, hash: string): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", path: file, hash };
}

/** A declared resource, as a policy test hands it to the pack. */
export interface Declared {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
}

/** The gate's record of a source release, as the program writes it. */
export function recordOf(r: Release, since = "2026-11-01T10:00:00.000+0000"): Record<string, unknown> {
    const artifacts: Record<string, { version: string; sha256: string; since?: string }> = {
        "vectora-core": { ...r.core, since },
        "common-deps": { ...r.deps, since },
        canonical: { version: r.canonical.version, sha256: r.canonical.sha256 },
    };
    for (const [name, f] of Object.entries(r.functions)) {
        artifacts[name] = { ...f, since };
    }
    const sorted = Object.fromEntries(
        Object.keys(artifacts)
            .sort()
            .map((k) => [k, artifacts[k]]),
    );
    const digestLines = Object.keys(sorted)
        .map((k) => `${k} ${sorted[k].version} ${sorted[k].sha256}\n`)
        .join("");
    return { digest: sha(digestLines), artifacts: sorted, problems: [] };
}

/** What a release deploys, per artifact, as the gate lists it. */
export function deploysOf(r: Release): Record<string, { version: string; sha256: string; built: boolean }> {
    const out: Record<string, { version: string; sha256: string; built: boolean }> = {
        "vectora-core": { ...r.core, built: true },
        "common-deps": { ...r.deps, built: true },
        canonical: { version: r.canonical.version, sha256: r.canonical.sha256, built: true },
    };
    for (const [name, f] of Object.entries(r.functions)) {
        out[name] = { ...f, built: true };
    }
    return out;
}

/** The promotion gate a program registers: the source it read, its record of it, what it deploys, and on what basis. */
export function gateOf(sourceStack: string, record: unknown, deploys: unknown, basis = "promotion"): Declared {
    return { type: "vectora:promotion:PromotionGate", name: "promotion-gate", props: { sourceStack, source: record, deploys, basis } };
}

/** The release digest of a release: sha256 of `name version sha256` lines in name order (written here by hand). */
export function digestOf(r: Release): string {
    return (recordOf(r) as { digest: string }).digest;
}

/**
 * The tags a stack holds once a release passed its smoke test there, written by hand in the documented form
 * (policy/contract/attestation.ts): the attestation, then one tag per artifact in name order.
 */
export function passedTags(r: Release, at: string, result = "pass"): Record<string, string> {
    const digest = digestOf(r);
    const artifacts = (recordOf(r) as { artifacts: Record<string, { version: string; sha256: string }> }).artifacts;
    const tags: Record<string, string> = { [`vectora:smoke:${digest.slice(0, 24)}`]: `v1 ${result} ${at} ${digest} -` };
    Object.keys(artifacts).forEach((name, i) => {
        tags[`vectora:release:${digest.slice(0, 16)}:${i + 1}`] = `${name} ${artifacts[name].version} ${artifacts[name].sha256}`;
    });
    return tags;
}

/**
 * Every resource of a stack that carries an artifact, as the program declares a release: the zips with the
 * engine's hash of their bytes, the layers, the functions, the canonical files and manifest.
 */
export function declaredRelease(env: string, r: Release): Declared[] {
    const code = `vectora-inbox-lambda-code-${env}`;
    const zip = (name: string, folder: string, a: { version: string; sha256: string }): Declared => ({
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        name: `${name}-zip`,
        props: {
            bucket: code,
            key: `${folder}/${name}-${a.version}.zip`,
            source: fileAsset(`.build/artifacts/${name}-${a.version}.zip`, a.sha256),
            metadata: { version: a.version, sha256: a.sha256 },
        },
    });
    const layer = (name: string, a: { version: string; sha256: string }): Declared => ({
        type: "aws:lambda/layerVersion:LayerVersion",
        name,
        props: {
            layerName: `vectora-inbox-${name}-${env}`,
            description: `${name} ${a.version} sha256:${a.sha256.slice(0, 16)}`,
            s3Bucket: code,
            s3Key: `layers/${name}-${a.version}.zip`,
            sourceCodeHash: b64(a.sha256),
        },
    });
    const out: Declared[] = [
        zip("vectora-core", "layers", r.core),
        layer("vectora-core", r.core),
        zip("common-deps", "layers", r.deps),
        layer("common-deps", r.deps),
    ];
    for (const [name, f] of Object.entries(r.functions)) {
        out.push(zip(name, "lambdas", f), {
            type: "aws:lambda/function:Function",
            name,
            props: {
                name: `vectora-inbox-${name}-${env}`,
                s3Bucket: code,
                s3Key: `lambdas/${name}-${f.version}.zip`,
                sourceCodeHash: b64(f.sha256),
                tags: {
                    Project: "vectora-inbox",
                    Env: env,
                    ManagedBy: "pulumi",
                    Component: name,
                    Version: f.version,
                    ArtifactSha256: f.sha256,
                },
            },
        });
    }
    for (const [file, hash] of Object.entries(r.canonical.files)) {
        out.push({
            type: "aws:s3/bucketObjectv2:BucketObjectv2",
            name: `canonical/${file}`,
            props: { bucket: `vectora-inbox-config-${env}`, key: `canonical/${file}`, source: fileAsset(`canonical/${file}`, hash) },
        });
    }
    out.push({
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        name: "canonical-manifest",
        props: {
            bucket: `vectora-inbox-config-${env}`,
            key: "manifests/canonical.json",
            content: manifestContent(r.canonical.version, r.canonical.sha256, r.canonical.files),
            metadata: { "canonical-version": r.canonical.version, "canonical-sha256": r.canonical.sha256 },
        },
    });
    return out;
}

/** An export in which one function claims another version (its Version tag and the key it runs from), consistently. */
export function withFunctionVersion(doc: Record<string, unknown>, component: string, version: string): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(doc)) as {
        deployment: { resources: Array<{ type: string; outputs?: Record<string, unknown> }> };
    };
    const fn = copy.deployment.resources.find(
        (r) =>
            r.type === "aws:lambda/function:Function" && (r.outputs?.tags as Record<string, string> | undefined)?.Component === component,
    );
    if (!fn?.outputs) {
        throw new Error(`no function ${component} in the export`);
    }
    fn.outputs = {
        ...fn.outputs,
        s3Key: `lambdas/${component}-${version}.zip`,
        tags: { ...(fn.outputs.tags as object), Version: version },
    };
    return copy;
}
