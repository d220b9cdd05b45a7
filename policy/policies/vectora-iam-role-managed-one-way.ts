import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPES } from "../contract/resourceTypes";

/**
 * A role's permissions come from separate resources only (role policies, attachments). Set on the role too, the
 * role's own arguments and those resources overwrite each other at every deploy (the AWS provider documents
 * the conflict; awsguard's iam-role-no-policy-management-conflicts is the same rule).
 */
export const vectoraIamRoleManagedOneWay: ResourceValidationPolicy = {
    name: "vectora-iam-role-managed-one-way",
    description:
        "No IAM role sets inlinePolicies or managedPolicyArns: its permissions are managed one way only, as separate " +
        "aws.iam.RolePolicy and aws.iam.RolePolicyAttachment resources.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["iam", "external/awsguard/iam-role-no-policy-management-conflicts"],
    remediationSteps:
        "Remove inlinePolicies and managedPolicyArns from the aws.iam.Role and declare each permission as its own aws.iam.RolePolicy or " +
        "aws.iam.RolePolicyAttachment.",
    url: "RULES.md#vectora-iam-role-managed-one-way",
    rationale: {
        why:
            "Inline policies, attachments and managedPolicyArns managed side by side overwrite each other on every deploy: what runs is " +
            "not what the repository says.",
        severityReason:
            "Two ways of managing one role's permissions make them drift between deploys; nothing is granted beyond what is declared.",
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.role) {
            return args.notApplicable(`only ${TYPES.role}`);
        }
        for (const property of ["inlinePolicies", "managedPolicyArns"]) {
            const value: unknown = args.props[property];
            if (Array.isArray(value) && value.length > 0) {
                reportViolation(
                    `role "${args.name}" sets ${property}; declare its policies as aws.iam.RolePolicy or ` +
                        `aws.iam.RolePolicyAttachment resources instead, so that one place manages them.`,
                );
            }
        }
    },
};
