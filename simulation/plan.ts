import { UNKNOWN } from "../pulumi/wire";
import { needsFunctionCodeUpdate } from "./lambdaCode";
import { objectUploadChanged } from "./objectStore";
import { schemaOf } from "./schema";
import { keptOutputs, storedInputs } from "./simulatedAws";

type Props = Record<string, unknown>;

/**
 * What the provider answers a preview (Configure says it supports previews, as pulumi-aws does, so the engine asks
 * it instead of copying the inputs): the inputs as the resource would hold them, and what only AWS can say unknown
 * (ARNs, ids, dates, version ids, code hashes, and what AWS chooses for an Optional + Computed property the
 * program leaves unset), as Terraform plans them.
 */
export function planCreate(type: string, inputs: Props, region: string): Props {
    const schema = schemaOf(type);
    if (!schema) {
        return inputs;
    }
    const unknown = Object.entries(schema.properties)
        .filter(([k, spec]) => inputs[k] === undefined && (spec.computed === "output" || spec.computed === "optional"))
        .map(([k]) => [k, UNKNOWN]);
    return { ...Object.fromEntries(unknown), ...storedInputs(type, inputs), ...(schema.regional ? { region } : {}) };
}

/**
 * A preview of an in-place update: what AWS computed stays known, except what the update will change, which
 * Terraform plans as unknown (CustomizeDiff SetNewComputed): a function's last-modified date when its code
 * changes (function.go updateComputedAttributesOnPublish), an object's version id and ETag when it is uploaded
 * again. A function's code hash stays the old one until the update runs: it is Optional + Computed, not recomputed
 * by the plan.
 */
export function planUpdate(type: string, olds: Props, news: Props, region: string): Props {
    const kept = keptOutputs(type, olds, news);
    if (type === "aws:lambda/function:Function" && needsFunctionCodeUpdate(olds, news)) {
        kept.lastModified = UNKNOWN;
    }
    if (type === "aws:s3/bucketObjectv2:BucketObjectv2" && objectUploadChanged(olds, news)) {
        kept.versionId = UNKNOWN;
        if (news.etag === undefined) {
            kept.etag = UNKNOWN;
        }
    }
    return { ...storedInputs(type, news), ...kept, ...(schemaOf(type)?.regional ? { region } : {}) };
}
