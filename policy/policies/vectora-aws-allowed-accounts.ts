import { ResourceValidationPolicy } from "@pulumi/policy";
import { ALLOWED_ACCOUNTS_KEY, accountIds } from "../contract/accounts";
import { isUnknown, raw } from "../support/props";
import { currentEnv } from "../support/stackEnv";

/** The knob: the accounts each environment may use (unset: any pinned account). */
export interface VectoraAwsAllowedAccountsConfig {
    readonly accounts?: Readonly<Record<string, string[]>>;
}

/** Type of an AWS provider resource, the engine's default one and any the program declares. */
const AWS_PROVIDER = "pulumi:providers:aws";

/**
 * Every AWS provider is pinned to the stack's account: with allowedAccountIds set, the provider compares the
 * caller's account with it when it is configured and refuses before its first call, so credentials of another
 * environment (a prod deploy run with dev's keys) stop the deploy there.
 */
export const vectoraAwsAllowedAccounts: ResourceValidationPolicy = {
    name: "vectora-aws-allowed-accounts",
    description:
        "Every AWS provider of a stack (the default one, from aws:allowedAccountIds in Pulumi.<stack>.yaml, and any declared) " +
        "sets allowedAccountIds to a non-empty list of 12-digit account ids, within the environment's accounts when they are configured.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["governance", "security"],
    remediationSteps:
        'Set aws:allowedAccountIds: ["<12-digit account id>"] in Pulumi.<stack>.yaml (and allowedAccountIds on any AWS provider ' +
        "the program declares); with the accounts knob, keep each environment within its own accounts.",
    url: "RULES.md#vectora-aws-allowed-accounts",
    rationale: {
        why: "Credentials of the wrong environment (a prod deploy run with dev's keys) would deploy a stack into another account.",
        severityReason: "A deploy into the wrong account can replace or delete another environment's resources.",
    },
    configSchema: {
        properties: {
            accounts: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string", pattern: "^[0-9]{12}$" } },
                description: 'The accounts each environment may deploy to, e.g. { "prod": ["210987654321"] }.',
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== AWS_PROVIDER) {
            return args.notApplicable("only AWS providers");
        }
        const value = raw(args.props).allowedAccountIds;
        if (isUnknown(value)) {
            reportViolation(`AWS provider ${args.name}: allowedAccountIds is unknown during preview; pin it to a known account list.`);
            return;
        }
        const ids = accountIds(value);
        if (ids === undefined) {
            const shown = value === undefined ? "not set" : JSON.stringify(value);
            reportViolation(
                `AWS provider ${args.name} is not pinned to an account (allowedAccountIds is ${shown}); set ` +
                    `${ALLOWED_ACCOUNTS_KEY}: ["<12-digit account id>"] in the stack's Pulumi.<stack>.yaml (or allowedAccountIds on ` +
                    `the provider), so that credentials of another account stop the deploy before its first call.`,
            );
            return;
        }
        const env = currentEnv(args.urn);
        const allowed = env !== undefined ? args.getConfig<VectoraAwsAllowedAccountsConfig>().accounts?.[env] : undefined;
        const foreign = allowed !== undefined ? ids.filter((id) => !allowed.includes(id)) : [];
        if (foreign.length > 0) {
            reportViolation(
                `AWS provider ${args.name} allows account ${foreign.join(", ")}, which is not one of ${env}'s accounts ` +
                    `(${(allowed ?? []).join(", ")}); set ${ALLOWED_ACCOUNTS_KEY} to ${env}'s account.`,
            );
        }
    },
};
