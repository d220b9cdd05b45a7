import * as aws from "@pulumi/aws";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { BuiltArtifact } from "../artifacts/build";

/**
 * A repository file as a Pulumi asset. The path is relative to the working directory when it lies below it (the
 * CLI runs programs from the project folder), so that the state does not record a machine's layout.
 */
export function repoFileAsset(file: string): pulumi.asset.FileAsset {
    const rel = path.relative(process.cwd(), file);
    return new pulumi.asset.FileAsset(rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/"));
}

/**
 * Uploads an artifact's zip to the lambda-code bucket, as the child `<name>-zip` of the component that
 * publishes it: its versioned key, and its version and sha256 as metadata and tags.
 */
export function uploadArtifact(
    parent: pulumi.ComponentResource,
    name: string,
    bucket: pulumi.Input<string>,
    artifact: BuiltArtifact,
    tags: Readonly<Record<string, string>>,
): aws.s3.BucketObjectv2 {
    return new aws.s3.BucketObjectv2(
        `${name}-zip`,
        {
            bucket,
            key: artifact.key,
            source: repoFileAsset(artifact.zipPath),
            contentType: "application/zip",
            metadata: { version: artifact.version, sha256: artifact.sha256 },
            tags: { ...tags, Component: artifact.name, Version: artifact.version },
        },
        { parent },
    );
}
