import type { PolicyComplianceFramework } from "@pulumi/policy";

/**
 * What RULES.md says of a policy beyond @pulumi/policy's own metadata (severity, framework, tags,
 * remediationSteps, url): why the rule exists and why it has its severity. `npm run rules` writes both into
 * the policy's row, so that a policy's documentation lives in its own file.
 */
export interface PolicyRationale {
    /** The risk, cost or incident the rule prevents (RULES.md, "Why"). */
    readonly why: string;
    /** One sentence: why this severity and not another (RULES.md, "Severity"). */
    readonly severityReason: string;
}

// @pulumi/policy's Policy gains the pack's own documentation field. @pulumi/policy copies only the fields it knows
// into GetAnalyzerInfo (protoutil.js, makeAnalyzerInfo), so this one never reaches the engine: it is for RULES.md.
declare module "@pulumi/policy/policy" {
    interface Policy {
        /** Why the rule exists and why its severity (the pack's own field; see policy/support/metadata.ts). */
        rationale?: PolicyRationale;
    }
}

/**
 * A control of the AWS Foundational Security Best Practices standard v1.0.0, by its AWS Security Hub control id
 * and title (docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html, lambda-controls.html,
 * iam-controls.html). Only controls listed in the FSBP standard go here; other Security Hub controls are tags
 * (`external/aws-securityhub/<id>`).
 */
export function fsbp(control: string, title: string): PolicyComplianceFramework {
    return { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference: control, specification: title };
}
