import { ResourceSchema, TAGS, bool, int, output, str } from "./model";
import { logGroupName } from "./lambdaSchema";
import { validArn } from "./rules";

/**
 * aws_cloudwatch_log_group: internal/service/logs/group.go (v6). `retention_in_days` defaults to 0 and takes only
 * CloudWatch Logs' periods (IntInSlice); `skip_destroy` defaults to false: both as pulumi-aws's recorded session
 * returns them from Check (test/fixtures/recorded/cloudwatch-loggroup). The names follow validLogGroupName.
 */
export const LOG_RETENTION_PERIODS = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const LOG_GROUP: ResourceSchema = {
    token: "aws:cloudwatch/logGroup:LogGroup",
    source: "terraform-provider-aws internal/service/logs/group.go (v6)",
    regional: true,
    taggable: true,
    autoName: { property: "name", maxLength: 512, prefix: "namePrefix" },
    properties: {
        name: str("name", { forceNew: true, computed: "optional", rules: logGroupName }),
        namePrefix: str("name_prefix", { forceNew: true, computed: "optional" }),
        retentionInDays: int("retention_in_days", { default: 0, allowed: LOG_RETENTION_PERIODS }),
        skipDestroy: bool("skip_destroy", { default: false }),
        kmsKeyId: str("kms_key_id", { rules: [validArn] }),
        logGroupClass: str("log_group_class", {
            forceNew: true,
            computed: "optional",
            oneOf: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"],
        }),
        deletionProtectionEnabled: bool("deletion_protection_enabled", { computed: "optional" }),
        ...TAGS,
        arn: output("arn"),
    },
};
