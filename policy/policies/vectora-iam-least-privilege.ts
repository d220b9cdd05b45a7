import { ResourceValidationPolicy } from "@pulumi/policy";
import { Env } from "../contract/naming";
import { parseArn } from "../support/arn";
import { isRecord } from "../contract/records";
import { list, principalsOf, statementsOf } from "../support/iamDocument";
import { TYPES } from "../contract/resourceTypes";
import { envFor } from "../support/stackEnv";
import { environmentsNamed } from "../support/environmentsNamed";
import { fsbp } from "../support/metadata";

/**
 * Actions AWS does not scope to a resource, so a statement granting them may only use Resource "*".
 * Each is narrow (tracing, metrics, the ENIs of a VPC function); nothing else gets "*".
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "cloudwatch:PutMetricData",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
];

/** AWS managed policies that grant far more than any Vectora Lambda needs. */
const BROAD_MANAGED_POLICY = /^arn:aws:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]+FullAccess)$/;

/** Knobs of the least-privilege check. */
export interface VectoraIamLeastPrivilegeConfig {
    /** Actions allowed with Resource "*" (defaults to WILDCARD_RESOURCE_ACTIONS). */
    readonly wildcardResourceActions?: string[];
}

/** Problems of one IAM policy document, as sentences. */
export function documentProblems(document: unknown, env: Env, wildcardActions: ReadonlySet<string>): string[] {
    const parsed = statementsOf(document);
    if (!("statements" in parsed)) {
        return [parsed.problem];
    }
    const problems: string[] = [];
    for (const { label: where, body: statement } of parsed.statements) {
        if (statement.Effect !== "Allow") {
            continue;
        }
        if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
            problems.push(`${where} allows with NotAction/NotResource, which grants everything not listed`);
        }
        if (principalsOf(statement.Principal).anyone) {
            problems.push(`${where} lets any principal ("*") assume or use it`);
        }
        const actions = list(statement.Action).map(String);
        for (const action of actions) {
            if (action === "*" || /^[a-z0-9-]+:\*$/.test(action)) {
                problems.push(`${where} allows the wildcard action "${action}"; list the actions needed`);
            }
        }
        for (const resource of list(statement.Resource).map(String)) {
            if (resource === "*") {
                const unscoped = actions.filter((a) => !wildcardActions.has(a));
                if (unscoped.length > 0) {
                    problems.push(
                        `${where} allows ${unscoped.join(", ")} on Resource "*"; name this ` +
                            `environment's resources (only ${[...wildcardActions].join(", ")} may use "*")`,
                    );
                }
                continue;
            }
            for (const { env: other, token } of environmentsNamed(resource)) {
                if (other !== env) {
                    problems.push(`${where} grants access to ${token}, a ${other} resource`);
                }
            }
            const arn = parseArn(resource);
            const star = arn ? arn.resource.indexOf("*") : -1;
            if (arn && star >= 0 && !environmentsNamed(arn.resource.slice(0, star)).some((e) => e.env === env)) {
                problems.push(`${where} uses the wildcard resource ${resource}, which is not scoped to ${env} resources`);
            }
        }
    }
    return problems;
}

/** Role policies grant named actions on this environment's resources, nothing more. */
export const vectoraIamLeastPrivilege: ResourceValidationPolicy = {
    name: "vectora-iam-least-privilege",
    description:
        "IAM role policies allow no wildcard action, no Resource '*' (except for the few actions AWS cannot scope, listed in the rule), " +
        "no NotAction/NotResource, no '*' principal, no broad AWS managed policy, and nothing on another environment's resources.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: fsbp("IAM.21", "IAM customer managed policies that you create should not allow wildcard actions for services"),
    tags: [
        "iam",
        "security",
        "external/aws-fsbp/IAM.1",
        "external/cdk-nag/AwsSolutions-IAM5",
        "external/cdk-nag/HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess",
        "external/cdk-nag/NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess",
        "external/cdk-nag/HIPAA.Security-IAMPolicyNoStatementsWithFullAccess",
        "external/cdk-nag/NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess",
        "external/cdk-nag/Serverless-LambdaStarPermissions",
    ],
    remediationSteps:
        'Replace each wildcard action and Resource "*" by the exact actions and ARNs the function uses (functions/iam.ts writes each ' +
        'function\'s document); keep Resource "*" only for the actions listed in wildcardResourceActions.',
    url: "RULES.md#vectora-iam-least-privilege",
    rationale: {
        why:
            "A function can only touch its own environment's buckets, log group, model and parameter; the exceptions " +
            "(xray:PutTraceSegments, xray:PutTelemetryRecords, cloudwatch:PutMetricData, and the ec2 network-interface actions of VPC " +
            "functions) have no resource-level permissions in AWS.",
        severityReason: "A wildcard lets a compromised function reach every resource of the account, other environments' included.",
    },
    configSchema: {
        properties: {
            wildcardResourceActions: { type: "array", items: { type: "string" }, description: "Actions that may use Resource '*'." },
        },
    },
    validateResource: (args, reportViolation) => {
        const env = envFor(args);
        const wildcard = new Set(args.getConfig<VectoraIamLeastPrivilegeConfig>().wildcardResourceActions ?? WILDCARD_RESOURCE_ACTIONS);
        const report = (what: string, document: unknown) => {
            for (const problem of documentProblems(document, env, wildcard)) {
                reportViolation(
                    `${args.type} "${args.name}": ${what} ${problem}; grant only what the function needs, on ${env} resources.`,
                );
            }
        };
        switch (args.type) {
            case TYPES.rolePolicy:
            case TYPES.policy:
                report("its policy", args.props.policy);
                return;
            case TYPES.role: {
                report("its trust policy", args.props.assumeRolePolicy);
                const inline: unknown = args.props.inlinePolicies;
                for (const p of list(inline)) {
                    if (isRecord(p)) {
                        report(`inline policy ${String(p.name ?? "")}`, p.policy);
                    }
                }
                for (const arn of list(args.props.managedPolicyArns).map(String)) {
                    if (BROAD_MANAGED_POLICY.test(arn)) {
                        reportViolation(
                            `${args.type} "${args.name}" attaches ${arn}, which grants far more ` +
                                `than a function needs; write an inline least-privilege policy instead.`,
                        );
                    }
                }
                return;
            }
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
                const arn: unknown = args.props.policyArn;
                if (typeof arn === "string" && BROAD_MANAGED_POLICY.test(arn)) {
                    reportViolation(
                        `${args.type} "${args.name}" attaches ${arn}, which grants far more ` +
                            `than a function needs; write an inline least-privilege policy instead.`,
                    );
                }
                return;
            }
            default:
                return args.notApplicable("not an IAM role or policy");
        }
    },
};
