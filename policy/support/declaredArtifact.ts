import * as crypto from "crypto";
import { CANONICAL_MANIFEST_KEY } from "../contract/canonicalManifest";
import { parseLayerDescription } from "../contract/layerDescription";
import { ARTIFACT_NAMES, parseArtifactKey } from "../contract/naming";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { sha256OfSourceCodeHash } from "../contract/sourceCodeHash";
import { assetHash } from "./policyInternals";
import { isUnknown } from "./props";

/**
 * Where a resource says which artifact and version it carries, and which bytes: the one reader for every policy
 * that asks (the promotion gates, the deployed-as-staged check, prod's releases-only rule).
 * - a function: its Component and Version tags; its ArtifactSha256 tag, its sourceCodeHash, its code archive;
 * - a layer version: its description (`<component> <version> sha256:<16 hex>`) and its sourceCodeHash;
 * - a zip in the code bucket (`lambdas/<name>-<version>.zip`, `layers/...`): its key, and the engine's own
 *   sha256 of the file it uploads (or of its content);
 * - the canonical manifest: its content's version and set sha256.
 * Once deployed, a function's or layer's `codeSha256` (Lambda's own hash of the package) comes first.
 */

/** What a resource carries of an artifact. */
export interface DeclaredArtifact {
    /** How messages name the resource ("function vectora-inbox-ingest-v2-prod"). */
    readonly what: string;
    readonly artifact: string;
    readonly version?: string;
    /** Every sha256 (hex) the resource states or carries for the bytes, with where it says it. */
    readonly hashes: ReadonlyArray<{ readonly from: string; readonly sha256?: string }>;
    /** A 16-hex prefix of the bytes' sha256 (a layer description's). */
    readonly prefix?: string;
    /** The artifact key it reads its bytes from (functions and layers). */
    readonly key?: string;
}

function known(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) && value !== "" ? value : undefined;
}

function sha256Hex(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

/** The bytes' sha256 of an object: the engine's hash of its file, or of its inline content. */
export function objectSha256(props: Record<string, unknown>): string | undefined {
    if (props.source !== undefined) {
        return assetHash(props.source);
    }
    const content = known(props.content);
    return content === undefined ? undefined : sha256Hex(content);
}

/** Where a deployed function's or layer's hash comes from: Lambda's own CodeSha256 of the package it holds. */
export const LAMBDA_CODE_SHA256 = "Lambda's codeSha256";

/** What a resource of type `type` carries, from its properties; undefined when it carries no artifact. */
export function declaredArtifact(type: string, name: string, props: Record<string, unknown>): DeclaredArtifact | undefined {
    const deployed = { from: LAMBDA_CODE_SHA256, sha256: sha256OfSourceCodeHash(known(props.codeSha256)) };
    const deployedHashes = deployed.sha256 ? [deployed] : [];
    if (type === TYPES.function) {
        const tags = isRecord(props.tags) ? props.tags : {};
        const hashes = [
            ...deployedHashes,
            { from: "its ArtifactSha256 tag", sha256: known(tags.ArtifactSha256) },
            { from: "its sourceCodeHash", sha256: sha256OfSourceCodeHash(known(props.sourceCodeHash)) },
        ];
        if (props.code !== undefined) {
            hashes.push({ from: "its code archive", sha256: assetHash(props.code) });
        }
        return {
            what: `function ${known(props.name) ?? name}`,
            artifact: known(tags.Component) ?? name,
            version: known(tags.Version),
            hashes,
            key: known(props.s3Key),
        };
    }
    if (type === TYPES.layerVersion) {
        const parsed = parseLayerDescription(known(props.description) ?? "");
        return {
            what: `layer ${known(props.layerName) ?? name}`,
            artifact: parsed?.component ?? name,
            version: parsed?.version,
            prefix: parsed?.sha16,
            hashes: [...deployedHashes, { from: "its sourceCodeHash", sha256: sha256OfSourceCodeHash(known(props.sourceCodeHash)) }],
            key: known(props.s3Key),
        };
    }
    if (type !== TYPES.object) {
        return undefined;
    }
    const key = known(props.key);
    if (key === CANONICAL_MANIFEST_KEY) {
        let doc: unknown;
        try {
            doc = JSON.parse(known(props.content) ?? "");
        } catch {
            doc = undefined;
        }
        const manifest = isRecord(doc) ? doc : {};
        return {
            what: `canonical manifest ${key}`,
            artifact: "canonical",
            version: known(manifest.version),
            hashes: [{ from: "its content", sha256: known(manifest.sha256) }],
        };
    }
    const parsed = key ? parseArtifactKey(key) : undefined;
    if (!parsed || !(ARTIFACT_NAMES as readonly string[]).includes(parsed.name)) {
        return undefined;
    }
    return {
        what: `zip ${key}`,
        artifact: parsed.name,
        version: parsed.version,
        hashes: [{ from: "its bytes", sha256: objectSha256(props) }],
    };
}
