import { StackValidationPolicy } from "@pulumi/policy";
import { physicalName } from "../contract/naming";
import { ACCESS_LOGGING_ENVS, LOGGED_BUCKET_ROLES, accessLogBucketName } from "../contract/storage";
import { TYPES } from "../contract/resourceTypes";
import { forBucket, knownString, ofTypes } from "../support/references";
import { stackEnvFor } from "../support/stackEnv";
import { fsbp } from "../support/metadata";

/** Knobs of the access logging check. */
export interface VectoraS3AccessLoggingConfig {
    /** Environments whose buckets must log access. */
    readonly environments?: string[];
    /** Roles of the buckets that must log access (config, data, newsletters by default). */
    readonly bucketRoles?: string[];
    /** True when CloudTrail S3 data events already record every access to these buckets. */
    readonly cloudTrailDataEvents?: boolean;
}

/** Who read or changed prod's data is on record: server access logs go to the environment's own log bucket. */
export const vectoraS3AccessLogging: StackValidationPolicy = {
    name: "vectora-s3-access-logging",
    description:
        "In prod (the environments listed), the config, data and newsletters buckets log server access to the environment's " +
        "dedicated log bucket vectora-inbox-access-logs-<env>, declared in the same stack, unless cloudTrailDataEvents says " +
        "CloudTrail data events record that access; the log bucket itself is exempt.",
    enforcementLevel: "mandatory",
    severity: "medium",
    framework: fsbp("S3.9", "S3 general purpose buckets should have server access logging enabled"),
    tags: [
        "s3",
        "security",
        "logging",
        "external/cdk-nag/AwsSolutions-S1",
        "external/cdk-nag/HIPAA.Security-S3BucketLoggingEnabled",
        "external/cdk-nag/NIST.800.53.R5-S3BucketLoggingEnabled",
        "external/awsguard/s3-bucket-logging-enabled",
    ],
    remediationSteps:
        "Log the bucket's server access to vectora-inbox-access-logs-<env> with an aws.s3.BucketLogging in the same stack " +
        "(PrivateBucket's accessLogs argument), or set cloudTrailDataEvents to true in policy/policy-config.json when CloudTrail S3 " +
        "data events already record that access.",
    url: "RULES.md#vectora-s3-access-logging",
    rationale: {
        why:
            "Who read or changed prod's client data, newsletters and canonical config must be on record for an incident; the log bucket " +
            "is private, encrypted and lifecycled like the others.",
        severityReason:
            "Without access logs an incident on prod data cannot be traced, but nothing is exposed by their absence (Security Hub rates " +
            "S3.9 medium).",
    },
    configSchema: {
        properties: {
            environments: {
                type: "array",
                items: { type: "string" },
                default: [...ACCESS_LOGGING_ENVS],
                description: "Environments that log.",
            },
            bucketRoles: {
                type: "array",
                items: { type: "string" },
                default: [...LOGGED_BUCKET_ROLES],
                description: "Roles of the buckets that log access.",
            },
            cloudTrailDataEvents: {
                type: "boolean",
                default: false,
                description: "CloudTrail S3 data events already record access to these buckets.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const env = stackEnvFor(args);
        const config = args.getConfig<VectoraS3AccessLoggingConfig>();
        if (!(config.environments ?? ACCESS_LOGGING_ENVS).includes(env)) {
            return args.notApplicable(`access logging is required in ${(config.environments ?? ACCESS_LOGGING_ENVS).join(", ")}`);
        }
        if (config.cloudTrailDataEvents === true) {
            return args.notApplicable("CloudTrail S3 data events record access (cloudTrailDataEvents)");
        }
        const logBucketName = accessLogBucketName(env);
        const buckets = ofTypes(args.resources, TYPES.bucket, TYPES.bucketV2);
        const logBucket = buckets.find((b) => knownString(b, "bucket") === logBucketName);
        const wanted = new Set((config.bucketRoles ?? LOGGED_BUCKET_ROLES).map((role) => physicalName(role, env)));
        const sources = buckets.filter((b) => wanted.has(knownString(b, "bucket") ?? ""));
        if (sources.length === 0) {
            return args.notApplicable("none of the logged buckets is in the stack");
        }
        for (const bucket of sources) {
            const name = knownString(bucket, "bucket") as string;
            const logging = ofTypes(args.resources, TYPES.logging, TYPES.loggingV2).filter((l) => forBucket(l, bucket));
            const target = logging.map((l) => knownString(l, "targetBucket")).find((t) => t !== undefined);
            if (logging.length === 0) {
                reportViolation(
                    `bucket "${name}" does not log access; add an aws.s3.BucketLogging with targetBucket "${logBucketName}", or set ` +
                        `cloudTrailDataEvents when CloudTrail data events cover it.`,
                    bucket.urn,
                );
            } else if (target !== undefined && target !== logBucketName) {
                reportViolation(
                    `bucket "${name}" logs access to "${target}"; its logs go to this environment's own log bucket "${logBucketName}".`,
                    logging[0].urn,
                );
            } else if (!logBucket) {
                reportViolation(
                    `bucket "${name}" logs access to "${logBucketName}", which this stack does not declare; declare it as a ` +
                        `PrivateBucket so that it is private, encrypted and lifecycled like the others.`,
                    logging[0].urn,
                );
            }
        }
    },
};
