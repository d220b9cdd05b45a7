import { accountIds } from "../policy/contract/accounts";
import { SIMULATED_ACCOUNT } from "./simulatedAws";

/**
 * What the AWS provider says when it is configured with credentials of an account its allowedAccountIds do not
 * list: terraform-provider-aws (which pulumi-aws bridges) calls aws-sdk-go-base's VerifyAccountIDAllowed in
 * ConfigureProvider (internal/conns/config.go), which fails with "AWS account ID not allowed: <id>"
 * (hashicorp/aws-sdk-go-base internal/config/config.go). Undefined when the account may be used, or when no list
 * is set. The simulated account is the caller's.
 */
export function accountRefusal(allowed: unknown, account = SIMULATED_ACCOUNT): string | undefined {
    if (allowed === undefined || allowed === "") {
        return undefined;
    }
    const ids = accountIds(allowed);
    return ids?.includes(account) ? undefined : `AWS account ID not allowed: ${account}`;
}
