import * as crypto from "crypto";
import { CANONICAL_MANIFEST_KEY, CANONICAL_METADATA } from "./canonicalManifest";
import { parseLayerDescription } from "./layerDescription";
import { Env, FUNCTION_COMPONENTS, LAYER_COMPONENTS, isEnv, parseArtifactKey, physicalName } from "./naming";
import { TYPES } from "./resourceTypes";
import { sha256OfSourceCodeHash } from "./sourceCodeHash";
import { isRecord } from "./records";

/**
 * What an environment really runs, read from its stack's state: each resource as the provider last returned
 * it, never an output the program computed. The promotion gate of the next environment compares what it is
 * about to deploy with this, and both the policy pack and the program read it the same way.
 *
 * The bytes come from the hashes AWS computes itself: a function's and a layer version's `codeSha256`
 * (Lambda's CodeSha256 of the package it really holds; pulumi-aws 7.x `aws.lambda.Function.codeSha256`,
 * `aws.lambda.LayerVersion.codeSha256`), and the canonical manifest's content. A function's version is its
 * `Version` tag, which the same update sets with its code; a layer's is its description. A state that does not
 * hang together (a tag that disagrees with the bytes, a function on another version of a layer than the one
 * the state holds, a canonical file that is not the one the manifest lists) is a problem: the gate fails
 * closed on it, because such a state is what a targeted update or a hand change leaves behind.
 */

/** One artifact as an environment runs it. */
export interface RunningArtifact {
    readonly version: string;
    /** Full sha256 (64 hex) of the bytes: of the zip for layers and functions, of the file set for canonical. */
    readonly sha256: string;
    /** When AWS last wrote it (a function's lastModified, a layer version's createdDate), when the state says. */
    readonly since?: string;
    /** The resource it was read from (its URN). */
    readonly resource: string;
}

/** Everything the gate needs to know about what one stack runs. */
export interface Evidence {
    /** The stack it was read from (fully qualified). */
    readonly stack: string;
    /** By artifact name: the layers, the functions and `canonical`. */
    readonly artifacts: Readonly<Record<string, RunningArtifact>>;
    /** The canonical files the config bucket holds, by path under canonical/: their sha256. */
    readonly canonicalFiles: Readonly<Record<string, string>>;
    /** Why the state cannot be trusted as a whole (empty when it hangs together). */
    readonly problems: readonly string[];
    /** One hash of every artifact's name, version and sha256: the release this stack runs. */
    readonly digest: string;
}

/** A full sha256 in hex: evidence is compared on whole hashes only, never on a prefix. */
export const FULL_SHA256 = /^[0-9a-f]{64}$/;

/** True for a full 64-hex sha256. */
export function isFullSha256(value: unknown): value is string {
    return typeof value === "string" && FULL_SHA256.test(value);
}

function sha256Hex(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

/**
 * The release a set of artifacts makes: one sha256 over `name version sha256` lines in name order, so that the
 * same versions and bytes always give the same digest, whoever computes it.
 */
export function releaseDigest(artifacts: Readonly<Record<string, { readonly version: string; readonly sha256: string }>>): string {
    const lines = Object.keys(artifacts)
        .sort()
        .map((name) => `${name} ${artifacts[name].version} ${artifacts[name].sha256}\n`);
    return sha256Hex(lines.join(""));
}

/** The signatures Pulumi's state uses for secrets and output values (sdk/go/common/resource/sig). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** A value as the state holds it, unwrapped from an output value; undefined for a secret (unreadable here). */
function plain(value: unknown): unknown {
    if (isRecord(value) && value[SIG] === OUTPUT_VALUE_SIG) {
        return plain(value.value);
    }
    if (isRecord(value) && value[SIG] === SECRET_SIG) {
        return undefined;
    }
    return value;
}

function text(value: unknown): string | undefined {
    const v = plain(value);
    return typeof v === "string" && v !== "" ? v : undefined;
}

function record(value: unknown): Record<string, unknown> {
    const v = plain(value);
    return isRecord(v) ? v : {};
}

/** The hex sha256 of an object's bytes as the state records them: S3's own checksum, the asset's hash, or its content. */
function objectSha256(outputs: Record<string, unknown>): string | undefined {
    const checksum = sha256OfSourceCodeHash(text(outputs.checksumSha256));
    if (checksum) {
        return checksum;
    }
    const source = plain(outputs.source);
    if (isRecord(source) && source[SIG] === ASSET_SIG && isFullSha256(source.hash)) {
        return source.hash;
    }
    const content = text(outputs.content);
    return content === undefined ? undefined : sha256Hex(content);
}

/** One resource of a state export: what the evidence reads of it. */
interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly outputs: Record<string, unknown>;
}

