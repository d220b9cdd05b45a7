import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CanonicalSet, canonicalManifest } from "../config/canonical";
import { CANONICAL_MANIFEST_KEY, CANONICAL_METADATA } from "../policy/contract/canonicalManifest";
import { repoFileAsset } from "./artifactObject";

/** Arguments of a CanonicalSync. */
export interface CanonicalSyncArgs {
    /** Name of the environment's config bucket. */
    readonly bucket: pulumi.Input<string>;
    /** The parsed and validated canonical set. */
    readonly canonical: CanonicalSet;
    /** Tags of every object. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Mirrors `canonical/` into the config bucket: one object per file at `canonical/<path>`, with its
 * content type and CANONICAL_VERSION in its metadata. Because each file is a resource, a file deleted
 * from the repository is deleted from the bucket by the next `pulumi up` (its earlier versions stay
 * in the versioned bucket, for rollback).
 */
export class CanonicalSync extends pulumi.ComponentResource {
    constructor(name: string, args: CanonicalSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vectora:config:CanonicalSync", name, {}, opts);
        const { canonical } = args;
        const metadata = { [CANONICAL_METADATA.version]: canonical.version };
        for (const file of canonical.files) {
            new aws.s3.BucketObjectv2(
                `${name}/${file.path}`,
                {
                    bucket: args.bucket,
                    key: file.key,
                    source: repoFileAsset(file.abs),
                    contentType: file.contentType,
                    metadata: { ...metadata, sha256: file.sha256 },
                    tags: { ...args.tags },
                },
                { parent: this },
            );
        }
        new aws.s3.BucketObjectv2(
            `${name}-manifest`,
            {
                bucket: args.bucket,
                key: CANONICAL_MANIFEST_KEY,
                content: canonicalManifest(canonical),
                contentType: "application/json",
                metadata: { ...metadata, [CANONICAL_METADATA.sha256]: canonical.sha256 },
                tags: { ...args.tags },
            },
            { parent: this },
        );
        this.registerOutputs({ version: canonical.version, sha256: canonical.sha256 });
    }
}
