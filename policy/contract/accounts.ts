/**
 * AWS accounts a stack may deploy to: `aws:allowedAccountIds` in each `Pulumi.<stack>.yaml`. The AWS provider
 * checks the caller's account against it when it is configured, before its first call (pulumi-aws bridges
 * terraform-provider-aws: internal/conns/config.go, ConfigureProvider calls VerifyAccountIDAllowed), so a prod
 * deploy run with dev's credentials stops there. The program requires the key; the pack requires it on every
 * AWS provider (vectora-aws-allowed-accounts).
 */

/** An AWS account id: exactly twelve digits. */
export const ACCOUNT_ID = /^[0-9]{12}$/;

/** The config key, as written in a stack file. */
export const ALLOWED_ACCOUNTS_KEY = "aws:allowedAccountIds";

/**
 * The account ids of an `allowedAccountIds` value: a list, or the JSON text of one (a stack's config reaches the
 * program, and the engine's default provider, as text: pulumi/pulumi pkg/resource/deploy/target.go,
 * GetPackageConfig). Undefined when it is neither, is empty, or holds anything but twelve-digit strings (an
 * unquoted id in YAML is a number, which loses a leading zero).
 */
export function accountIds(value: unknown): string[] | undefined {
    let list = value;
    if (typeof value === "string") {
        try {
            list = JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every((id) => typeof id === "string" && ACCOUNT_ID.test(id))) {
        return undefined;
    }
    return list as string[];
}