/** The live custom resources of an export: not being deleted, not read from elsewhere. */
function liveResources(exportDoc: unknown): StateResource[] | string {
    const doc = isRecord(exportDoc) ? exportDoc : {};
    const deployment = isRecord(doc.deployment) ? doc.deployment : undefined;
    // A stack that never deployed exports no `resources` at all (apitype.DeploymentV3 marks it omitempty,
    // pulumi/pulumi sdk/go/common/apitype/core.go): it runs nothing, which the gate then names.
    const resources = deployment?.resources ?? [];
    if (doc.version !== 3 || !deployment || !Array.isArray(resources)) {
        return "its state is not a stack export of deployment format version 3";
    }
    return resources
        .filter(isRecord)
        .filter(
            (r) => r.custom === true && r.delete !== true && r.external !== true && typeof r.urn === "string" && typeof r.type === "string",
        )
        .map((r) => ({ urn: r.urn as string, type: r.type as string, outputs: isRecord(r.outputs) ? r.outputs : {} }));
}

/** The short name of a resource for messages (the last part of its URN). */
function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The layer name and version number of a layer version ARN (`arn:aws:lambda:<region>:<account>:layer:<name>:<n>`). */
function layerOfArn(arn: string): { name: string; version: string } | undefined {
    const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:layer:([^:]+):(\d+)$/.exec(arn);
    return match ? { name: match[1], version: match[2] } : undefined;
}

interface Reading {
    /** The environment the stack must hold (its name's last part), when it is one of ours. */
    readonly env?: Env;
    readonly artifacts: Record<string, RunningArtifact>;
    readonly problems: string[];
}

/**
 * Why a resource read as `env`'s is another environment's: a renamed or copied stack holds true state, but of
 * the functions, layers and buckets of the environment it came from, and runs nothing in `env`.
 */
function foreign(reading: Reading, what: string, actual: string | undefined, base: string): string | undefined {
    if (!reading.env || actual === physicalName(base, reading.env)) {
        return undefined;
    }
    const expected = physicalName(base, reading.env);
    return `${what} ${actual ?? "(unnamed)"} is not ${reading.env}'s ${expected}: the state is another environment's`;
}

