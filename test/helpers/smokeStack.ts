import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BuiltArtifact, buildArtifact } from "../../artifacts/build";
import type { DepsInstaller } from "../../artifacts/pythonDeps";
import { ARTIFACT_NAMES, ArtifactName, FUNCTION_COMPONENTS, LAYER_COMPONENTS } from "../../policy/contract/naming";
import { SimulatedAccount } from "../../sandbox/account";
import { BlobStore } from "../../sandbox/blobStore";
import { StateExport, stateExportOf } from "../../pulumi/stateExport";
import { copyProject, write } from "./fixtures";

/**
 * A deployed dev stack without the engine: the five artifacts built from a copy of the project (common-deps from a
 * one-package lock file and a stand-in index that installs it with its dist-info, as pip does), their bytes in a
 * simulated account of that copy (.build/sandbox/account.json and its blob store), the canonical manifest in the
 * config bucket, and the state export (deployment format 3) that says what the stack runs. The sandbox's Lambda
 * (sandbox/lambdaForCommands.ts) then runs the real handlers from those bytes.
 */

export const VERSIONS: Readonly<Record<ArtifactName, string>> = {
    "vectora-core": "1.2.3",
    "common-deps": "1.0.5",
    "ingest-v2": "1.5.0",
    "normalize-score-v2": "2.1.0",
    "newsletter-v2": "1.8.0",
};
/** The one canonical file of the stack's config bucket, at its key (canonical/<path>), and its content. */
export const CANONICAL_FILE = { path: "sources/catalog.yaml", key: "canonical/sources/catalog.yaml", content: "sources: []\n" };
const sha256 = (data: string) => crypto.createHash("sha256").update(data).digest("hex");
/** The set's sha256 written out as the program defines it: the sorted "path NUL sha256 LF" lines, here one. */
export const CANONICAL = { version: "1.1", sha256: sha256(`${CANONICAL_FILE.path}\0${sha256(CANONICAL_FILE.content)}\n`) };
export const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const REGION = "eu-west-3";
const ACCOUNT = "123456789012";
const CODE_BUCKET = "vectora-inbox-lambda-code-dev";
const CONFIG_BUCKET = "vectora-inbox-config-dev";
const MANIFEST_KEY = "manifests/canonical.json";

/** One package, installed with its dist-info as pip installs it: what the layer's requirement check reads. */
const oneWheel: DepsInstaller = (_requirements, target) => {
    write(target, "python/smokedep/__init__.py", "VALUE = 1\n");
    write(target, "python/smokedep-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: smokedep\nVersion: 0.1\n");
    write(target, "python/smokedep-0.1.dist-info/RECORD", "smokedep/__init__.py,,\n");
    write(target, "python/smokedep-0.1.dist-info/top_level.txt", "smokedep\n");
    return { ok: true };
};

export interface SmokeStack {
    readonly root: string;
    readonly account: SimulatedAccount;
    readonly blobs: BlobStore;
    readonly artifacts: Readonly<Record<ArtifactName, BuiltArtifact>>;
    /** The `pulumi stack export` document. */
    readonly exported: Record<string, unknown>;
    /** The same, read as the commands read it. */
    readonly state: () => StateExport;
    /** Every function's name by component. */
    readonly functionNames: Readonly<Record<string, string>>;
}

const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

function environment(component: string): Record<string, string> {
    return {
        ENV: "dev",
        PROJECT_NAME: "vectora-inbox",
        CONFIG_BUCKET,
        DATA_BUCKET: "vectora-inbox-data-dev",
        LOG_LEVEL: "DEBUG",
        BEDROCK_MODEL_ID: "anthropic.claude-3-5-sonnet-20240620-v1:0",
        BEDROCK_REGION: "us-east-1",
        PUBMED_API_KEY_PARAM: "/rag-lai/dev/pubmed/api-key",
        ...(component === "newsletter-v2" ? { NEWSLETTERS_BUCKET: "vectora-inbox-newsletters-dev" } : {}),
    };
}

