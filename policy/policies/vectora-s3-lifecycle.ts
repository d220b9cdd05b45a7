import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_ROLLBACK_WINDOW_DAYS, MAX_ABORT_MULTIPART_DAYS } from "../contract/storage";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { list } from "../support/iamDocument";
import { nested } from "../support/props";
import { forBucket, labelOf, ofTypes, valueOf } from "../support/references";
import { fsbp } from "../support/metadata";

/** Knobs of the lifecycle check. */
export interface VectoraS3LifecycleConfig {
    /** Shortest time, in days, a noncurrent version must stay restorable: the rollback window. */
    readonly rollbackWindowDays?: number;
}

/** True when a lifecycle rule is enabled and applies to every object of the bucket (no prefix, tag or size filter). */
export function wholeBucketRule(rule: unknown): rule is Record<string, unknown> {
    if (!isRecord(rule) || rule.status !== "Enabled") {
        return false;
    }
    if (typeof rule.prefix === "string" && rule.prefix !== "") {
        return false;
    }
    const filter = rule.filter;
    if (filter === undefined || filter === null) {
        return true;
    }
    if (!isRecord(filter)) {
        return false;
    }
    // What the provider reads back for "no filter" may spell each part out empty (prefix "", sizes 0).
    return Object.entries(filter).every(
        ([key, value]) =>
            value === undefined ||
            value === null ||
            (key === "prefix" && value === "") ||
            (key.startsWith("objectSize") && (value === 0 || value === "0")),
    );
}

function number(value: unknown, ...path: string[]): number | undefined {
    const found = nested(value, ...path);
    return typeof found === "number" ? found : undefined;
}

/** What a bucket's lifecycle rules leave out, as sentences. */
export function lifecycleGaps(rules: readonly Record<string, unknown>[], rollbackWindowDays: number): string[] {
    const gaps: string[] = [];
    const noncurrent = rules.map((r) => number(r, "noncurrentVersionExpiration", "noncurrentDays")).filter((d) => d !== undefined);
    if (noncurrent.length === 0) {
        gaps.push(`noncurrent versions never expire (add noncurrentVersionExpiration of at least ${rollbackWindowDays} days)`);
    } else if (Math.min(...noncurrent) < rollbackWindowDays) {
        gaps.push(
            `noncurrent versions expire after ${Math.min(...noncurrent)} days, shorter than the ${rollbackWindowDays}-day ` +
                `rollback window`,
        );
    }
    const abort = rules.map((r) => number(r, "abortIncompleteMultipartUpload", "daysAfterInitiation")).filter((d) => d !== undefined);
    if (!abort.some((d) => d >= 1 && d <= MAX_ABORT_MULTIPART_DAYS)) {
        gaps.push(`incomplete multipart uploads are not aborted within ${MAX_ABORT_MULTIPART_DAYS} days`);
    }
    // With expiration days S3 removes expired delete markers itself; otherwise a rule must ask for it.
    const markers = rules.some((r) => {
        const expiration = r.expiration;
        return isRecord(expiration) && (expiration.expiredObjectDeleteMarker === true || typeof expiration.days === "number");
    });
    if (!markers) {
        gaps.push("expired delete markers are kept (add a rule with expiration { expiredObjectDeleteMarker: true })");
    }
    return gaps;
}

function versioned(bucket: PolicyResource, resources: readonly PolicyResource[]): boolean {
    return ofTypes(resources, TYPES.versioning, TYPES.versioningV2).some((v) => {
        const config: unknown = valueOf(v, "versioningConfiguration");
        return forBucket(v, bucket) && isRecord(config) && config.status === "Enabled";
    });
}

/** Versioned buckets do not keep every version forever: old versions, failed uploads and delete markers expire. */
export const vectoraS3Lifecycle: StackValidationPolicy = {
    name: "vectora-s3-lifecycle",
    description:
        "Every versioned S3 bucket has an enabled whole-bucket lifecycle configuration that expires noncurrent versions after " +
        "at least rollbackWindowDays days (30 by default), aborts incomplete multipart uploads within 7 days and removes " +
        "expired delete markers.",
    enforcementLevel: "mandatory",
    severity: "low",
    framework: fsbp("S3.13", "S3 general purpose buckets should have Lifecycle configurations"),
    tags: ["s3", "cost", "external/aws-securityhub/S3.10"],
    remediationSteps:
        "Give the versioned bucket an aws.s3.BucketLifecycleConfiguration with an enabled whole-bucket rule that expires noncurrent " +
        "versions after at least rollbackWindowDays days, aborts incomplete multipart uploads within 7 days and removes expired delete " +
        "markers (PrivateBucket's lifecycle argument does).",
    url: "RULES.md#vectora-s3-lifecycle",
    rationale: {
        why:
            "Versioning keeps every version forever unless a lifecycle expires them: the bill grows with each sync while the rollback " +
            "window stays what the team needs.",
        severityReason: "Unexpired versions cost money; they neither expose nor lose data (Security Hub rates S3.13 low).",
    },
    configSchema: {
        properties: {
            rollbackWindowDays: {
                type: "number",
                minimum: 1,
                default: DEFAULT_ROLLBACK_WINDOW_DAYS,
                description: "Shortest time a noncurrent version stays restorable, in days.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const buckets = ofTypes(args.resources, TYPES.bucket, TYPES.bucketV2).filter((b) => versioned(b, args.resources));
        if (buckets.length === 0) {
            return args.notApplicable("no versioned S3 bucket in the stack");
        }
        const window = args.getConfig<VectoraS3LifecycleConfig>().rollbackWindowDays ?? DEFAULT_ROLLBACK_WINDOW_DAYS;
        for (const bucket of buckets) {
            const configs = ofTypes(args.resources, TYPES.lifecycle, TYPES.lifecycleV2).filter((c) => forBucket(c, bucket));
            const rules = configs.flatMap((c) => list(c.props.rules)).filter(wholeBucketRule);
            const gaps = lifecycleGaps(rules, window);
            if (gaps.length > 0) {
                reportViolation(
                    `bucket ${labelOf(bucket, "bucket")} is versioned but its lifecycle ` +
                        `${configs.length === 0 ? "is missing: " : "is incomplete: "}` +
                        `${gaps.join("; ")}. Declare an aws.s3.BucketLifecycleConfiguration (the PrivateBucket component does).`,
                    (configs[0] ?? bucket).urn,
                );
            }
        }
    },
};
