import { ResourceValidationPolicy } from "@pulumi/policy";
import { DEFAULT_LOG_RETENTION_DAYS } from "../contract/limits";
import { TYPES } from "../contract/resourceTypes";
import { currentEnv } from "../support/stackEnv";

/** Knobs of the retention check. */
export interface VectoraLogsRetentionSetConfig {
    /** Minimum retention in prod, in days. */
    readonly minProdDays?: number;
}

/** Logs do not pile up forever, and prod keeps them long enough to investigate an incident. */
export const vectoraLogsRetentionSet: ResourceValidationPolicy = {
    name: "vectora-logs-retention-set",
    description:
        "Every CloudWatch log group sets a retention (logs are not kept forever), and in prod " +
        "the retention is at least minProdDays days (90 by default) to investigate incidents.",
    enforcementLevel: "mandatory",
    severity: "low",
    tags: [
        "logging",
        "cost",
        "external/aws-securityhub/CloudWatch.16",
        "external/cdk-nag/Serverless-CloudWatchLogGroupRetentionPeriod",
        "external/cdk-nag/HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
        "external/cdk-nag/NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod",
    ],
    remediationSteps:
        "Set retentionInDays on the log group: the program takes it from vectora-inbox:logRetentionDays in Pulumi.<stack>.yaml, which " +
        "must be at least minProdDays (90 by default) in prod.",
    url: "RULES.md#vectora-logs-retention-set",
    rationale: {
        why: "Logs cost money forever unless they expire, and prod needs enough history to investigate.",
        severityReason: "Logs kept forever cost money and logs kept too briefly shorten investigations; neither exposes data.",
    },
    configSchema: {
        properties: {
            minProdDays: {
                type: "number",
                minimum: 1,
                default: DEFAULT_LOG_RETENTION_DAYS.prod,
                description: "Minimum retention in prod, in days.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.logGroup) {
            return args.notApplicable(`only ${TYPES.logGroup}`);
        }
        const days: unknown = args.props.retentionInDays;
        if (typeof days !== "number" || days <= 0) {
            reportViolation(
                `log group ${String(args.props.name ?? args.name)} keeps logs forever; ` +
                    `set retentionInDays (vectora-inbox:logRetentionDays in the stack config).`,
            );
            return;
        }
        const minimum = args.getConfig<VectoraLogsRetentionSetConfig>().minProdDays ?? DEFAULT_LOG_RETENTION_DAYS.prod;
        if (currentEnv(args.urn) === "prod" && days < minimum) {
            reportViolation(
                `log group ${String(args.props.name ?? args.name)} keeps prod logs ${days} days; keep them at least ${minimum} days.`,
            );
        }
    },
};
