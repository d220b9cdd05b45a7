import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_MANAGED_POLICIES, BACKUP_RETENTION_DAYS, BACKUP_SCHEDULE } from "../policy/contract/storage";
import { backupAssumeRolePolicy, bucketArn } from "../functions/iam";

/** Arguments of a DataBackup. */
export interface DataBackupArgs {
    /** Physical names of the vault, plan, AWS Backup's role and the selection (each ends in `-<env>`). */
    readonly names: { readonly vault: string; readonly plan: string; readonly role: string; readonly selection: string };
    /** The buckets backed up, by physical name (their ARNs follow from the name, known before they exist). */
    readonly buckets: readonly string[];
    /** Tags of the vault, plan and role. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * AWS Backup of buckets whose content the repository cannot rebuild: a vault, a daily plan that keeps each
 * recovery point 35 days, AWS Backup's role, and the selection of the buckets. Versioning alone does not survive
 * the deletion of a bucket or a compromised account; a recovery point in a vault does.
 */
export class DataBackup extends pulumi.ComponentResource {
    /** The backup plan. */
    public readonly plan: aws.backup.Plan;

    constructor(name: string, args: DataBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("vectora:storage:DataBackup", name, {}, opts);
        const child = { parent: this };
        const vault = new aws.backup.Vault(`${name}-vault`, { name: args.names.vault, tags: { ...args.tags } }, child);
        this.plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: args.names.plan,
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: vault.name,
                        schedule: BACKUP_SCHEDULE,
                        lifecycle: { deleteAfter: BACKUP_RETENTION_DAYS },
                    },
                ],
                tags: { ...args.tags },
            },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            { name: args.names.role, assumeRolePolicy: JSON.stringify(backupAssumeRolePolicy()), tags: { ...args.tags } },
            child,
        );
        const attachments = BACKUP_MANAGED_POLICIES.map(
            (policyArn) => new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop()}`, { role: role.name, policyArn }, child),
        );
        new aws.backup.Selection(
            `${name}-selection`,
            { name: args.names.selection, planId: this.plan.id, iamRoleArn: role.arn, resources: args.buckets.map(bucketArn) },
            // AWS Backup checks the role's permissions when the selection is created.
            { ...child, dependsOn: attachments },
        );
        this.registerOutputs({ planId: this.plan.id });
    }
}
