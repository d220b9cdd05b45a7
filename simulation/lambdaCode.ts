import { sourceCodeHash } from "../policy/contract/sourceCodeHash";
import { ObjectMiss, StoredObject, assetSha256 } from "./objectStore";

type Props = Record<string, unknown>;

/** How Lambda reads the S3 object of a package. */
export type ObjectReader = (bucket: string, key: string, versionId?: string) => StoredObject | ObjectMiss;

function str(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/**
 * The properties whose change makes the provider upload new code (terraform-provider-aws
 * internal/service/lambda/function.go @ 0156d84e6bb47e4a5fe0c8e87cf2d14fb1dc3b8c, needsFunctionCodeUpdate: filename,
 * source_code_hash, s3_bucket, s3_key, s3_object_version, image_uri, architectures; `code` is the bridge's name for
 * filename).
 */
const CODE_PROPERTIES = ["code", "sourceCodeHash", "s3Bucket", "s3Key", "s3ObjectVersion", "imageUri", "architectures"] as const;

/** Of those, the Optional + Computed ones: left unset, they keep what the function has (no change). */
const KEPT_WHEN_UNSET = new Set<string>(["sourceCodeHash", "architectures"]);

/** Whether an update of a function uploads new code (UpdateFunctionCode). */
export function needsFunctionCodeUpdate(olds: Props, news: Props): boolean {
    return CODE_PROPERTIES.filter((k) => news[k] !== undefined || !KEPT_WHEN_UNSET.has(k)).some(
        (k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null),
    );
}

/** Lambda's answer when the S3 object of a package cannot be read (as AWS words it). */
function getObjectRefusal(miss: ObjectMiss): string {
    const message = miss === "NoSuchKey" ? "The specified key does not exist." : "The specified version does not exist.";
    return `InvalidParameterValueException: Error occurred while GetObject. S3 Error Code: ${miss}. S3 Error Message: ${message}`;
}

/**
 * Lambda's CodeSha256 of the package a function or layer deploys: the bytes of the S3 object version it names,
 * or of its `code` archive; never the `sourceCodeHash` the program claims. A missing object or version fails as
 * Lambda fails, prefixed with the provider's operation.
 */
export function deployedCodeSha256(inputs: Props, read: ObjectReader, operation: string): string | undefined {
    if (inputs.code !== undefined && inputs.code !== null) {
        const sha256 = assetSha256(inputs.code);
        return sha256 === undefined ? undefined : sourceCodeHash(sha256);
    }
    if (inputs.s3Bucket === undefined || inputs.s3Key === undefined) {
        return undefined;
    }
    const found = read(str(inputs.s3Bucket), str(inputs.s3Key), str(inputs.s3ObjectVersion) || undefined);
    if (typeof found === "string") {
        throw new Error(`${operation}: ${getObjectRefusal(found)}`);
    }
    return found.sha256 ? sourceCodeHash(found.sha256) : undefined;
}
