import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BuiltArtifact } from "../artifacts/build";
import { ARCHITECTURE, LAYER_RUNTIMES } from "../functions/profiles";
import { sourceCodeHash } from "../policy/contract/sourceCodeHash";
import { layerDescription } from "../policy/contract/layerDescription";
import { uploadArtifact } from "./artifactObject";

/** Arguments of a VersionedLayer. */
export interface VersionedLayerArgs {
    /** Physical layer name, `vectora-inbox-<component>-<env>`. */
    readonly layerName: string;
    /** The built layer zip (its version, key and sha256 come from the build). */
    readonly artifact: BuiltArtifact;
    /** Name of the lambda-code bucket the zip is uploaded to. */
    readonly codeBucket: pulumi.Input<string>;
    /** Tags of the uploaded zip. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * A Lambda layer published from a versioned zip: the zip goes to `layers/<component>-<version>.zip` in
 * the lambda-code bucket and the layer version says `<component> <version> sha256:<16 hex>`.
 *
 * Old layer versions are kept when a new one is published (`skipDestroy`): functions rolled back to an
 * earlier commit still find the ARN they reference. Pruning beyond the last three is a separate,
 * reviewed step (see the README).
 */
export class VersionedLayer extends pulumi.ComponentResource {
    /** The layer version. */
    public readonly layer: aws.lambda.LayerVersion;
    /** ARN of this layer version (with its version number), what functions reference. */
    public readonly arn: pulumi.Output<string>;
    /** The description, `<component> <version> sha256:<16 hex>`. */
    public readonly description: string;

    constructor(name: string, args: VersionedLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vectora:lambda:VersionedLayer", name, {}, opts);
        const { artifact } = args;
        const zip = uploadArtifact(this, name, args.codeBucket, artifact, args.tags);
        this.description = layerDescription(artifact.name, artifact.version, artifact.sha256);
        this.layer = new aws.lambda.LayerVersion(
            name,
            {
                layerName: args.layerName,
                description: this.description,
                compatibleRuntimes: [...LAYER_RUNTIMES],
                compatibleArchitectures: [ARCHITECTURE],
                s3Bucket: zip.bucket,
                s3Key: zip.key,
                s3ObjectVersion: zip.versionId,
                sourceCodeHash: sourceCodeHash(artifact.sha256),
                skipDestroy: true,
            },
            { parent: this },
        );
        this.arn = this.layer.arn;
        this.registerOutputs({ arn: this.arn, description: this.description });
    }
}
