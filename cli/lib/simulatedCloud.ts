import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { sha256Hex } from "../../lib/hashing";
import { fileSha256 } from "./wire";

/**
 * What AWS would compute for the resources of a preview, simulated so the offline preview can show
 * (and the policy pack can check) ARNs and ids. Values AWS assigns only at deploy time (creation dates)
 * stay unknown, as in a real preview. The account is AWS's documentation account.
 */
export const SIMULATED_ACCOUNT = "123456789012";

export interface SimulatedCloudOptions {
    readonly region: string;
    /** Outputs that a StackReference resolves to, by referenced stack name. */
    readonly stackOutputs: (name: string) => Record<string, unknown>;
}

type State = Record<string, unknown>;

function str(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/**
 * The id and computed attributes of one resource, by type. `sourceSha256` is the hash of an object's
 * uploaded file, which its simulated S3 version id follows.
 */
export function simulateResource(type: string, name: string, inputs: State, options: SimulatedCloudOptions, sourceSha256?: string): { id: string; state: State } {
    const { region } = options;
    const account = SIMULATED_ACCOUNT;
    switch (type) {
        case "pulumi:pulumi:StackReference": {
            const stack = str(inputs.name);
            return { id: stack, state: { name: stack, outputs: options.stackOutputs(stack), secretOutputNames: [] } };
        }
        case "aws:s3/bucket:Bucket": {
            const bucket = str(inputs.bucket);
            return { id: bucket, state: { ...inputs, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, region } };
        }
        case "aws:s3/bucketObjectv2:BucketObjectv2": {
            // A stable stand-in for the S3 version id: it changes exactly when the object's content does.
            const content = sourceSha256 ?? str(inputs.content);
            return { id: str(inputs.key), state: { ...inputs, versionId: sha256Hex(`${str(inputs.bucket)}/${str(inputs.key)}\n${content}`).slice(0, 32) } };
        }
        case "aws:lambda/layerVersion:LayerVersion": {
            const layerArn = `arn:aws:lambda:${region}:${account}:layer:${str(inputs.layerName)}`;
            return { id: `${layerArn}:1`, state: { ...inputs, arn: `${layerArn}:1`, layerArn, version: "1" } };
        }
        case "aws:lambda/function:Function": {
            const arn = `arn:aws:lambda:${region}:${account}:function:${str(inputs.name)}`;
            return { id: str(inputs.name), state: { ...inputs, arn, qualifiedArn: `${arn}:$LATEST`, version: "$LATEST" } };
        }
        case "aws:iam/role:Role":
            return { id: str(inputs.name), state: { ...inputs, arn: `arn:aws:iam::${account}:role/${str(inputs.name)}` } };
        case "aws:iam/rolePolicy:RolePolicy":
            return { id: `${str(inputs.role)}:${str(inputs.name)}`, state: { ...inputs } };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: str(inputs.name), state: { ...inputs, arn: `arn:aws:logs:${region}:${account}:log-group:${str(inputs.name)}` } };
        default:
            return { id: str(inputs.bucket) || `${name}-id`, state: { ...inputs } };
    }
}

/** Pulumi mocks backed by the simulation; invokes other than the caller identity are refused. */
export function simulatedMocks(options: SimulatedCloudOptions): pulumi.runtime.Mocks {
    return {
        newResource: async (args) => {
            if (args.custom === false) {
                return { id: "", state: {} };
            }
            const inputs = args.inputs as State;
            const asset = inputs.source as { path?: Promise<string> } | undefined;
            const file = pulumi.asset.Asset.isInstance(asset) && asset.path ? path.resolve(await asset.path) : undefined;
            return simulateResource(args.type, args.name, inputs, options, file ? fileSha256(file) : undefined);
        },
        call: (args) => {
            if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
                return { accountId: SIMULATED_ACCOUNT, arn: `arn:aws:iam::${SIMULATED_ACCOUNT}:user/offline-preview`, userId: "AIDAOFFLINEPREVIEW", id: SIMULATED_ACCOUNT };
            }
            throw new Error(`the offline preview does not simulate ${args.token}`);
        },
    };
}
