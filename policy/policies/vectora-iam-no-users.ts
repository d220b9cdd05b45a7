import { ResourceValidationPolicy } from "@pulumi/policy";
import { nested } from "../support/props";

/**
 * IAM users and what only users have: long-lived credentials (access keys, console passwords, SSH keys,
 * signing certificates, service-specific credentials) and their policies and groups. Type tokens as
 * @pulumi/aws 7 registers them (`aws:iam/<module>:<Type>`).
 */
const USER_TYPES: Readonly<Record<string, string>> = {
    "aws:iam/user:User": "an IAM user",
    "aws:iam/accessKey:AccessKey": "an access key (a long-lived credential)",
    "aws:iam/userLoginProfile:UserLoginProfile": "a console password of a user",
    "aws:iam/sshKey:SshKey": "an SSH key of a user",
    "aws:iam/signingCertificate:SigningCertificate": "a signing certificate of a user",
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": "a service-specific credential of a user",
    "aws:iam/userPolicy:UserPolicy": "an inline policy of a user",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "a policy attached to a user",
    "aws:iam/userPoliciesExclusive:UserPoliciesExclusive": "the inline policies of a user",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "the policies attached to a user",
    "aws:iam/userGroupMembership:UserGroupMembership": "a user's groups",
    "aws:iam/groupMembership:GroupMembership": "users added to a group",
};

/** No stack creates an IAM user or a long-lived credential: functions and services use roles. */
export const vectoraIamNoUsers: ResourceValidationPolicy = {
    name: "vectora-iam-no-users",
    description:
        "No stack declares an IAM user, an access key or anything else that belongs to users (console passwords, SSH keys, " +
        "user policies, group memberships), nor attaches a policy to users: functions and services get their rights from roles.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["iam", "security", "external/aws-securityhub/IAM.2"],
    remediationSteps:
        "Remove the IAM user, access key or user policy from the program (program.ts or the component that declares it); give the " +
        "function or service an IAM role (functions/iam.ts builds the functions' roles) and let it assume that role.",
    url: "RULES.md#vectora-iam-no-users",
    rationale: {
        why: "Users carry long-lived credentials that leak and outlive their purpose; roles give temporary credentials scoped to one env.",
        severityReason: "A leaked access key is standing access to the account until someone notices and deletes it.",
    },
    validateResource: (args, reportViolation) => {
        const what = USER_TYPES[args.type];
        if (what !== undefined) {
            reportViolation(
                `${args.name} (${args.type}) is ${what}; no stack creates IAM users or long-lived credentials. Give the ` +
                    `function or service a role instead (an IAM role it assumes gets temporary credentials), and remove ${args.name}.`,
            );
            return;
        }
        if (args.type === "aws:iam/policyAttachment:PolicyAttachment") {
            const users = nested(args.props, "users");
            if (Array.isArray(users) && users.length > 0) {
                reportViolation(
                    `${args.name} attaches a policy to IAM users (${users.length}); attach it to the roles that need it ` +
                        `(roles: [...]) and leave users empty.`,
                );
            }
            return;
        }
        return args.notApplicable("not an IAM user, credential or user attachment");
    },
};
