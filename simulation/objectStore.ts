import { sha256Hex } from "../lib/hashing";
import { ARCHIVE_SIG, ASSET_SIG, SIG } from "../pulumi/wire";
import { isRecord } from "../policy/contract/records";

/**
 * The bytes S3 holds in the simulated account: every version of every object, by the sha256 of its content.
 * Lambda reads a function's or a layer's code from here, so the code hash it reports is the hash of what the
 * bucket really holds at that version, whatever the program claims in `sourceCodeHash`.
 */

/** One version of an object, as S3 keeps it. */
export interface StoredObject {
    readonly versionId: string;
    /** Hex sha256 of the object's bytes; absent on a delete marker. */
    readonly sha256?: string;
    /** A delete marker: the key reads as missing unless an older version is named. */
    readonly deleteMarker?: boolean;
}

/** Every version of every object, by `bucket/key`, oldest first. */
export type ObjectVersions = Record<string, StoredObject[]>;

/** Why S3 refused a read, in its own error codes. */
export type ObjectMiss = "NoSuchKey" | "NoSuchVersion";

/** The version of `bucket/key` a read names (the current one without a version id), or why S3 refuses it. */
export function findObject(store: ObjectVersions, bucket: string, key: string, versionId?: string): StoredObject | ObjectMiss {
    const versions = store[`${bucket}/${key}`] ?? [];
    if (versionId) {
        const found = versions.find((v) => v.versionId === versionId);
        // S3 answers NoSuchVersion for an unknown version id of an existing key, NoSuchKey when the key never existed.
        return found && !found.deleteMarker ? found : versions.length > 0 ? "NoSuchVersion" : "NoSuchKey";
    }
    const current = versions[versions.length - 1];
    return current && !current.deleteMarker ? current : "NoSuchKey";
}

/** Records a new version of an object (a write, or a delete marker when `sha256` is undefined). */
export function storeObject(store: ObjectVersions, bucket: string, key: string, version: StoredObject): void {
    (store[`${bucket}/${key}`] ??= []).push(version);
}

/**
 * Deletes every version of a key, as the provider deletes an object it manages (terraform-provider-aws
 * internal/service/s3/object.go, resourceObjectDelete: deleteAllObjectVersions when the object has a version id).
 */
export function deleteObject(store: ObjectVersions, bucket: string, key: string): void {
    delete store[`${bucket}/${key}`];
}

/** The wire form of an asset or archive, when a value is one. */
function assetOf(value: unknown): Record<string, unknown> | undefined {
    return isRecord(value) && (value[SIG] === ASSET_SIG || value[SIG] === ARCHIVE_SIG) ? value : undefined;
}

/**
 * The sha256 of the bytes a write sends, from an asset or archive in the wire form: the hash the engine computed
 * from the content (it sends one with every asset it hashed), else the sha256 of a text asset.
 */
export function assetSha256(value: unknown): string | undefined {
    const asset = assetOf(value);
    if (!asset) {
        return undefined;
    }
    if (typeof asset.hash === "string" && asset.hash !== "") {
        return asset.hash;
    }
    return typeof asset.text === "string" ? sha256Hex(asset.text) : undefined;
}

/**
 * The sha256 of the bytes an object write stores (`aws.s3.BucketObjectv2`): its `source`, `content` (UTF-8)
 * or `contentBase64`; an object with none of them is empty, as S3 stores it.
 */
export function objectContentSha256(inputs: Record<string, unknown>): string | undefined {
    if (inputs.source !== undefined && inputs.source !== null) {
        return assetSha256(inputs.source);
    }
    if (typeof inputs.content === "string") {
        return sha256Hex(inputs.content);
    }
    if (typeof inputs.contentBase64 === "string") {
        return sha256Hex(Buffer.from(inputs.contentBase64, "base64"));
    }
    return sha256Hex("");
}

/**
 * The properties whose change makes the provider upload the object again, which gives it a new version
 * (terraform-provider-aws internal/service/s3/object.go, hasObjectContentChanges).
 */
const UPLOAD_PROPERTIES = [
    "bucketKeyEnabled",
    "cacheControl",
    "contentBase64",
    "contentDisposition",
    "contentEncoding",
    "contentLanguage",
    "contentType",
    "content",
    "etag",
    "kmsKeyId",
    "metadata",
    "serverSideEncryption",
    "source",
    "sourceHash",
    "storageClass",
    "websiteRedirect",
] as const;

/** Whether an update of an object uploads it again (a new version), rather than changing its settings in place. */
export function objectUploadChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
    const changed = (k: string) => news[k] !== undefined && JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null);
    return UPLOAD_PROPERTIES.some(changed) || objectContentSha256(olds) !== objectContentSha256(news);
}
