import { ResourceValidationPolicy } from "@pulumi/policy";
import { Env } from "../contract/naming";
import { TYPES } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";
import { environmentsNamed } from "../support/environmentsNamed";
import { fsbp } from "../support/metadata";

/** AWS services that may invoke a Vectora function through a resource-based permission. */
export const DEFAULT_INVOKE_PRINCIPALS: readonly string[] = ["events.amazonaws.com", "s3.amazonaws.com", "sns.amazonaws.com"];

/** Knobs of the invocation check. */
export interface VectoraLambdaNoPublicAccessConfig {
    /** Service principals a Lambda permission may name. */
    readonly allowedPrincipals?: string[];
    /** Other AWS accounts a layer version may be shared with (none by default). */
    readonly allowedAccounts?: string[];
}

/** Why a Lambda permission's source does not pin one resource of this environment, or undefined. */
export function sourceProblem(sourceArn: unknown, env: Env): string | undefined {
    if (typeof sourceArn !== "string" || sourceArn === "") {
        return "has no sourceArn, so any resource of that service, in any account, may invoke the function";
    }
    if (sourceArn.includes("*")) {
        return `has the wildcard sourceArn ${sourceArn}; name the one ${env} resource that invokes the function`;
    }
    const named = environmentsNamed(sourceArn);
    if (!named.some((n) => n.env === env) || named.some((n) => n.env !== env)) {
        return `has the sourceArn ${sourceArn}, which is not a ${env} resource of vectora-inbox`;
    }
    return undefined;
}

/** Nobody outside the environment invokes a function or uses a layer: no open URL, no '*' permission. */
export const vectoraLambdaNoPublicAccess: ResourceValidationPolicy = {
    name: "vectora-lambda-no-public-access",
    description:
        "No Lambda function URL has authorizationType NONE; every Lambda permission names an allowed AWS service principal with " +
        "a sourceArn of this environment (and a sourceAccount for S3), never '*' or an account; no layer version permission is for " +
        "'*', an organization or an account outside allowedAccounts.",
    enforcementLevel: "mandatory",
    severity: "critical",
    framework: fsbp("Lambda.1", "Lambda function policies should prohibit public access"),
    tags: [
        "lambda",
        "security",
        "external/cdk-nag/HIPAA.Security-LambdaFunctionPublicAccessProhibited",
        "external/cdk-nag/NIST.800.53.R5-LambdaFunctionPublicAccessProhibited",
        "external/cdk-nag/LambdaFunctionUrlAuth",
    ],
    remediationSteps:
        "Set authorizationType AWS_IAM on the function URL or remove it; give each aws.lambda.Permission an allowed service principal " +
        "(allowedPrincipals) with a sourceArn of this environment, and a sourceAccount for S3; share a layer version only with an " +
        "account in allowedAccounts.",
    url: "RULES.md#vectora-lambda-no-public-access",
    rationale: {
        why:
            "A function URL without authentication or a permission for `*` lets anyone on the internet invoke a function (and spend on " +
            "Bedrock); a public layer publishes our code.",
        severityReason:
            "Anyone on the internet could invoke a function and spend on Bedrock, or download our layers (Security Hub rates Lambda.1 " +
            "critical).",
    },
    configSchema: {
        properties: {
            allowedPrincipals: {
                type: "array",
                items: { type: "string", pattern: "^[a-z0-9.-]+\\.amazonaws\\.com$" },
                default: [...DEFAULT_INVOKE_PRINCIPALS],
                description: "Service principals a Lambda permission may name.",
            },
            allowedAccounts: {
                type: "array",
                items: { type: "string", pattern: "^\\d{12}$" },
                default: [],
                description: "AWS accounts a layer version may be shared with.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const config = args.getConfig<VectoraLambdaNoPublicAccessConfig>();
        const what = `${args.type} "${args.name}"`;
        switch (args.type) {
            case TYPES.functionUrl: {
                if (args.props.authorizationType !== "AWS_IAM") {
                    reportViolation(
                        `${what} lets anyone on the internet invoke the function (authorizationType ` +
                            `${String(args.props.authorizationType ?? "unset")}); use AWS_IAM or remove the URL.`,
                    );
                }
                return;
            }
            case TYPES.permission: {
                const env = envFor(args);
                const principal: unknown = args.props.principal;
                const allowed = config.allowedPrincipals ?? DEFAULT_INVOKE_PRINCIPALS;
                if (typeof principal !== "string" || !allowed.includes(principal)) {
                    reportViolation(
                        `${what} grants invocation to ${JSON.stringify(principal)}; only ${allowed.join(", ")} may invoke ` +
                            `a function, each from one named ${env} resource.`,
                    );
                    return;
                }
                const problem = sourceProblem(args.props.sourceArn, env);
                if (problem) {
                    reportViolation(`${what} ${problem}.`);
                }
                if (principal === "s3.amazonaws.com" && typeof args.props.sourceAccount !== "string") {
                    reportViolation(
                        `${what} lets S3 invoke the function without sourceAccount; a bucket ARN has no account, so set ` +
                            `sourceAccount to this account's id.`,
                    );
                }
                if (args.props.functionUrlAuthType === "NONE") {
                    reportViolation(`${what} opens the function URL without authentication (functionUrlAuthType NONE).`);
                }
                return;
            }
            case TYPES.layerPermission: {
                const principal: unknown = args.props.principal;
                const allowed = config.allowedAccounts ?? [];
                if (typeof args.props.organizationId === "string" && args.props.organizationId !== "") {
                    reportViolation(`${what} shares the layer with the whole organization ${args.props.organizationId}.`);
                } else if (typeof principal !== "string" || !allowed.includes(principal)) {
                    reportViolation(
                        `${what} shares the layer with ${JSON.stringify(principal)}; layers are this environment's own, ` +
                            `share them only with accounts listed in allowedAccounts.`,
                    );
                }
                return;
            }
            default:
                return args.notApplicable("not a function URL or a Lambda or layer permission");
        }
    },
};
