import { sha256Hex } from "../lib/hashing";
import { SIG } from "../pulumi/wire";
import { isRecord } from "../policy/contract/records";
import { normalizedDocument } from "./documents";
import { DEFAULTS_KEY } from "./schema/model";
import { deployedCodeSha256, needsFunctionCodeUpdate } from "./lambdaCode";
import {
    ObjectMiss,
    ObjectVersions,
    StoredObject,
    deleteObject,
    findObject,
    objectContentSha256,
    objectUploadChanged,
    storeObject,
} from "./objectStore";
import { schemaOf } from "./schema";

/**
 * What AWS computes for the resources this program declares: ids, ARNs, version numbers and dates.
 *
 * One simulation for the whole project: the sandbox's provider plugin (the real engine's `pulumi-resource-aws`
 * in `npm run sandbox`) and the offline preview's mocks both take their AWS behaviour from here. The
 * account is AWS's documentation account; nothing here talks to AWS.
 */
export const SIMULATED_ACCOUNT = "123456789012";

/** Property values in Pulumi's wire form. */
export type Props = Record<string, unknown>;

/**
 * What only the account knows when a resource is written: numbers and ids AWS hands out, the bytes S3 holds,
 * and the time.
 */
export interface AccountClock {
    /** The version number AWS gives the next version of a layer of this name (1, 2, ...). */
    nextLayerVersion(layerName: string): number;
    /**
     * Stores a write of an object (the hex sha256 of its bytes; undefined for a delete marker) and returns the
     * version id S3 gives it.
     */
    putObject(bucket: string, key: string, sha256: string | undefined): string;
    /** The version of an object a read names (the current one without a version id), or S3's refusal. */
    getObject(bucket: string, key: string, versionId?: string): StoredObject | ObjectMiss;
    /** Deletes an object with all its versions. */
    deleteObject(bucket: string, key: string): void;
    /** Now, as AWS would stamp it. */
    now(): Date;
}

/**
 * The object store of an account: write counters per `bucket/key` (each write's version id follows from its
 * number) and every version's content hash.
 */
export function objectStoreClock(
    counters: Record<string, number>,
    versions: ObjectVersions,
): Pick<AccountClock, "putObject" | "getObject" | "deleteObject"> {
    return {
        putObject: (bucket, key, sha256) => {
            const writes = (counters[`${bucket}/${key}`] = (counters[`${bucket}/${key}`] ?? 0) + 1);
            const versionId = objectVersionId(bucket, key, writes);
            storeObject(versions, bucket, key, sha256 === undefined ? { versionId, deleteMarker: true } : { versionId, sha256 });
            return versionId;
        },
        getObject: (bucket, key, versionId) => findObject(versions, bucket, key, versionId),
        deleteObject: (bucket, key) => deleteObject(versions, bucket, key),
    };
}

/** A clock for a fresh account that lives in memory only (the offline preview's). */
export function freshAccountClock(now: () => Date = () => new Date()): AccountClock {
    const layers = new Map<string, number>();
    return {
        nextLayerVersion: (name) => {
            const n = (layers.get(name) ?? 0) + 1;
            layers.set(name, n);
            return n;
        },
        ...objectStoreClock({}, {}),
        now,
    };
}

