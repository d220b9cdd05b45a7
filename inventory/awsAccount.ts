import { createHash } from "crypto";
import {
    DeleteLayerVersionCommand,
    GetLayerVersionCommand,
    LambdaClient,
    ListTagsCommand,
    paginateListAliases,
    paginateListFunctions,
    paginateListLayerVersions,
    paginateListLayers,
} from "@aws-sdk/client-lambda";
import {
    DeleteObjectCommand,
    GetObjectCommand,
    HeadBucketCommand,
    ListObjectVersionsCommand,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { InputError, oneLine } from "../lib/errors";
import { ExitError } from "../lib/command";
import { forEachLimited } from "../lib/parallel";
import { Env, PROJECT, environmentNames } from "../policy/contract/naming";
import type {
    AccountListing,
    Content,
    FunctionVersionListing,
    InventoryItem,
    LayerListing,
    LayerVersionListing,
    ObjectVersionListing,
} from "./classify";
import type { Marks } from "./grace";

/**
 * The bounds of every AWS call (AWS SDK for JavaScript v3, @smithy/node-http-handler 4.14): a connection within
 * `connectMs`, the answer's headers within `answerMs` (`requestTimeout` with `throwOnRequestTimeout`: without it
 * the handler only logs a warning), no pause over `idleMs` while a body streams (`socketTimeout`), and `attempts`
 * attempts in the SDK's "standard" retry mode: timeouts, resets and refused connections are retried after an
 * exponential backoff with jitter (base 100 ms, cap 20 s; @smithy/core dist-cjs/submodules/retry/index.js).
 */
export const AWS_BOUNDS = { connectMs: 5_000, answerMs: 10_000, idleMs: 10_000, attempts: 3 } as const;

/**
 * The longest one call can take before it fails: every attempt waiting out its answer bound, plus the backoff
 * before the second (at most 0.2 s) and the third (at most 0.4 s) attempts. An endpoint that accepts the
 * connection and never answers therefore ends the command in about 31 s (measured: README).
 */
export const CALL_BOUND_SECONDS = Math.ceil((AWS_BOUNDS.attempts * AWS_BOUNDS.answerMs + 200 + 400) / 1000);

/** Where the inventory's records of the clean-up's grace period live, in the environment's code bucket. */
export const MARKS_KEY = "cleanup/marks.json";

/** The AWS clients the inventory and the clean-up use: Lambda in every region the stacks use, S3 in the environment's. */
export interface AwsClients {
    /** The environment's region: its code bucket, and the marks. */
    readonly region: string;
    /** Every region listed: the stacks' regions and AWS_REGION. */
    readonly regions: readonly string[];
    readonly lambda: (region: string) => LambdaClient;
    readonly s3: S3Client;
    /** Where the calls go: AWS in those regions, or AWS_ENDPOINT_URL (an emulator). */
    readonly where: string;
}

/**
 * Clients configured the standard way: credentials from the SDK's default chain, AWS_ENDPOINT_URL honoured by the
 * SDK itself (an emulator then needs path-style S3 URLs), and the bounds above on every call.
 */
export function awsClients(region: string, regions: readonly string[]): AwsClients {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    // The SDK warns on Node 20 (seven lines on stderr, every run) that SDK releases after January 2027 will need
    // Node 22; package-lock.json pins this release, so the notice is not the user's to act on here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const common = {
        maxAttempts: AWS_BOUNDS.attempts,
        retryMode: "standard",
        requestHandler: {
            connectionTimeout: AWS_BOUNDS.connectMs,
            requestTimeout: AWS_BOUNDS.answerMs,
            throwOnRequestTimeout: true,
            socketTimeout: AWS_BOUNDS.idleMs,
        },
    };
    const lambdas = new Map<string, LambdaClient>();
    return {
        region,
        regions,
        lambda: (r) => {
            let client = lambdas.get(r);
            if (!client) {
                client = new LambdaClient({ ...common, region: r });
                lambdas.set(r, client);
            }
            return client;
        },
        s3: new S3Client({ ...common, region, forcePathStyle: endpoint !== undefined }),
        where: endpoint ? `${endpoint} (AWS_ENDPOINT_URL)` : `AWS ${regions.join(", ")}`,
    };
}

/** The IAM action each call needs, for the message when AWS refuses it. */
const PERMISSIONS: Readonly<Record<string, string>> = {
    ListLayers: "lambda:ListLayers",
    ListLayerVersions: "lambda:ListLayerVersions",
    ListFunctions: "lambda:ListFunctions",
    ListAliases: "lambda:ListAliases",
    ListTags: "lambda:ListTags",
    GetLayerVersion: "lambda:GetLayerVersion",
    DeleteLayerVersion: "lambda:DeleteLayerVersion",
    HeadBucket: "s3:ListBucket",
    ListObjectVersions: "s3:ListBucketVersions",
    GetObject: "s3:GetObjectVersion (s3:GetObject for the marks)",
    PutObject: "s3:PutObject",
    DeleteObject: "s3:DeleteObjectVersion",
};

