import { InputError } from "../lib/errors";
import { StateExport } from "../pulumi/stateExport";
import type { ObjectRef } from "../functions/smokeProbe";
import { CANONICAL_MANIFEST_KEY, CANONICAL_METADATA } from "../policy/contract/canonicalManifest";
import { parseLayerDescription } from "../policy/contract/layerDescription";
import { FUNCTION_COMPONENTS } from "../policy/contract/naming";
import { isRecord } from "../policy/contract/records";
import { sha256OfSourceCodeHash } from "../policy/contract/sourceCodeHash";

/**
 * What a stack runs, as its state records it (the resources' own outputs, never the stack outputs the program
 * computes): each function with its tags, code hash, layers and the S3 object version of its zip, each layer version
 * with its description and zip, and the canonical manifest. The smoke test invokes these and holds their reports to
 * them.
 */

/** A layer version of the stack. */
export interface DeployedLayer {
    readonly arn: string;
    /** The component and version its description names (`vectora-core 1.2.3 sha256:...`). */
    readonly component: string;
    readonly version: string;
    /** Lambda's CodeSha256 when the stack published it. */
    readonly codeSha256: string;
    readonly zip?: ObjectRef;
}

/** A function of the stack. */
export interface DeployedFunction {
    /** Its Component tag (`ingest-v2`). */
    readonly component: string;
    readonly functionName: string;
    readonly arn: string;
    /** Its Version tag. */
    readonly version: string;
    readonly codeSha256: string;
    /** Its layer version ARNs, in order. */
    readonly layers: readonly string[];
    readonly zip?: ObjectRef;
}

/** Everything the smoke test needs of a stack's state. */
export interface DeployedStack {
    readonly stack: string;
    readonly functions: readonly DeployedFunction[];
    readonly layers: ReadonlyMap<string, DeployedLayer>;
    /** The canonical set the stack synced: its version and set sha256 (the manifest object's metadata). */
    readonly canonical?: { readonly bucket: string; readonly version: string; readonly sha256?: string };
    /** The commit the stack was deployed from (its `source` output), when it says. */
    readonly commit?: string;
}

function str(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

function zipOf(outputs: Record<string, unknown>): ObjectRef | undefined {
    const bucket = str(outputs.s3Bucket);
    const key = str(outputs.s3Key);
    return bucket && key
        ? { bucket, key, ...(str(outputs.s3ObjectVersion) ? { versionId: str(outputs.s3ObjectVersion) } : {}) }
        : undefined;
}

/** A code hash as the state keeps it: Lambda's base64 form, checked. */
function codeHash(value: unknown, what: string): string {
    if (sha256OfSourceCodeHash(value) === undefined) {
        throw new InputError(`${what} has no code hash in the state (codeSha256); run pulumi refresh, then pulumi up`);
    }
    return value as string;
}

/** Reads what a stack runs from its state export; a stack with no function, or a damaged one, is bad input. */
export function deployedStack(state: StateExport): DeployedStack {
    const layers = new Map<string, DeployedLayer>();
    const functions: DeployedFunction[] = [];
    let canonical: DeployedStack["canonical"];
    for (const resource of state.resources) {
        const out = resource.outputs;
        if (resource.type === "aws:lambda/layerVersion:LayerVersion") {
            const arn = str(out.arn) ?? resource.name;
            const described = parseLayerDescription(str(out.description) ?? "");
            if (!described) {
                throw new InputError(
                    `layer ${arn} of stack ${state.stack}: its description ${JSON.stringify(out.description ?? null)} does not say ` +
                        `<component> <version> sha256:<16 hex>; deploy the stack from this repository`,
                );
            }
            layers.set(arn, {
                arn,
                component: described.component,
                version: described.version,
                codeSha256: codeHash(out.codeSha256, `layer ${arn}`),
                zip: zipOf(out),
            });
        } else if (resource.type === "aws:lambda/function:Function") {
            const name = str(out.name) ?? resource.name;
            const tags = isRecord(out.tags) ? out.tags : {};
            const component = str(tags.Component);
            const version = str(tags.Version);
            if (!component || !version) {
                throw new InputError(
                    `function ${name} of stack ${state.stack} has no Component and Version tags; deploy it from this repository`,
                );
            }
            functions.push({
                component,
                functionName: name,
                arn: str(out.arn) ?? "",
                version,
                codeSha256: codeHash(out.codeSha256, `function ${name}`),
                layers: Array.isArray(out.layers) ? out.layers.filter((l): l is string => typeof l === "string") : [],
                zip: zipOf(out),
            });
        } else if (resource.type === "aws:s3/bucketObjectv2:BucketObjectv2" && out.key === CANONICAL_MANIFEST_KEY) {
            const metadata = isRecord(out.metadata) ? out.metadata : {};
            const version = str(metadata[CANONICAL_METADATA.version]);
            const bucket = str(out.bucket);
            if (version && bucket) {
                canonical = { bucket, version, sha256: str(metadata[CANONICAL_METADATA.sha256]) };
            }
        }
    }
    if (functions.length === 0) {
        throw new InputError(
            `stack ${state.stack} runs no function (its state holds none of ${FUNCTION_COMPONENTS.join(", ")}); deploy it first`,
        );
    }
    const source = state.outputs.source;
    return {
        stack: state.stack,
        functions: functions.sort((a, b) => a.component.localeCompare(b.component)),
        layers,
        canonical,
        commit: isRecord(source) ? str(source.commit) : undefined,
    };
}