function readFunctions(resources: readonly StateResource[], reading: Reading): Array<{ name: string; layers: string[] }> {
    const attached: Array<{ name: string; layers: string[] }> = [];
    for (const r of resources.filter((x) => x.type === TYPES.function)) {
        const name = text(r.outputs.name) ?? nameOf(r.urn);
        const tags = record(r.outputs.tags);
        const component = text(tags.Component);
        const layers = plain(r.outputs.layers);
        attached.push({ name, layers: Array.isArray(layers) ? layers.filter((l): l is string => typeof l === "string") : [] });
        if (!component || !(FUNCTION_COMPONENTS as readonly string[]).includes(component)) {
            continue;
        }
        const version = text(tags.Version);
        const sha256 = sha256OfSourceCodeHash(text(r.outputs.codeSha256));
        const claimed = text(tags.ArtifactSha256);
        const key = parseArtifactKey(text(r.outputs.s3Key) ?? "");
        const elsewhere = foreign(reading, "function", text(r.outputs.name), component);
        if (elsewhere) {
            reading.problems.push(elsewhere);
        } else if (!version) {
            reading.problems.push(`function ${name} has no Version tag, so its version is unknown`);
        } else if (!sha256) {
            reading.problems.push(`function ${name} has no codeSha256 in the state, so the bytes it runs are unknown`);
        } else if (claimed !== sha256) {
            reading.problems.push(
                `function ${name} runs code with sha256 ${sha256} but its ArtifactSha256 tag says ${claimed ?? "nothing"} ` +
                    `(its code was changed outside a deploy of this program)`,
            );
        } else if (key && (key.name !== component || key.version !== version)) {
            reading.problems.push(`function ${name} is tagged ${component} ${version} but runs ${text(r.outputs.s3Key)}`);
        } else if (reading.artifacts[component]) {
            reading.problems.push(`two functions run ${component}: ${nameOf(reading.artifacts[component].resource)} and ${name}`);
        } else {
            reading.artifacts[component] = { version, sha256, since: text(r.outputs.lastModified), resource: r.urn };
        }
    }
    return attached;
}

function readLayers(resources: readonly StateResource[], functions: ReturnType<typeof readFunctions>, reading: Reading): void {
    for (const r of resources.filter((x) => x.type === TYPES.layerVersion)) {
        const description = text(r.outputs.description) ?? "";
        const parsed = parseLayerDescription(description);
        const arn = text(r.outputs.arn);
        if (!parsed || !(LAYER_COMPONENTS as readonly string[]).includes(parsed.component) || !arn) {
            continue;
        }
        const layer = layerOfArn(arn);
        const sha256 = sha256OfSourceCodeHash(text(r.outputs.codeSha256));
        const notOurs = foreign(reading, "layer", layer?.name, parsed.component);
        if (notOurs) {
            reading.problems.push(notOurs);
            continue;
        }
        if (!sha256) {
            reading.problems.push(`layer version ${arn} has no codeSha256 in the state, so the bytes it holds are unknown`);
            continue;
        }
        if (!sha256.startsWith(parsed.sha16)) {
            reading.problems.push(`layer version ${arn} holds sha256 ${sha256} but its description says ${description}`);
            continue;
        }
        // What runs is what the functions attach: a layer version published without its functions runs nowhere.
        const elsewhere = functions.filter((f) => !f.layers.includes(arn));
        if (elsewhere.length > 0) {
            const other = elsewhere[0].layers.find((l) => layerOfArn(l)?.name === layer?.name);
            reading.problems.push(
                `function ${elsewhere[0].name} runs ${other ?? `no version of ${layer?.name ?? arn}`}, not ${arn} ` +
                    `(${parsed.component} ${parsed.version}) that the state holds for the layer (a targeted or partial update?)`,
            );
            continue;
        }
        if (reading.artifacts[parsed.component]) {
            reading.problems.push(
                `two layer versions hold ${parsed.component}: ${reading.artifacts[parsed.component].resource} and ${arn}`,
            );
            continue;
        }
        reading.artifacts[parsed.component] = { version: parsed.version, sha256, since: text(r.outputs.createdDate), resource: r.urn };
    }
}

/** What the manifest says of the canonical set, or why it cannot be read. */
function parseManifest(content: string): { version: string; sha256: string; files: Record<string, string> } | string {
    let doc: unknown;
    try {
        doc = JSON.parse(content);
    } catch {
        return "is not JSON";
    }
    if (!isRecord(doc) || typeof doc.version !== "string" || !isFullSha256(doc.sha256) || !isRecord(doc.files)) {
        return "lacks its version, sha256 or files";
    }
    const files: Record<string, string> = {};
    for (const [file, sha] of Object.entries(doc.files)) {
        if (!isFullSha256(sha)) {
            return `lists ${file} without a full sha256`;
        }
        files[file] = sha;
    }
    return { version: doc.version, sha256: doc.sha256, files };
}

