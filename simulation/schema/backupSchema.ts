import { ResourceSchema, TAGS, bool, int, object, objects, output, str, stringMap, strings } from "./model";
import { matches, validArn } from "./rules";

/**
 * AWS Backup's resource types. Names, required arguments and outputs as @pulumi/aws 7.48 declares them
 * (backup/*.d.ts); validation, defaults and ForceNew from terraform-provider-aws internal/service/backup/.
 */

/** aws_backup_vault: vault.go (name: 2 to 50 of [0-9A-Za-z_-]). */
export const VAULT: ResourceSchema = {
    token: "aws:backup/vault:Vault",
    source: "terraform-provider-aws internal/service/backup/vault.go (v6)",
    regional: true,
    taggable: true,
    autoName: { property: "name", maxLength: 50 },
    properties: {
        name: str("name", { forceNew: true, rules: [matches(/^[0-9A-Za-z_-]{2,50}$/, "must consist of letters, numbers, and hyphens.")] }),
        kmsKeyArn: str("kms_key_arn", { forceNew: true, computed: "optional", rules: [validArn] }),
        forceDestroy: bool("force_destroy", { default: false }),
        ...TAGS,
        arn: output("arn"),
        recoveryPoints: output("recovery_points", "int"),
    },
};

/** aws_backup_plan: plan.go (rule start_window defaults to 60 minutes, completion_window to 180). */
export const PLAN: ResourceSchema = {
    token: "aws:backup/plan:Plan",
    source: "terraform-provider-aws internal/service/backup/plan.go (v6)",
    regional: true,
    taggable: true,
    autoName: { property: "name", maxLength: 50 },
    properties: {
        name: str("name", { forceNew: true }),
        rules: objects(
            "rule",
            {
                ruleName: str("rule_name", {
                    required: true,
                    rules: [matches(/^[0-9A-Za-z_.-]{1,50}$/, "must contain only alphanumeric, hyphen, underscore, and period characters")],
                }),
                targetVaultName: str("target_vault_name", {
                    required: true,
                    rules: [matches(/^[0-9A-Za-z_-]{2,50}$/, "must contain only alphanumeric characters, hyphens, and underscores")],
                }),
                schedule: str("schedule"),
                scheduleExpressionTimezone: str("schedule_expression_timezone", { computed: "optional" }),
                startWindow: int("start_window", { default: 60 }),
                completionWindow: int("completion_window", { default: 180 }),
                enableContinuousBackup: bool("enable_continuous_backup"),
                recoveryPointTags: stringMap("recovery_point_tags"),
                lifecycle: object("lifecycle", {
                    coldStorageAfter: int("cold_storage_after"),
                    deleteAfter: int("delete_after"),
                    optInToArchiveForSupportedResources: bool("opt_in_to_archive_for_supported_resources"),
                }),
                copyActions: objects("copy_action", {}),
            },
            { required: true },
        ),
        advancedBackupSettings: objects("advanced_backup_setting", {}),
        ...TAGS,
        arn: output("arn"),
        version: output("version"),
    },
};

/** aws_backup_selection: selection.go (no update: every argument ForceNew; name 1 to 50 of [0-9A-Za-z_.-]). */
export const SELECTION: ResourceSchema = {
    token: "aws:backup/selection:Selection",
    source: "terraform-provider-aws internal/service/backup/selection.go (v6)",
    regional: true,
    autoName: { property: "name", maxLength: 50 },
    properties: {
        name: str("name", {
            forceNew: true,
            rules: [matches(/^[0-9A-Za-z_.-]{1,50}$/, "must contain only alphanumeric, hyphen, underscore, and period characters")],
        }),
        planId: str("plan_id", { required: true, forceNew: true }),
        iamRoleArn: str("iam_role_arn", { required: true, forceNew: true, rules: [validArn] }),
        resources: strings("resources", { forceNew: true, computed: "optional" }),
        notResources: strings("not_resources", { forceNew: true, computed: "optional" }),
        selectionTags: objects("selection_tag", {}, { forceNew: true }),
        conditions: objects("condition", {}, { forceNew: true, computed: "optional" }),
    },
};

/** Every AWS Backup type the simulated provider knows. */
export const BACKUP_SCHEMAS = [VAULT, PLAN, SELECTION];
