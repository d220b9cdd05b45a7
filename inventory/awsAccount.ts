import {
    DeleteLayerVersionCommand,
    LambdaClient,
    ListTagsCommand,
    paginateListFunctions,
    paginateListLayerVersions,
    paginateListLayers,
} from "@aws-sdk/client-lambda";
import { DeleteObjectCommand, HeadBucketCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { InputError } from "../lib/errors";
import { Env, PROJECT, environmentNames } from "../policy/contract/naming";
import type { AccountListing, FunctionListing, InventoryItem, ObjectVersionListing } from "./classify";

/** The two AWS clients the inventory and the clean-up use. */
export interface AwsClients {
    readonly lambda: LambdaClient;
    readonly s3: S3Client;
    /** Where the calls go: the AWS endpoint of the region, or AWS_ENDPOINT_URL (an emulator). */
    readonly where: string;
}

/**
 * Clients configured the standard way: credentials from the SDK's default chain, the region from AWS_REGION (or
 * AWS_DEFAULT_REGION), and AWS_ENDPOINT_URL honoured by the SDK itself. An emulator needs path-style S3 URLs.
 */
export function awsClients(): AwsClients {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new InputError("AWS_REGION is not set; expected the region of the stacks, e.g. AWS_REGION=eu-west-3");
    }
    const endpoint = process.env.AWS_ENDPOINT_URL;
    // Three attempts with the SDK's backoff: a call that still fails stops the run with its error.
    const common = { region, maxAttempts: 3 };
    return {
        lambda: new LambdaClient(common),
        s3: new S3Client({ ...common, forcePathStyle: endpoint !== undefined }),
        where: endpoint ? `${endpoint} (AWS_ENDPOINT_URL)` : `AWS ${region}`,
    };
}

/** Every page of the account's layers, their versions, the functions and the code bucket's object versions. */
export async function listAccount(clients: AwsClients, env: Env): Promise<AccountListing> {
    const layers: Array<AccountListing["layers"][number]> = [];
    for await (const page of paginateListLayers({ client: clients.lambda }, {})) {
        for (const layer of page.Layers ?? []) {
            const name = layer.LayerName ?? "";
            if (!name.startsWith(PROJECT)) {
                continue;
            }
            const versions = [];
            for await (const vpage of paginateListLayerVersions({ client: clients.lambda }, { LayerName: name })) {
                for (const v of vpage.LayerVersions ?? []) {
                    versions.push({
                        arn: v.LayerVersionArn ?? "",
                        version: v.Version ?? 0,
                        description: v.Description ?? "",
                        created: v.CreatedDate ?? "",
                    });
                }
            }
            layers.push({ name, versions });
        }
    }
    const functions: FunctionListing[] = [];
    for await (const page of paginateListFunctions({ client: clients.lambda }, {})) {
        for (const fn of page.Functions ?? []) {
            const ours = (fn.FunctionName ?? "").startsWith(`${PROJECT}-`);
            // Tags say which zip a function of ours was published from; other functions only count as users.
            const tags =
                ours && fn.FunctionArn ? ((await clients.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn }))).Tags ?? {}) : {};
            functions.push({ name: fn.FunctionName ?? "", layers: (fn.Layers ?? []).map((l) => l.Arn ?? ""), tags });
        }
    }
    const bucketName = environmentNames(env).buckets["lambda-code"];
    let bucket: AccountListing["bucket"];
    if (await bucketExists(clients.s3, bucketName)) {
        const objects: ObjectVersionListing[] = [];
        for (const prefix of ["layers/", "lambdas/"]) {
            // The SDK has no paginator for ListObjectVersions: follow the two markers until the list is complete.
            let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
            for (;;) {
                const page = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucketName, Prefix: prefix, ...markers }));
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
        bucket = { name: bucketName, objects };
    }
    return { layers, functions, bucket };
}

async function bucketExists(s3: S3Client, name: string): Promise<boolean> {
    try {
        await s3.send(new HeadBucketCommand({ Bucket: name }));
        return true;
    } catch (e) {
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404) {
            return false;
        }
        throw e;
    }
}

/** Deletes one item of a clean-up plan: a layer version, or one version of an object. */
export async function deleteItem(clients: AwsClients, item: InventoryItem): Promise<void> {
    if (item.layer) {
        await clients.lambda.send(new DeleteLayerVersionCommand({ LayerName: item.layer.name, VersionNumber: item.layer.version }));
    } else if (item.object) {
        const { bucket, key, versionId } = item.object;
        await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    }
}