function readCanonical(resources: readonly StateResource[], reading: Reading): Record<string, string> {
    const objects = resources.filter((r) => r.type === TYPES.object);
    const manifests = objects.filter((r) => text(r.outputs.key) === CANONICAL_MANIFEST_KEY);
    if (manifests.length !== 1) {
        if (manifests.length > 1) {
            reading.problems.push(`the state holds ${manifests.length} canonical manifests (${CANONICAL_MANIFEST_KEY})`);
        }
        return {};
    }
    const manifest = manifests[0];
    const elsewhere = foreign(reading, "the canonical manifest's bucket", text(manifest.outputs.bucket), "config");
    if (elsewhere) {
        reading.problems.push(elsewhere);
        return {};
    }
    const content = text(manifest.outputs.content);
    const parsed = content === undefined ? "has no content in the state" : parseManifest(content);
    if (typeof parsed === "string") {
        reading.problems.push(`the canonical manifest ${CANONICAL_MANIFEST_KEY} ${parsed}`);
        return {};
    }
    const stored = objectSha256(manifest.outputs);
    if (stored !== sha256Hex(content as string)) {
        reading.problems.push(`the canonical manifest's bytes (sha256 ${stored}) are not its recorded content`);
        return {};
    }
    const metadata = record(manifest.outputs.metadata);
    if (text(metadata[CANONICAL_METADATA.version]) !== parsed.version || text(metadata[CANONICAL_METADATA.sha256]) !== parsed.sha256) {
        reading.problems.push(`the canonical manifest's metadata does not match its content`);
        return {};
    }
    const held = new Map<string, string | undefined>();
    for (const r of objects) {
        const key = text(r.outputs.key) ?? "";
        if (key.startsWith("canonical/") && text(r.outputs.bucket) === text(manifest.outputs.bucket)) {
            held.set(key.slice("canonical/".length), objectSha256(r.outputs));
        }
    }
    for (const [file, sha] of Object.entries(parsed.files)) {
        if (held.get(file) !== sha) {
            reading.problems.push(
                `canonical/${file} ${held.has(file) ? `holds sha256 ${held.get(file) ?? "unknown"}` : "is not in the state"} ` +
                    `but the canonical manifest lists ${sha}`,
            );
        }
    }
    for (const file of held.keys()) {
        if (!(file in parsed.files)) {
            reading.problems.push(`canonical/${file} is in the config bucket but not in the canonical manifest`);
        }
    }
    reading.artifacts.canonical = { version: parsed.version, sha256: parsed.sha256, resource: manifest.urn };
    return parsed.files;
}

/**
 * Reads what a stack runs from its `pulumi stack export` document. Never throws: what cannot be read becomes a
 * problem, and the gate fails closed on any problem.
 */
export function evidenceFromExport(exportDoc: unknown, stack: string): Evidence {
    const resources = liveResources(exportDoc);
    if (typeof resources === "string") {
        return { stack, artifacts: {}, canonicalFiles: {}, problems: [resources], digest: releaseDigest({}) };
    }
    const short = stack.slice(stack.lastIndexOf("/") + 1);
    const reading: Reading = { env: isEnv(short) ? short : undefined, artifacts: {}, problems: [] };
    // A state whose resources name another stack in their URNs was not made by deploying this one.
    const other = resources.find((r) => !r.urn.startsWith(`urn:pulumi:${short}::`));
    if (other) {
        reading.problems.push(`it holds ${other.urn}, a resource of another stack`);
    }
    const functions = readFunctions(resources, reading);
    readLayers(resources, functions, reading);
    const canonicalFiles = readCanonical(resources, reading);
    const artifacts = Object.fromEntries(
        Object.keys(reading.artifacts)
            .sort()
            .map((k) => [k, reading.artifacts[k]]),
    );
    return { stack, artifacts, canonicalFiles, problems: reading.problems, digest: releaseDigest(artifacts) };
}