/** An id shaped like the UUIDs AWS Backup hands out, the same for the same seed. */
function uuidOf(seed: string): string {
    const h = sha256Hex(seed);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An S3 version id: 32 characters, different for every write of the same key. */
export function objectVersionId(bucket: string, key: string, write: number): string {
    return sha256Hex(`${bucket}/${key}#${write}`).slice(0, 32);
}

/** Lambda's date format (`2026-11-23T10:00:00.000+0000`). */
export function lambdaDate(date: Date): string {
    return date.toISOString().replace("Z", "+0000");
}

function str(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/** Whether a change of this property replaces a resource of this type (the upstream schema's ForceNew). */
export function replacesOnChange(type: string, property: string): boolean {
    return schemaOf(type)?.properties[property]?.forceNew === true;
}

/**
 * The properties AWS computes for each type (outputs that are never inputs, and what it chooses for an Optional +
 * Computed property the program leaves unset), given the inputs. Values that depend on the write (version numbers,
 * object versions, dates) come from the account.
 */
function computed(type: string, inputs: Props, region: string, account: AccountClock): { id: string; outputs: Props } {
    const id = SIMULATED_ACCOUNT;
    switch (type) {
        case "aws:s3/bucket:Bucket": {
            const bucket = str(inputs.bucket);
            const invalid = bucketNameProblem(bucket, region);
            if (invalid) {
                throw new Error(`validating S3 Bucket (${bucket}) name: ${invalid}`);
            }
            return {
                id: bucket,
                outputs: {
                    arn: `arn:aws:s3:::${bucket}`,
                    bucketDomainName: `${bucket}.s3.amazonaws.com`,
                    bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                },
            };
        }
        case "aws:s3/bucketObjectv2:BucketObjectv2": {
            const bucket = str(inputs.bucket);
            const key = str(inputs.key);
            // An object whose bytes are not known here (a probe) stores nothing.
            const versionId = account.putObject(bucket, key, objectContentSha256(inputs) ?? "");
            return { id: key, outputs: { arn: `arn:aws:s3:::${bucket}/${key}`, versionId } };
        }
        case "aws:lambda/layerVersion:LayerVersion": {
            const codeSha256 = deployedCodeSha256(inputs, account.getObject, `publishing Lambda Layer (${str(inputs.layerName)}) Version`);
            const layerArn = `arn:aws:lambda:${region}:${id}:layer:${str(inputs.layerName)}`;
            const version = account.nextLayerVersion(str(inputs.layerName));
            const arn = `${layerArn}:${version}`;
            return { id: arn, outputs: { arn, layerArn, version: String(version), createdDate: lambdaDate(account.now()), codeSha256 } };
        }
        case "aws:lambda/function:Function":
            return { id: str(inputs.name), outputs: functionOutputs(inputs, region, account) };
        case "aws:lambda/functionUrl:FunctionUrl": {
            const urlId = uuidOf(`url ${str(inputs.functionName)}`).replace(/-/g, "");
            return {
                id: str(inputs.functionName),
                outputs: {
                    functionArn: `arn:aws:lambda:${region}:${id}:function:${str(inputs.functionName)}`,
                    functionUrl: `https://${urlId}.lambda-url.${region}.on.aws/`,
                    urlId,
                },
            };
        }
        case "aws:lambda/permission:Permission":
            return { id: str(inputs.statementId), outputs: {} };
        case "aws:lambda/layerVersionPermission:LayerVersionPermission":
            return {
                id: `${str(inputs.layerName)},${String(inputs.versionNumber)}`,
                outputs: { policy: "", revisionId: uuidOf(str(inputs.statementId)) },
            };
        case "aws:iam/role:Role":
            return {
                id: str(inputs.name),
                outputs: {
                    arn: `arn:aws:iam::${id}:role/${str(inputs.name)}`,
                    createDate: account.now().toISOString(),
                    uniqueId: `AROA${sha256Hex(str(inputs.name)).slice(0, 17).toUpperCase()}`,
                },
            };
        case "aws:iam/user:User":
            return {
                id: str(inputs.name),
                outputs: {
                    arn: `arn:aws:iam::${id}:user/${str(inputs.name)}`,
                    uniqueId: `AIDA${sha256Hex(str(inputs.name)).slice(0, 17).toUpperCase()}`,
                },
            };
        case "aws:iam/accessKey:AccessKey":
            return {
                id: `AKIA${sha256Hex(`${str(inputs.user)} ${account.now().toISOString()}`)
                    .slice(0, 16)
                    .toUpperCase()}`,
                outputs: { createDate: account.now().toISOString(), secret: sha256Hex(str(inputs.user)).slice(0, 40) },
            };
        case "aws:iam/rolePolicy:RolePolicy":
            return { id: `${str(inputs.role)}:${str(inputs.name)}`, outputs: {} };
        case "aws:cloudwatch/logGroup:LogGroup":
            return {
                id: str(inputs.name),
                outputs: { arn: `arn:aws:logs:${region}:${id}:log-group:${str(inputs.name)}`, logGroupClass: "STANDARD" },
            };
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            // One role holds several attachments: the id must tell them apart.
            return { id: `${str(inputs.role)}/${str(inputs.policyArn)}`, outputs: {} };
        case "aws:backup/vault:Vault":
            return {
                id: str(inputs.name),
                outputs: { arn: `arn:aws:backup:${region}:${id}:backup-vault:${str(inputs.name)}`, recoveryPoints: 0 },
            };
        case "aws:backup/plan:Plan": {
            const planId = uuidOf(`plan ${str(inputs.name)}`);
            return { id: planId, outputs: { arn: `arn:aws:backup:${region}:${id}:backup-plan:${planId}`, version: uuidOf(planId) } };
        }
        case "aws:backup/selection:Selection":
            return { id: uuidOf(`selection ${str(inputs.planId)} ${str(inputs.name)}`), outputs: {} };
        default:
            // The bucket's sub-resources (policy, versioning, encryption...) are named by their bucket.
            return { id: str(inputs.bucket) || str(inputs.name) || type, outputs: {} };
    }
}

/**
 * A function's outputs: its ARNs and dates, the code hash of what it deploys, and what Lambda fills in when the
 * program does not say (GetFunction's answer as the provider reads it, function.go resourceFunctionRead: x86_64,
 * 512 MB of ephemeral storage, Text logs to /aws/lambda/<name>, PassThrough tracing).
 */
function functionOutputs(inputs: Props, region: string, account: AccountClock): Props {
    const name = str(inputs.name);
    const arn = `arn:aws:lambda:${region}:${SIMULATED_ACCOUNT}:function:${name}`;
    const invoke = (target: string) => `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${target}/invocations`;
    return {
        arn,
        qualifiedArn: `${arn}:$LATEST`,
        invokeArn: invoke(arn),
        qualifiedInvokeArn: invoke(`${arn}:$LATEST`),
        version: "$LATEST",
        lastModified: lambdaDate(account.now()),
        codeSha256: deployedCodeSha256(inputs, account.getObject, `creating Lambda Function (${name})`),
        architectures: ["x86_64"],
        ephemeralStorage: { size: 512 },
        loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${name}`, applicationLogLevel: "", systemLogLevel: "" },
        tracingConfig: { mode: "PassThrough" },
    };
}

/**
 * Why S3 refuses a bucket name at creation, in the provider's words (bucket.go validBucketName, checked in
 * resourceBucketCreate): outside us-east-1 a name is 3 to 63 lowercase letters, digits, dots and hyphens, not an
 * IP address, with no leading, trailing or doubled dot.
 */
export function bucketNameProblem(name: string, region: string): string | undefined {
    if (region === "us-east-1") {
        return name.length > 255 ? `"${name}" must contain less than 256 characters` : undefined;
    }
    if (name.length < 3 || name.length > 63) {
        return `"${name}" must contain from 3 to 63 characters`;
    }
    if (!/^[0-9a-z-.]+$/.test(name)) {
        return `only lowercase alphanumeric characters and hyphens allowed in "${name}"`;
    }
    if (/^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$/.test(name)) {
        return `"${name}" must not be formatted as an IP address`;
    }
    if (name.startsWith(".")) {
        return `"${name}" cannot start with a period`;
    }
    if (name.endsWith(".")) {
        return `"${name}" cannot end with a period`;
    }
    return name.includes("..") ? `"${name}" can be only one period between labels` : undefined;
}

/**
 * What AWS holds of a resource's inputs: without the bridge's `__defaults` bookkeeping, and with policy documents
 * as the provider stores them (normalised).
 */
export function storedInputs(type: string, inputs: Props): Props {
    const schema = schemaOf(type);
    return Object.fromEntries(
        Object.entries(inputs)
            .filter(([k]) => k !== DEFAULTS_KEY)
            .map(([k, v]) => [k, schema?.properties[k]?.document ? normalizedDocument(v) : withoutDefaults(v)]),
    );
}

/** A value without the bridge's `__defaults` bookkeeping, at any depth (assets and secrets kept as they are). */
export function withoutDefaults(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutDefaults);
    }
    if (!isRecord(value) || value[SIG] !== undefined) {
        return value;
    }
    return Object.fromEntries(
        Object.entries(value)
            .filter(([k]) => k !== DEFAULTS_KEY)
            .map(([k, v]) => [k, withoutDefaults(v)]),
    );
}

/** A resource AWS just created: its id and every output (inputs plus what AWS computed). */
export function simulateCreate(type: string, inputs: Props, region: string, account: AccountClock): { id: string; outputs: Props } {
    const { id, outputs } = computed(type, inputs, region, account);
    const schema = schemaOf(type);
    // What AWS chooses for an Optional + Computed property counts only where the program left it unset; the code hash
    // is always what Lambda computed, whatever the program wrote into it.
    const chosen = Object.entries(outputs).filter(
        ([k]) => k === "codeSha256" || schema?.properties[k]?.computed !== "optional" || inputs[k] === undefined,
    );
    const regional = schema?.regional ? { region } : {};
    return { id, outputs: { ...storedInputs(type, inputs), ...Object.fromEntries(chosen), ...regional } };
}

/**
 * A resource AWS just updated in place: the outputs after the write. What AWS computed stays (ARNs, creation
 * dates, what it chose for an Optional + Computed property the program leaves unset), except what the write
 * changes: an object's new version id, a function's last-modified date and, with new code, its code hash.
 */
export function simulateUpdate(type: string, olds: Props, news: Props, region: string, account: AccountClock): Props {
    const kept = keptOutputs(type, olds, news);
    if (type === "aws:lambda/function:Function") {
        // Lambda takes new code only through UpdateFunctionCode, which the provider calls when the code's location
        // changes: until then the function keeps the bytes it was given, whatever happened to the object since.
        const codeSha256 = needsFunctionCodeUpdate(olds, news)
            ? deployedCodeSha256(news, account.getObject, `updating Lambda Function (${str(news.name)}) code`)
            : olds.codeSha256;
        return { ...storedInputs(type, news), ...kept, lastModified: lambdaDate(account.now()), codeSha256 };
    }
    if (type === "aws:s3/bucketObjectv2:BucketObjectv2" && objectUploadChanged(olds, news)) {
        kept.versionId = computed(type, news, region, account).outputs.versionId;
    }
    return { ...storedInputs(type, news), ...kept };
}

/** The outputs that an update leaves as they were: AWS's own, and Optional + Computed ones the program leaves unset. */
export function keptOutputs(type: string, olds: Props, news: Props): Props {
    const schema = schemaOf(type);
    const keep = (k: string): boolean => {
        const spec = schema?.properties[k];
        return spec
            ? spec.computed === "output" || (spec.computed === "optional" && news[k] === undefined)
            : computedKeys(type).has(k) || k === "region";
    };
    return Object.fromEntries(Object.entries(olds).filter(([k]) => keep(k)));
}

/** The outputs of a type that AWS computes: never compared with the program's inputs. */
export function computedKeys(type: string): ReadonlySet<string> {
    const probe: AccountClock = {
        nextLayerVersion: () => 1,
        putObject: () => "",
        getObject: () => ({ versionId: "" }),
        deleteObject: () => undefined,
        now: () => new Date(0),
    };
    return new Set(Object.keys(computed(type, { s3Bucket: "", s3Key: "" }, "", probe).outputs));
}

/** What `aws.getCallerIdentity` answers for the simulated account. */
export function callerIdentity(caller: string): Props {
    return {
        accountId: SIMULATED_ACCOUNT,
        arn: `arn:aws:iam::${SIMULATED_ACCOUNT}:user/${caller}`,
        userId: `AIDA${caller.toUpperCase().replace(/[^A-Z]/g, "")}`,
        id: SIMULATED_ACCOUNT,
    };
}

/** The name a person would know a resource by in the console (function, bucket, layer, role, key...). */
export function consoleName(type: string, outputs: Props): string {
    switch (type) {
        case "aws:lambda/layerVersion:LayerVersion":
            return str(outputs.layerName);
        case "aws:s3/bucketObjectv2:BucketObjectv2":
            return `${str(outputs.bucket)}/${str(outputs.key)}`;
        case "aws:s3/bucket:Bucket":
            return str(outputs.bucket);
        default:
            // A bucket's policy, versioning, encryption... are settings of the bucket in the console.
            return str(outputs.name) || (outputs.bucket ? `${str(outputs.bucket)} (${type.split(":").pop()})` : "");
    }
}