const CREDENTIAL_ERRORS = new Set([
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
]);

/**
 * What a failed AWS call means, on one line: what the user must set or fix is bad input (exit 2: no
 * credentials, refused credentials, a refused connection, an unknown host or region, no answer within the
 * bounds, a permission missing); any other answer of AWS stops the command with exit 1. Never an internal error.
 */
export function awsFailure(e: unknown, call: string, clients: Pick<AwsClients, "where">, region?: string): Error {
    if (e instanceof InputError || e instanceof ExitError) {
        return e;
    }
    const error = e as { name?: string; code?: string; message?: string; hostname?: string; $metadata?: { httpStatusCode?: number } };
    const name = error.name ?? "";
    const code = error.code ?? "";
    const message = oneLine(error.message ?? String(e));
    const regionHint = region ? ` in ${region}` : "";
    if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
        return new InputError(
            `no AWS credentials found for ${call}; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role ` +
                `is available (with AWS_ENDPOINT_URL, an emulator takes any pair)`,
        );
    }
    if (code === "ECONNREFUSED") {
        return new InputError(`${clients.where}: connection refused (${call}); check AWS_ENDPOINT_URL, or unset it to reach AWS`);
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
        return new InputError(
            `${error.hostname ?? clients.where}: host not found (${call}${regionHint}); check AWS_REGION (a region such as eu-west-3), ` +
                `AWS_ENDPOINT_URL and the network`,
        );
    }
    if (name === "TimeoutError" || code === "ETIMEDOUT") {
        return new InputError(
            `${clients.where}: no answer to ${call}${regionHint} within ${AWS_BOUNDS.answerMs / 1000} s, ${AWS_BOUNDS.attempts} attempts ` +
                `(at most ${CALL_BOUND_SECONDS} s in all); check AWS_ENDPOINT_URL, the network or a proxy`,
        );
    }
    if (code === "ECONNRESET" || code === "EPIPE" || code === "EHOSTUNREACH" || code === "ENETUNREACH") {
        return new InputError(
            `${clients.where}: the connection failed (${code}) on ${call}${regionHint}, ${AWS_BOUNDS.attempts} attempts; check the network`,
        );
    }
    if (CREDENTIAL_ERRORS.has(name)) {
        return new InputError(
            `AWS refused the credentials on ${call} (${name}: ${message}); set valid ones ` +
                `(AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
        );
    }
    const status = error.$metadata?.httpStatusCode;
    if (status === 403 || /AccessDenied/.test(name)) {
        return new InputError(`AWS refused ${call}${regionHint} (${name}: ${message}); the role needs ${PERMISSIONS[call] ?? call}`);
    }
    if (error.$metadata !== undefined) {
        return new ExitError(`AWS answered ${call}${regionHint} with ${name || `HTTP ${status}`}: ${message}`, 1);
    }
    return e instanceof Error ? e : new Error(String(e));
}

/** Runs one call (or a paginated loop of them) and words its failure. */
async function aws<T>(call: string, clients: Pick<AwsClients, "where">, region: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (e) {
        throw awsFailure(e, call, clients, region);
    }
}

/** Every layer whose name starts with the project's, with every version, in one region. */
async function listLayers(clients: AwsClients, region: string): Promise<LayerListing[]> {
    const client = clients.lambda(region);
    const names = await aws("ListLayers", clients, region, async () => {
        const found: string[] = [];
        for await (const page of paginateListLayers({ client }, {})) {
            found.push(...(page.Layers ?? []).map((l) => l.LayerName ?? "").filter((n) => n.startsWith(PROJECT)));
        }
        return found;
    });
    const layers: LayerListing[] = [];
    for (const name of names) {
        const versions = await aws("ListLayerVersions", clients, region, async () => {
            const found: LayerVersionListing[] = [];
            for await (const page of paginateListLayerVersions({ client }, { LayerName: name })) {
                for (const v of page.LayerVersions ?? []) {
                    found.push({
                        arn: v.LayerVersionArn ?? "",
                        version: v.Version ?? 0,
                        description: v.Description ?? "",
                        created: v.CreatedDate ?? "",
                    });
                }
            }
            return found;
        });
        layers.push({ name, region, versions });
    }
    return layers;
}

/**
 * Every version of every function in one region: `FunctionVersion=ALL` lists each published version beside
 * $LATEST (without it, ListFunctions returns $LATEST only, and a layer that only a published version behind an
 * alias runs would look unused; https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html). The aliases of the functions whose
 * versions run one of the project's layers name those versions in the reasons.
 */
async function listFunctions(clients: AwsClients, region: string): Promise<FunctionVersionListing[]> {
    const client = clients.lambda(region);
    const versions = await aws("ListFunctions", clients, region, async () => {
        const found: Array<Omit<FunctionVersionListing, "aliases"> & { arn: string }> = [];
        for await (const page of paginateListFunctions({ client }, { FunctionVersion: "ALL" })) {
            for (const fn of page.Functions ?? []) {
                found.push({
                    name: fn.FunctionName ?? "",
                    arn: fn.FunctionArn ?? "",
                    region,
                    version: fn.Version ?? "$LATEST",
                    layers: (fn.Layers ?? []).map((l) => l.Arn ?? ""),
                    content: { sha256: fn.CodeSha256 ?? "", size: fn.CodeSize ?? -1 },
                });
            }
        }
        return found;
    });
    // Our functions' tags say which artifact they run and its sha256 (ArtifactSha256): a second record of their bytes.
    // Tags belong to the function, not to a version (https://docs.aws.amazon.com/lambda/latest/api/API_ListTags.html).
    const tags = new Map<string, Record<string, string>>();
    for (const fn of versions.filter((v) => v.version === "$LATEST" && v.name.startsWith(`${PROJECT}-`))) {
        const unqualified = fn.arn.split(":").slice(0, 7).join(":");
        const answer = await aws("ListTags", clients, region, () => client.send(new ListTagsCommand({ Resource: unqualified })));
        tags.set(fn.name, answer.Tags ?? {});
    }
    const aliased = new Set(
        versions.filter((v) => v.version !== "$LATEST" && v.layers.some((arn) => arn.includes(`:layer:${PROJECT}`))).map((v) => v.name),
    );
    const aliases = new Map<string, string[]>();
    for (const name of aliased) {
        await aws("ListAliases", clients, region, async () => {
            for await (const page of paginateListAliases({ client }, { FunctionName: name })) {
                for (const alias of page.Aliases ?? []) {
                    const targets = [alias.FunctionVersion ?? "", ...Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {})];
                    for (const version of targets) {
                        const key = `${name}:${version}`;
                        aliases.set(key, [...(aliases.get(key) ?? []), alias.Name ?? ""]);
                    }
                }
            }
        });
    }
    return versions.map(({ arn: _arn, ...v }) => ({
        ...v,
        aliases: aliases.get(`${v.name}:${v.version}`) ?? [],
        ...(v.version === "$LATEST" && tags.has(v.name) ? { tags: tags.get(v.name) } : {}),
    }));
}

/** Every version of every object under layers/ and lambdas/ of a bucket (ListObjectVersions has no paginator in the SDK). */
async function listObjectVersions(clients: AwsClients, bucket: string): Promise<ObjectVersionListing[]> {
    const objects: ObjectVersionListing[] = [];
    for (const prefix of ["layers/", "lambdas/"]) {
        let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
        for (;;) {
            const page = await aws("ListObjectVersions", clients, clients.region, () =>
                clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...markers })),
            );
            for (const v of page.Versions ?? []) {
                objects.push({
                    key: v.Key ?? "",
                    versionId: v.VersionId ?? "null",
                    latest: v.IsLatest === true,
                    size: v.Size ?? 0,
                    lastModified: v.LastModified?.toISOString() ?? "",
                });
            }
            if (!page.IsTruncated) {
                break;
            }
            markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
        }
    }
    return objects;
}

async function bucketExists(clients: AwsClients, name: string): Promise<boolean> {
    try {
        await clients.s3.send(new HeadBucketCommand({ Bucket: name }));
        return true;
    } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
            return false;
        }
        throw awsFailure(e, "HeadBucket", clients, clients.region);
    }
}

/** Layers and functions in every region listed, and the environment's code bucket: every page of each list. */
export async function listAccount(clients: AwsClients, env: Env): Promise<AccountListing> {
    const layers: LayerListing[] = [];
    const functions: FunctionVersionListing[] = [];
    for (const region of clients.regions) {
        layers.push(...(await listLayers(clients, region)));
        functions.push(...(await listFunctions(clients, region)));
    }
    const bucketName = environmentNames(env).buckets["lambda-code"];
    const bucket = (await bucketExists(clients, bucketName))
        ? { name: bucketName, objects: await listObjectVersions(clients, bucketName) }
        : undefined;
    return { layers, functions, bucket };
}

/** How many reads run at once (GetLayerVersion, the zips' bytes). */
const READS_IN_FLIGHT = 4;

/** The listing with Lambda's record of the bytes (CodeSha256, CodeSize) of the layer versions named. */
export async function withLayerContents(clients: AwsClients, listing: AccountListing, arns: ReadonlySet<string>): Promise<AccountListing> {
    const contents = new Map<string, Content>();
    const wanted = listing.layers.flatMap((l) =>
        l.versions.filter((v) => arns.has(v.arn)).map((v) => ({ arn: v.arn, name: l.name, version: v.version, region: l.region })),
    );
    await forEachLimited(wanted, READS_IN_FLIGHT, async ({ arn, name, version, region }) => {
        const answer = await aws("GetLayerVersion", clients, region, () =>
            clients.lambda(region).send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: version })),
        );
        if (answer.Content?.CodeSha256) {
            contents.set(arn, { sha256: answer.Content.CodeSha256, size: answer.Content.CodeSize ?? -1 });
        }
    });
    return {
        ...listing,
        layers: listing.layers.map((l) => ({
            ...l,
            versions: l.versions.map((v) => (contents.has(v.arn) ? { ...v, content: contents.get(v.arn) } : v)),
        })),
    };
}

/** The base64 sha256 of one object version's bytes, streamed (an idle stream fails after AWS_BOUNDS.idleMs). */
async function objectSha256(clients: AwsClients, bucket: string, o: ObjectVersionListing): Promise<string> {
    return aws("GetObject", clients, clients.region, async () => {
        const answer = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.key, VersionId: o.versionId }));
        const hash = createHash("sha256");
        for await (const chunk of answer.Body as AsyncIterable<Uint8Array>) {
            hash.update(chunk);
        }
        return hash.digest("base64");
    });
}

/**
 * The listing with the sha256 of every zip version that could hold what a kept layer or function holds: a size
 * that one of them has, or a key one of them names (classify.ts, hashCandidates); any other is never downloaded.
 */
export async function withObjectHashes(
    clients: AwsClients,
    listing: AccountListing,
    candidates: { readonly sizes: ReadonlySet<number>; readonly keys: ReadonlySet<string> },
): Promise<AccountListing> {
    const bucket = listing.bucket;
    if (!bucket) {
        return listing;
    }
    const hashes = new Map<ObjectVersionListing, string>();
    await forEachLimited(
        bucket.objects.filter((o) => candidates.sizes.has(o.size) || candidates.keys.has(o.key)),
        READS_IN_FLIGHT,
        async (o) => void hashes.set(o, await objectSha256(clients, bucket.name, o)),
    );
    return { ...listing, bucket: { ...bucket, objects: bucket.objects.map((o) => (hashes.has(o) ? { ...o, sha256: hashes.get(o) } : o)) } };
}

/** The grace period's record: marks as the last clean-up run left them, or none. */
export async function readMarks(clients: AwsClients, bucket: string): Promise<Marks> {
    let text: string;
    try {
        const answer = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: MARKS_KEY }));
        text = (await answer.Body?.transformToString("utf8")) ?? "";
    } catch (e) {
        const error = e as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (error.name === "NoSuchKey" || error.$metadata?.httpStatusCode === 404) {
            return {};
        }
        throw awsFailure(e, "GetObject", clients, clients.region);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        doc = undefined;
    }
    const marks = (doc as { marks?: unknown } | undefined)?.marks;
    if (typeof marks !== "object" || marks === null || Object.values(marks).some((v) => typeof v !== "string")) {
        throw new ExitError(
            `s3://${bucket}/${MARKS_KEY} is not the clean-up's record of marks ({ "marks": { "<item>": "<ISO time>" } }); ` +
                `delete it to start the grace period over (nothing was deleted)`,
            1,
        );
    }
    return marks as Marks;
}

/** Writes the grace period's record (the bucket is versioned: earlier records stay as noncurrent versions). */
export async function writeMarks(clients: AwsClients, bucket: string, env: Env, marks: Marks): Promise<void> {
    const body = {
        about:
            "npm run cleanup's grace period: when each item was first planned for deletion; " +
            "a later run deletes it once the grace period has passed",
        env,
        marks,
    };
    await aws("PutObject", clients, clients.region, () =>
        clients.s3.send(
            new PutObjectCommand({
                Bucket: bucket,
                Key: MARKS_KEY,
                Body: `${JSON.stringify(body, null, 2)}\n`,
                ContentType: "application/json",
            }),
        ),
    );
}

/** Deletes one item of a clean-up plan: a layer version in its region, or one version of an object. */
export async function deleteItem(clients: AwsClients, item: InventoryItem): Promise<void> {
    if (item.layer) {
        const { name, region, version } = item.layer;
        await aws("DeleteLayerVersion", clients, region, () =>
            clients.lambda(region).send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: version })),
        );
    } else if (item.object) {
        const { bucket, key, versionId } = item.object;
        await aws("DeleteObject", clients, clients.region, () =>
            clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
        );
    }
}