/** Builds the stack described above in a fresh copy of the project. */
export async function smokeStack(): Promise<SmokeStack> {
    const root = copyProject();
    write(root, "python-src/layers/common-deps/requirements.txt", `smokedep==0.1 \\\n    --hash=sha256:${"0".repeat(64)}\n`);
    const ctx = { root, buildDir: path.join(root, ".build"), deps: oneWheel };
    const artifacts = {} as Record<ArtifactName, BuiltArtifact>;
    for (const name of ARTIFACT_NAMES) {
        artifacts[name] = await buildArtifact(ctx, name, VERSIONS[name]);
    }
    const account = new SimulatedAccount(path.join(root, ".build", "sandbox", "account.json"));
    const blobs = BlobStore.besideAccount(account.file);
    const files = { [CANONICAL_FILE.path]: sha256(CANONICAL_FILE.content) };
    const manifest = `${JSON.stringify({ version: CANONICAL.version, sha256: CANONICAL.sha256, files }, null, 2)}\n`;
    const urn = (type: string, name: string) => `urn:pulumi:dev::vectora-inbox::${type}::${name}`;
    const exportedResources: Array<Record<string, unknown>> = [
        {
            urn: urn("pulumi:pulumi:Stack", "vectora-inbox-dev"),
            type: "pulumi:pulumi:Stack",
            outputs: { source: { commit: COMMIT, dirty: false } },
        },
    ];
    const functionNames: Record<string, string> = {};
    account.transact((state) => {
        const object = (bucket: string, key: string, data: Buffer) => {
            state.objectVersions[`${bucket}/${key}`] = [{ versionId: "v1", sha256: blobs.put(data) }];
            return { bucket, key, versionId: "v1" };
        };
        for (const bucket of [CODE_BUCKET, CONFIG_BUCKET]) {
            state.resources[`aws:s3/bucket:Bucket ${bucket}`] = {
                type: "aws:s3/bucket:Bucket",
                id: bucket,
                stack: "dev",
                outputs: { bucket },
            };
        }
        const metadata = { "canonical-version": CANONICAL.version, "canonical-sha256": CANONICAL.sha256 };
        object(CONFIG_BUCKET, CANONICAL_FILE.key, Buffer.from(CANONICAL_FILE.content));
        const manifestRef = object(CONFIG_BUCKET, MANIFEST_KEY, Buffer.from(manifest));
        const manifestOutputs = { ...manifestRef, content: manifest, contentType: "application/json", metadata };
        state.resources[`aws:s3/bucketObjectv2:BucketObjectv2 ${CONFIG_BUCKET}/${MANIFEST_KEY}`] = {
            type: "aws:s3/bucketObjectv2:BucketObjectv2",
            id: MANIFEST_KEY,
            stack: "dev",
            outputs: manifestOutputs,
        };
        exportedResources.push({
            urn: urn("aws:s3/bucketObjectv2:BucketObjectv2", "canonical-manifest"),
            type: "aws:s3/bucketObjectv2:BucketObjectv2",
            outputs: manifestOutputs,
        });
        const layerArns: string[] = [];
        for (const name of LAYER_COMPONENTS) {
            const artifact = artifacts[name];
            const ref = object(CODE_BUCKET, artifact.key, fs.readFileSync(artifact.zipPath));
            const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:vectora-inbox-${name}-dev:1`;
            layerArns.push(arn);
            const outputs = {
                arn,
                layerName: `vectora-inbox-${name}-dev`,
                description: `${name} ${artifact.version} sha256:${artifact.sha256.slice(0, 16)}`,
                codeSha256: b64(artifact.sha256),
                s3Bucket: ref.bucket,
                s3Key: ref.key,
                s3ObjectVersion: ref.versionId,
                version: "1",
            };
            state.resources[`aws:lambda/layerVersion:LayerVersion ${arn}`] = {
                type: "aws:lambda/layerVersion:LayerVersion",
                id: arn,
                stack: "dev",
                outputs,
            };
            exportedResources.push({
                urn: urn("vectora:lambda:VersionedLayer$aws:lambda/layerVersion:LayerVersion", name),
                type: "aws:lambda/layerVersion:LayerVersion",
                outputs,
            });
        }
        for (const name of FUNCTION_COMPONENTS) {
            const artifact = artifacts[name];
            const ref = object(CODE_BUCKET, artifact.key, fs.readFileSync(artifact.zipPath));
            const functionName = `vectora-inbox-${name}-dev`;
            functionNames[name] = functionName;
            const outputs = {
                name: functionName,
                arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
                runtime: "python3.12",
                handler: "handler.lambda_handler",
                timeout: 300,
                memorySize: 512,
                codeSha256: b64(artifact.sha256),
                layers: layerArns,
                environment: { variables: environment(name) },
                s3Bucket: ref.bucket,
                s3Key: ref.key,
                s3ObjectVersion: ref.versionId,
                tags: { Component: name, Version: artifact.version, ArtifactSha256: artifact.sha256 },
            };
            state.resources[`aws:lambda/function:Function ${functionName}`] = {
                type: "aws:lambda/function:Function",
                id: functionName,
                stack: "dev",
                outputs,
            };
            exportedResources.push({
                urn: urn("vectora:lambda:VectoraFunction$aws:lambda/function:Function", name),
                type: "aws:lambda/function:Function",
                outputs: { ...outputs },
            });
        }
    });
    const exported = { version: 3, deployment: { manifest: { time: "2026-12-01T00:00:00Z" }, resources: exportedResources } };
    return {
        root,
        account,
        blobs,
        artifacts,
        exported,
        state: () =>
            stateExportOf(JSON.parse(JSON.stringify(exported)) as Record<string, unknown>, "dev.export.json", "vectora-inbox", "dev"),
        functionNames,
    };
}

/** A function's zip with one file replaced or added (a hand change of its code). */
export async function changedZip(stack: SmokeStack, component: ArtifactName, file: string, text: string): Promise<Buffer> {
    const root = stack.root;
    const dir = path.join(root, "python-src", "lambdas", component);
    const original = fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file)) : undefined;
    write(root, `python-src/lambdas/${component}/${file}`, text);
    try {
        const built = await buildArtifact(
            { root, buildDir: path.join(root, ".build", "changed"), deps: oneWheel },
            component,
            VERSIONS[component],
        );
        return fs.readFileSync(built.zipPath);
    } finally {
        if (original === undefined) {
            fs.rmSync(path.join(dir, file));
        } else {
            fs.writeFileSync(path.join(dir, file), original);
        }
    }
}
