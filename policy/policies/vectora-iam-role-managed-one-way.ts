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
