import { ResourceValidationPolicy } from "@pulumi/policy";
import { standardVariables } from "../contract/lambdaEnvironment";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";

/** Values that are credentials, whatever the variable is called. */
const SECRET_VALUES: ReadonlyArray<[string, RegExp]> = [
    ["an AWS access key id", /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/],
    ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
    ["a Slack token", /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
    ["a JSON web token", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/],
    ["an OpenAI-style API key", /\bsk-[A-Za-z0-9_-]{20,}/],
];
/** Variables whose name says they hold a secret must hold a reference to one (SSM name or ARN). */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS?)$/i;
const REFERENCE = /^(\/|arn:)/;

/** Why a variable's value looks like a secret, or undefined. */
export function secretProblem(name: string, value: string): string | undefined {
    for (const [what, pattern] of SECRET_VALUES) {
        if (pattern.test(value)) {
            return `holds what looks like ${what}`;
        }
    }
    if (SECRET_NAME.test(name) && !REFERENCE.test(value) && value !== "") {
        return "is named like a secret but holds a value, not an SSM parameter name";
    }
    return undefined;
}

/** Each function knows its environment and is pointed at that environment's buckets only. */
export const vectoraLambdaEnvContract: ResourceValidationPolicy = {
    name: "vectora-lambda-env-contract",
    description:
        "Every Lambda function has ENV equal to the stack, the standard variables (PROJECT_NAME, CONFIG_BUCKET, DATA_BUCKET, LOG_LEVEL, " +
        "BEDROCK_MODEL_ID, PUBMED_API_KEY_PARAM) pointing to this environment's resources, LOG_LEVEL DEBUG in dev only, and no " +
        "variable holding a secret value.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["governance", "lambda", "security"],
    remediationSteps:
        "Set the function's variables from the standard set of policy/contract/lambdaEnvironment.ts (the VectoraFunction component " +
        "does): ENV and the buckets of this environment, LOG_LEVEL DEBUG in dev only; move any secret to SSM Parameter Store and pass " +
        "only its name, as PUBMED_API_KEY_PARAM does.",
    url: "RULES.md#vectora-lambda-env-contract",
    rationale: {
        why:
            "The code decides where it reads and writes from these variables; a wrong one silently mixes environments, and a secret in " +
            "a variable leaks to anyone who can read the function.",
        severityReason:
            "A wrong bucket variable silently mixes environments' data, and a secret in a variable is readable by anyone who may read " +
            "the function's configuration.",
    },
    validateResource: (args, reportViolation) => {
        const env = envFor(args, TYPES.function);
        const fn = `function "${args.name}"`;
        const environment: unknown = args.props.environment;
        const variables = isRecord(environment) && isRecord(environment.variables) ? environment.variables : {};
        const expected = standardVariables(env, variables.NEWSLETTERS_BUCKET !== undefined);
        for (const [name, want] of Object.entries(expected)) {
            const value = variables[name];
            if (value === undefined) {
                reportViolation(
                    `${fn} has no ${name} variable; set ${name}${typeof want === "string" ? `=${want}` : ""} (every ` +
                        `Lambda reads its environment from the standard variables).`,
                );
            } else if (name === "LOG_LEVEL" && value === "DEBUG" && env !== "dev") {
                reportViolation(
                    `${fn} logs at DEBUG in the ${env} stack; DEBUG logs hold payloads and prompts and are for dev only, ` +
                        `set LOG_LEVEL=INFO.`,
                );
            } else if (typeof want === "string" ? value !== want : typeof value !== "string" || !want.test(value)) {
                reportViolation(
                    `${fn} has ${name}=${JSON.stringify(value)}; in the ${env} stack it must ` +
                        `be ${typeof want === "string" ? want : `of the form ${want.source}`}.`,
                );
            }
        }
        for (const [name, value] of Object.entries(variables)) {
            const problem = typeof value === "string" ? secretProblem(name, value) : undefined;
            if (problem) {
                reportViolation(
                    `${fn}: variable ${name} ${problem}; store the secret in SSM ` +
                        `Parameter Store and pass its name (like PUBMED_API_KEY_PARAM).`,
                );
            }
        }
    },
};
