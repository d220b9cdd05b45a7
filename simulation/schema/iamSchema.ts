import { ResourceSchema, TAGS, bool, int, output, str } from "./model";
import { lengthBetween, matches, validArn, validPolicyJson } from "./rules";

/**
 * IAM's resource types (global: no region). Names, required arguments and outputs as @pulumi/aws 7.48 declares
 * them (iam/*.d.ts); validation, defaults and ForceNew from terraform-provider-aws internal/service/iam/.
 */

/** validResourceName (iam/validate.go): 1 to `max` characters of [\w+=,.@-]. */
function iamName(max: number) {
    return [lengthBetween(1, max), matches(/^[\w+=,.@-]*$/, "must match [\\w+=,.@-]")];
}

/** aws_iam_role: role.go (v6, `@Tags(identifierAttribute="name", resourceType="Role")`, roleNameMaxLen 64). */
export const ROLE: ResourceSchema = {
    token: "aws:iam/role:Role",
    source: 'terraform-provider-aws internal/service/iam/role.go (v6, @Tags(identifierAttribute="name", resourceType="Role"))',
    taggable: true,
    autoName: { property: "name", maxLength: 64, prefix: "namePrefix" },
    properties: {
        name: str("name", { forceNew: true, computed: "optional", rules: iamName(64) }),
        namePrefix: str("name_prefix", { forceNew: true, computed: "optional", rules: iamName(38) }),
        assumeRolePolicy: str("assume_role_policy", { required: true, document: true, rules: [validPolicyJson] }),
        description: str("description", { rules: [lengthBetween(0, 1000)] }),
        forceDetachPolicies: bool("force_detach_policies", { default: false }),
        maxSessionDuration: int("max_session_duration", { default: 3600, range: [3600, 43200] }),
        path: str("path", { default: "/", forceNew: true, rules: [lengthBetween(0, 512)] }),
        permissionsBoundary: str("permissions_boundary", { rules: [validArn] }),
        managedPolicyArns: { kind: "stringList", tf: "managed_policy_arns", computed: "optional" },
        inlinePolicies: { kind: "objectList", tf: "inline_policy", computed: "optional" },
        ...TAGS,
        arn: output("arn"),
        createDate: output("create_date"),
        uniqueId: output("unique_id"),
    },
};

/** aws_iam_role_policy: role_policy.go (name validRolePolicyName: 1 to 128 characters; no update of role). */
export const ROLE_POLICY: ResourceSchema = {
    token: "aws:iam/rolePolicy:RolePolicy",
    source: "terraform-provider-aws internal/service/iam/role_policy.go (v6)",
    autoName: { property: "name", maxLength: 128, prefix: "namePrefix" },
    properties: {
        name: str("name", { forceNew: true, computed: "optional", rules: iamName(128) }),
        namePrefix: str("name_prefix", { forceNew: true, rules: iamName(102) }),
        policy: str("policy", { required: true, document: true, rules: [validPolicyJson] }),
        role: str("role", { required: true, forceNew: true }),
    },
};

/** aws_iam_role_policy_attachment: role_policy_attachment.go (no update: both arguments ForceNew). */
export const ROLE_POLICY_ATTACHMENT: ResourceSchema = {
    token: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    source: "terraform-provider-aws internal/service/iam/role_policy_attachment.go (v6)",
    properties: {
        role: str("role", { required: true, forceNew: true }),
        policyArn: str("policy_arn", { required: true, forceNew: true, rules: [validArn] }),
    },
};

/**
 * aws_iam_user: user.go (validUserName: 1 to 64 of [0-9A-Za-z=,.@\-_+]; a new name or path is an update, not a
 * replacement). Check's defaults `path: "/"` and `forceDestroy: false` are in pulumi-aws's recorded session
 * (test/fixtures/recorded/iam-user).
 */
export const USER: ResourceSchema = {
    token: "aws:iam/user:User",
    source: "terraform-provider-aws internal/service/iam/user.go (v6)",
    taggable: true,
    autoName: { property: "name", maxLength: 64 },
    properties: {
        name: str("name", {
            rules: [
                lengthBetween(1, 64),
                matches(
                    /^[0-9A-Za-z=,.@\-_+]+$/,
                    "must only contain alphanumeric characters, hyphens, underscores, commas, periods, @ symbols, plus and equals signs",
                ),
            ],
        }),
        path: str("path", { default: "/" }),
        forceDestroy: bool("force_destroy", { default: false }),
        permissionsBoundary: str("permissions_boundary", { rules: [lengthBetween(20, 2048)] }),
        ...TAGS,
        arn: output("arn"),
        uniqueId: output("unique_id"),
    },
};

/** aws_iam_access_key: access_key.go (status Active or Inactive, Active by default; user and pgp_key ForceNew). */
export const ACCESS_KEY: ResourceSchema = {
    token: "aws:iam/accessKey:AccessKey",
    source: "terraform-provider-aws internal/service/iam/access_key.go (v6)",
    properties: {
        user: str("user", { required: true, forceNew: true }),
        pgpKey: str("pgp_key", { forceNew: true }),
        status: str("status", { default: "Active", oneOf: ["Active", "Inactive"] }),
        createDate: output("create_date"),
        encryptedSecret: output("encrypted_secret"),
        encryptedSesSmtpPasswordV4: output("encrypted_ses_smtp_password_v4"),
        keyFingerprint: output("key_fingerprint"),
        secret: output("secret"),
        sesSmtpPasswordV4: output("ses_smtp_password_v4"),
    },
};

/** Every IAM type the simulated provider knows. */
export const IAM_SCHEMAS = [ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT, USER, ACCESS_KEY];
