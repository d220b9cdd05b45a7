import * as assert from "assert";
import type { Policy } from "@pulumi/policy";
import { BEGIN, END, anchors, metadataProblems, renderRules } from "../../scripts/rules";
import { fsbp } from "../../policy/support/metadata";

/** A policy as another branch would add it: only its own file's fields, nothing of the 31 of this pack. */
const NEW_POLICY: Policy = {
    name: "vectora-iam-no-users",
    description: "The stack declares no IAM user | nor access key.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: fsbp("IAM.2", "IAM users should not have IAM policies attached"),
    tags: ["iam", "security", "external/cdk-nag/AwsSolutions-IAM4"],
    remediationSteps: "Replace the aws.iam.User by a role for <env>.",
    url: "RULES.md#vectora-iam-no-users",
    rationale: { why: "Users carry long-lived keys.", severityReason: "A leaked key is an account-wide door." },
};

describe("npm run rules", () => {
    it("writes one row per policy between the markers, and keeps the prose around them", () => {
        const text = `# Rules\n\nprose before\n${BEGIN}\nold table\n${END}\n\nprose after\n`;
        assert.strictEqual(
            renderRules(text, [NEW_POLICY]),
            "# Rules\n\nprose before\n" +
                `${BEGIN}\n` +
                "| Policy | Level | Severity | What it checks | Why | How to fix | " +
                "Anchor rules (AWS FSBP, CIS, cdk-nag, awsguard) | File |\n" +
                "|---|---|---|---|---|---|---|---|\n" +
                '| <a id="vectora-iam-no-users"></a>vectora-iam-no-users (tags: iam, security) | mandatory | ' +
                "**high**: A leaked key is an account-wide door. | The stack declares no IAM user \\| nor access key. | " +
                "Users carry long-lived keys. | Replace the aws.iam.User by a role for &lt;env&gt;. | " +
                "AWS FSBP IAM.2 (IAM users should not have IAM policies attached); cdk-nag AwsSolutions-IAM4 | " +
                "[`policies/vectora-iam-no-users.ts`](policies/vectora-iam-no-users.ts) |\n" +
                `${END}\n\nprose after\n`,
        );
    });

    it("is idempotent: rendering a rendered file changes nothing", () => {
        const once = renderRules(`${BEGIN}\n${END}\n`, [NEW_POLICY]);
        assert.strictEqual(renderRules(once, [NEW_POLICY]), once);
    });

    it("names every missing field of a policy, one line each, with the file to edit", () => {
        const bare: Policy = {
            name: "vectora-bare",
            description: "Bare.",
            enforcementLevel: "advisory",
            tags: ["external/nowhere/X"],
        };
        assert.deepStrictEqual(metadataProblems(bare), [
            'vectora-bare has no severity; add severity: "low" | "medium" | "high" | "critical" in policy/policies/vectora-bare.ts',
            "vectora-bare has no remediationSteps; say what a developer changes, and where, in policy/policies/vectora-bare.ts",
            'vectora-bare has url undefined; expected "RULES.md#vectora-bare" (its row of RULES.md) ' +
                "in policy/policies/vectora-bare.ts",
            'vectora-bare has no rationale; add rationale: { why: "...", severityReason: "..." } in policy/policies/vectora-bare.ts',
            'vectora-bare has no tags; add at least one area tag such as "s3", "iam", "lambda" or "governance" ' +
                "in policy/policies/vectora-bare.ts",
            "vectora-bare has tag external/nowhere/X; expected " +
                "external/<aws-fsbp|aws-securityhub|cis-aws-v3.0.0|cdk-nag|awsguard>/<rule id> " +
                "in policy/policies/vectora-bare.ts",
        ]);
        assert.deepStrictEqual(metadataProblems(NEW_POLICY), []);
    });

    it("groups anchors by catalog, the framework's control first, and says - when there is none", () => {
        assert.strictEqual(
            anchors({ ...NEW_POLICY, tags: ["iam", "external/aws-fsbp/IAM.1", "external/cdk-nag/X", "external/cdk-nag/Y"] }),
            "AWS FSBP IAM.2 (IAM users should not have IAM policies attached), IAM.1; cdk-nag X, Y",
        );
        assert.strictEqual(anchors({ ...NEW_POLICY, framework: undefined, tags: ["iam"] }), "-");
    });

    it("refuses a RULES.md whose markers are gone, saying how to fix it", () => {
        assert.throws(
            () => renderRules("# Rules\n", [NEW_POLICY]),
            /policy\/RULES\.md has lost its markers; put .* back around the policy table/,
        );
    });
});
