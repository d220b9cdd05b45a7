import { sha256Hex } from "../lib/hashing";

/**
 * What AWS computes for the resources this program declares: ids, ARNs, version numbers and dates.
 *
 * One simulation for the whole project: the sandbox's provider plugin (the real engine's `pulumi-resource-aws`
 * in `npm run sandbox`) and the offline preview's mocks both take their AWS behaviour from here. The
 * account is AWS's documentation account; nothing here talks to AWS.
 */
export const SIMULATED_ACCOUNT = "123456789012";

/** The AWS provider version the SDK asks for (`@pulumi/aws`): the simulated provider reports it as its own. */
export function awsProviderVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/aws/package.json") as { version: string }).version;
}

/** Property values in Pulumi's wire form. */
export type Props = Record<string, unknown>;

/** What only the account knows when a resource is written: numbers and ids AWS hands out, and the time. */
export interface AccountClock {
    /** The version number AWS gives the next version of a layer of this name (1, 2, ...). */
    nextLayerVersion(layerName: string): number;
    /** A new S3 version id for a write of an object. */
    newObjectVersion(bucket: string, key: string): string;
    /** Now, as AWS would stamp it. */
    now(): Date;
}

/** A clock for a fresh account that lives in memory only (the offline preview's). */
export function freshAccountClock(now: () => Date = () => new Date()): AccountClock {
    const layers = new Map<string, number>();
    const objects = new Map<string, number>();
    return {
        nextLayerVersion: (name) => {
            const n = (layers.get(name) ?? 0) + 1;
            layers.set(name, n);
            return n;
        },
        newObjectVersion: (bucket, key) => {
            const n = (objects.get(`${bucket}/${key}`) ?? 0) + 1;
            objects.set(`${bucket}/${key}`, n);
            return objectVersionId(bucket, key, n);
        },
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

/**
 * Properties whose change makes AWS create a new resource instead of updating it (the provider's
 * ForceNew). A layer version is immutable: any change publishes a new version.
 */
const REPLACE_ON: Readonly<Record<string, readonly string[] | "all">> = {
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
    "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["bucket"],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["bucket"],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ["bucket"],
    "aws:s3/bucketVersioning:BucketVersioning": ["bucket"],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["bucket"],
    "aws:s3/bucketLogging:BucketLogging": ["bucket"],
    "aws:lambda/layerVersion:LayerVersion": "all",
    "aws:lambda/function:Function": ["name"],
    "aws:iam/role:Role": ["name", "namePrefix"],
    "aws:iam/rolePolicy:RolePolicy": ["name", "role"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix"],
};

/** Whether a change of this property replaces a resource of this type. */
export function replacesOnChange(type: string, property: string): boolean {
    const keys = REPLACE_ON[type];
    // A layer version's skipDestroy only tells the provider what to do on delete.
    return keys === "all" ? property !== "skipDestroy" : (keys ?? []).includes(property);
}

/**
 * The properties AWS computes for each type (outputs that are never inputs), given the inputs. Values that
 * depend on the write (version numbers, object versions, dates) come from the account.
 */
function computed(type: string, inputs: Props, region: string, account: AccountClock): { id: string; outputs: Props } {
    const id = SIMULATED_ACCOUNT;
    switch (type) {
        case "aws:s3/bucket:Bucket": {
            const bucket = str(inputs.bucket);
            return {
                id: bucket,
                outputs: {
                    arn: `arn:aws:s3:::${bucket}`,
                    bucketDomainName: `${bucket}.s3.amazonaws.com`,
                    bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                    region,
                },
            };
        }
        case "aws:s3/bucketObjectv2:BucketObjectv2": {
            const bucket = str(inputs.bucket);
            const key = str(inputs.key);
            return { id: key, outputs: { arn: `arn:aws:s3:::${bucket}/${key}`, versionId: account.newObjectVersion(bucket, key) } };
        }
        case "aws:lambda/layerVersion:LayerVersion": {
            const layerArn = `arn:aws:lambda:${region}:${id}:layer:${str(inputs.layerName)}`;
            const version = account.nextLayerVersion(str(inputs.layerName));
            const arn = `${layerArn}:${version}`;
            // TEMP(issue-19 prototype): helper-1 computes codeSha256 from the object's bytes; drop this at the merge.
            return { id: arn, outputs: { arn, layerArn, version: String(version), createdDate: lambdaDate(account.now()), codeSha256: str(inputs.sourceCodeHash) } };
        }
        case "aws:lambda/function:Function": {
            const name = str(inputs.name);
            const arn = `arn:aws:lambda:${region}:${id}:function:${name}`;
            return {
                id: name,
                outputs: {
                    arn,
                    qualifiedArn: `${arn}:$LATEST`,
                    invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                    version: "$LATEST",
                    lastModified: lambdaDate(account.now()),
                    // TEMP(issue-19 prototype): see the layer's.
                    codeSha256: str(inputs.sourceCodeHash),
                },
            };
        }
        case "aws:iam/role:Role":
            return {
                id: str(inputs.name),
                outputs: { arn: `arn:aws:iam::${id}:role/${str(inputs.name)}`, createDate: account.now().toISOString() },
            };
        case "aws:iam/rolePolicy:RolePolicy":
            return { id: `${str(inputs.role)}:${str(inputs.name)}`, outputs: {} };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: str(inputs.name), outputs: { arn: `arn:aws:logs:${region}:${id}:log-group:${str(inputs.name)}` } };
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

/** A resource AWS just created: its id and every output (inputs plus what AWS computed). */
export function simulateCreate(type: string, inputs: Props, region: string, account: AccountClock): { id: string; outputs: Props } {
    const { id, outputs } = computed(type, inputs, region, account);
    return { id, outputs: { ...inputs, ...outputs } };
}

/**
 * A resource AWS just updated in place: the outputs after the write. An object write gets a new version
 * id and a function a new last-modified date; ARNs and creation dates stay.
 */
export function simulateUpdate(type: string, olds: Props, news: Props, region: string, account: AccountClock): Props {
    const fresh = computed(type, news, region, account).outputs;
    const kept = Object.fromEntries(Object.keys(fresh).map((k) => [k, olds[k]]));
    if (type === "aws:s3/bucketObjectv2:BucketObjectv2") {
        kept.versionId = fresh.versionId;
    } else if (type === "aws:lambda/function:Function") {
        kept.lastModified = fresh.lastModified;
    }
    return { ...news, ...kept };
}

/** The outputs of a type that AWS computes: never compared with the program's inputs. */
export function computedKeys(type: string): ReadonlySet<string> {
    const probe: AccountClock = { nextLayerVersion: () => 1, newObjectVersion: () => "", now: () => new Date(0) };
    return new Set(Object.keys(computed(type, {}, "", probe).outputs));
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
