import { InputError } from "../lib/errors";
import { ALLOWED_ACCOUNTS_KEY, accountIds } from "../policy/contract/accounts";
import { logLevelFor } from "../policy/contract/lambdaEnvironment";
import { DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_DAYS } from "../policy/contract/limits";
import { ENVIRONMENTS, Env, PROJECT, isEnv } from "../policy/contract/naming";

/** Everything a stack's configuration decides, validated. */
export interface StackSettings {
    readonly env: Env;
    /** AWS region of every resource (`aws:region`). */
    readonly region: string;
    /** Bedrock model the scoring and newsletter Lambdas invoke. */
    readonly bedrockModelId: string;
    /** Region the Bedrock calls go to (us-east-1 for the team). */
    readonly bedrockRegion: string;
    readonly logLevel: "DEBUG" | "INFO";
    readonly logRetentionDays: number;
    /** Fully qualified name of the stack this one takes its artifacts from (dev for stage, stage for prod). */
    readonly sourceStack?: string;
    /** Data buckets get `protect` so that `pulumi destroy` cannot delete them. */
    readonly protectData: boolean;
    /** The config file the settings came from, as messages name it. */
    readonly configFile: string;
    /** The AWS accounts the stack may deploy to (`aws:allowedAccountIds`, which the AWS provider enforces). */
    readonly allowedAccountIds: readonly string[];
}

/** Keys of the `vectora-inbox:` namespace; anything else is a typo worth stopping for. */
export const CONFIG_KEYS = ["env", "bedrockModelId", "bedrockRegion", "devStack", "stageStack", "logRetentionDays"] as const;

/** The key that names the stack a gated environment takes its artifacts from. */
export const SOURCE_STACK_KEY = { stage: "devStack", prod: "stageStack" } as const;

/**
 * Namespaces a stack config may use: the project's own, the AWS provider's, and Pulumi's reserved one. Any
 * other (`vectora-inbx:`) is a typo that the runtime would otherwise pass along and nothing would read.
 */
export const CONFIG_NAMESPACES = [PROJECT, "aws", "pulumi"] as const;

/** An AWS region name (eu-west-3, us-gov-west-1...). */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const MODEL_ID = /^[a-z0-9][a-z0-9-]*(\.[A-Za-z0-9-]+)+(:\d+)?$/;
const STACK_NAME = { stage: /^([A-Za-z0-9_.-]+\/){0,2}dev$/, prod: /^([A-Za-z0-9_.-]+\/){0,2}stage$/ } as const;

/** The stack config file the CLI reads for a stack. */
export function stackConfigFile(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/**
 * Validates a stack's configuration (the `project:key` map the Pulumi runtime exposes) against the stack
 * name. Every error names the stack file (`file`: the one the CLI read, Pulumi.<stack>.yaml unless
 * `--config-file` named another), the key and the expected value.
 */
export function readStackSettings(stack: string, config: Readonly<Record<string, string>>, file = stackConfigFile(stack)): StackSettings {
    if (!isEnv(stack)) {
        throw new InputError(
            `stack "${stack}" is not one of ${ENVIRONMENTS.join(", ")}; Vectora Inbox ` +
                `has exactly these stacks (${ENVIRONMENTS.map(stackConfigFile).join(", ")})`,
        );
    }
    const prefix = `${PROJECT}:`;
    for (const key of Object.keys(config)) {
        const namespace = key.includes(":") ? key.slice(0, key.indexOf(":")) : key;
        if (!(CONFIG_NAMESPACES as readonly string[]).includes(namespace)) {
            throw new InputError(
                `${file}: unknown config namespace "${namespace}" in ${key}; expected ` +
                    `${CONFIG_NAMESPACES.map((n) => `${n}:<key>`).join(" or ")} (a typo would be ignored silently)`,
            );
        }
        if (key.startsWith(prefix) && !(CONFIG_KEYS as readonly string[]).includes(key.slice(prefix.length))) {
            throw new InputError(`${file}: unknown key ${key}; expected one of ${CONFIG_KEYS.map((k) => prefix + k).join(", ")}`);
        }
    }
    const required = (key: string, example: string, pattern?: RegExp): string => {
        const value = config[key];
        if (value === undefined || value === "") {
            throw new InputError(`${file}: missing ${key}; expected for example "${key}: ${example}" under config:`);
        }
        if (pattern && !pattern.test(value)) {
            throw new InputError(`${file}: ${key} is "${value}"; expected a value like ${example}`);
        }
        return value;
    };
    const env = required(`${prefix}env`, stack);
    if (env !== stack) {
        throw new InputError(`${file}: ${prefix}env is "${env}" but the stack is "${stack}"; expected ${prefix}env: ${stack}`);
    }
    const region = required("aws:region", "eu-west-3", REGION);
    const bedrockModelId = required(`${prefix}bedrockModelId`, "anthropic.claude-3-5-sonnet-20240620-v1:0", MODEL_ID);
    const bedrockRegion = required(`${prefix}bedrockRegion`, "us-east-1", REGION);
    let sourceStack: string | undefined;
    for (const [gated, key] of Object.entries(SOURCE_STACK_KEY) as Array<["stage" | "prod", string]>) {
        if (stack === gated) {
            const source = gated === "stage" ? "dev" : "stage";
            sourceStack = required(`${prefix}${key}`, `organization/vectora-inbox/${source}`, STACK_NAME[gated]);
        } else if (config[`${prefix}${key}`] !== undefined) {
            throw new InputError(`${file}: ${prefix}${key} is only for the ${gated} stack (its promotion gate); remove it from ${file}`);
        }
    }
    let logRetentionDays: number = DEFAULT_LOG_RETENTION_DAYS[stack];
    const retention = config[`${prefix}logRetentionDays`];
    if (retention !== undefined) {
        // Only plain digits: Number() would also take "0x1E", "3e1", "+30" and " 30 " as 30.
        logRetentionDays = /^[0-9]+$/.test(retention) ? Number(retention) : NaN;
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
            throw new InputError(
                `${file}: ${prefix}logRetentionDays is "${retention}"; expected one ` +
                    `of ${LOG_RETENTION_DAYS.join(", ")} (days CloudWatch Logs accepts)`,
            );
        }
    }
    const allowedAccountIds = pinnedAccounts(file, config[ALLOWED_ACCOUNTS_KEY]);
    return {
        env: stack,
        region,
        bedrockModelId,
        bedrockRegion,
        logLevel: logLevelFor(stack),
        logRetentionDays,
        sourceStack,
        protectData: stack === "prod",
        configFile: file,
        allowedAccountIds,
    };
}

/**
 * The accounts a stack is pinned to: required, so that the AWS provider refuses credentials of another account
 * before its first call (policy/contract/accounts.ts).
 */
function pinnedAccounts(file: string, value: string | undefined): string[] {
    const example = `${ALLOWED_ACCOUNTS_KEY}: ["123456789012"]`;
    if (value === undefined || value === "") {
        throw new InputError(
            `${file}: missing ${ALLOWED_ACCOUNTS_KEY}; expected the stack's AWS account under config:, e.g. ${example} ` +
                `(a deploy with another account's credentials then stops before its first call)`,
        );
    }
    const ids = accountIds(value);
    if (ids === undefined) {
        throw new InputError(
            `${file}: ${ALLOWED_ACCOUNTS_KEY} is ${value}; expected a list of quoted 12-digit AWS account ids, e.g. ${example} ` +
                `(an unquoted id is a number and loses its leading zeros)`,
        );
    }
    return ids;
}
