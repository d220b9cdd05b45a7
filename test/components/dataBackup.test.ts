import * as assert from "assert";
import { DataBackup } from "../../components/dataBackup";
import { find, registrations } from "../helpers/components";

describe("DataBackup", () => {
    const declare = () =>
        void new DataBackup("data-backup", {
            names: {
                vault: "vectora-inbox-backup-prod",
                plan: "vectora-inbox-daily-backup-prod",
                role: "vectora-inbox-backup-role-prod",
                selection: "vectora-inbox-data-buckets-prod",
            },
            buckets: ["vectora-inbox-data-prod", "vectora-inbox-newsletters-prod"],
            tags: { Env: "prod" },
        });

    it("owns a vault, a daily plan kept 35 days, AWS Backup's role and the selection of the buckets", async () => {
        const all = await registrations(declare, "prod");
        assert.deepStrictEqual(
            all
                .filter((r) => r.parent === "data-backup")
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [
                "aws:backup/plan:Plan data-backup-plan",
                "aws:backup/selection:Selection data-backup-selection",
                "aws:backup/vault:Vault data-backup-vault",
                "aws:iam/role:Role data-backup-role",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment data-backup-AWSBackupServiceRolePolicyForS3Backup",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment data-backup-AWSBackupServiceRolePolicyForS3Restore",
            ],
        );
        const rule = find(all, "aws:backup/plan:Plan", "data-backup-plan").inputs.rules[0];
        assert.deepStrictEqual([rule.schedule, rule.lifecycle.deleteAfter], ["cron(0 3 * * ? *)", 35]);
        assert.strictEqual(rule.targetVaultName, "vectora-inbox-backup-prod");
        const selection = find(all, "aws:backup/selection:Selection", "data-backup-selection");
        assert.deepStrictEqual(selection.inputs.resources, [
            "arn:aws:s3:::vectora-inbox-data-prod",
            "arn:aws:s3:::vectora-inbox-newsletters-prod",
        ]);
    });

    it("lets only AWS Backup assume its role, and creates the selection once the role holds its permissions", async () => {
        const all = await registrations(declare, "prod");
        const trust = JSON.parse(find(all, "aws:iam/role:Role", "data-backup-role").inputs.assumeRolePolicy);
        assert.deepStrictEqual(
            trust.Statement.map((s: { Principal: unknown; Action: unknown }) => [s.Principal, s.Action]),
            [[{ Service: "backup.amazonaws.com" }, "sts:AssumeRole"]],
        );
        const deps = find(all, "aws:backup/selection:Selection", "data-backup-selection").dependencies;
        assert.ok(deps.includes("data-backup-AWSBackupServiceRolePolicyForS3Backup") && deps.includes("data-backup-role"), deps.join(", "));
    });
});
