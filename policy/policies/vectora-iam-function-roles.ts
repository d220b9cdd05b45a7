import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { principalsOf, statementsOf } from "../support/iamDocument";
import { attachedPolicyArns, functionLabel, functionsOf, roleOf } from "../support/functionRoles";
import { isUnknown } from "../support/props";
import { knownString, valueOf } from "../support/references";

/** The service that runs functions: the only principal a function role may trust. */
export const LAMBDA_SERVICE = "lambda.amazonaws.com";

/** AWS managed policies: written for everyone, so broader than any one function needs. */
export function isAwsManagedPolicy(arn: string): boolean {
    return /^arn:[a-z-]+:iam::aws:policy\//.test(arn);
}

/** Why a trust policy lets something other than Lambda assume the role, as sentences. */
export function trustProblems(document: unknown): string[] {
    const parsed = statementsOf(document);
    if (!("statements" in parsed)) {
        return [`its trust policy ${parsed.problem}`];
    }
    const problems: string[] = [];
    for (const { label, body } of parsed.statements) {
        if (body.Effect !== "Allow") {
            continue;
        }
        const who = principalsOf(body.Principal);
        const others = [...(who.anyone ? ["*"] : []), ...who.aws, ...who.federated, ...who.services.filter((s) => s !== LAMBDA_SERVICE)];
        if (others.length > 0 || body.NotPrincipal !== undefined) {
            problems.push(`its trust policy's ${label} lets ${others.join(", ") || "NotPrincipal"} assume it`);
        }
    }
    return problems;
}

function roleLabel(role: PolicyResource): string {
    return `role ${JSON.stringify(knownString(role, "name") ?? role.name)}`;
}

/** Each function has its own role, which only Lambda may assume and which takes no AWS managed policy. */
export const vectoraIamFunctionRoles: StackValidationPolicy = {
    name: "vectora-iam-function-roles",
    description:
        "Every Lambda function runs with its own IAM role declared in the stack (one role per function), whose trust policy lets " +
        "only lambda.amazonaws.com assume it and which has no AWS managed policy (arn:aws:iam::aws:policy/...), attached or listed.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["iam", "security", "external/cdk-nag/AwsSolutions-IAM4"],
    remediationSteps:
        "Give each function its own aws.iam.Role that only lambda.amazonaws.com may assume, with an inline aws.iam.RolePolicy written " +
        "for that function (the VectoraFunction component does), and detach every AWS managed policy (arn:aws:iam::aws:policy/...).",
    url: "RULES.md#vectora-iam-function-roles",
    rationale: {
        why:
            "An AWS managed policy grants far more than a function needs and changes without review (AmazonS3ReadOnlyAccess reads every " +
            "bucket of the account); a role shared or assumable by another service widens every grant.",
        severityReason: "A managed or shared role grants far more than one function needs and changes without review.",
    },
    validateStack: (args, reportViolation) => {
        const functions = functionsOf(args.resources);
        if (functions.length === 0) {
            return args.notApplicable("no Lambda function in the stack");
        }
        const users = new Map<string, PolicyResource[]>();
        for (const fn of functions) {
            const role = roleOf(fn, args.resources);
            if (!role) {
                reportViolation(
                    `${functionLabel(fn)} runs with a role this stack does not declare ` +
                        `(${String(knownString(fn, "role") ?? "unknown")}); ` +
                        `give it its own aws.iam.Role in the stack (the VectoraFunction component does).`,
                    fn.urn,
                );
                continue;
            }
            users.set(role.urn, [...(users.get(role.urn) ?? []), fn]);
        }
        for (const [urn, fns] of users) {
            const role = args.resources.find((r) => r.urn === urn) as PolicyResource;
            if (fns.length > 1) {
                reportViolation(
                    `${roleLabel(role)} is shared by ${fns.map(functionLabel).join(" and ")}; give each function its own ` +
                        `role, so that each gets only what it needs and a compromise of one does not reach the others.`,
                    role.urn,
                );
            }
            const trust = valueOf(role, "assumeRolePolicy");
            if (!isUnknown(trust)) {
                for (const problem of trustProblems(trust)) {
                    reportViolation(`${roleLabel(role)} (a function role): ${problem}; only ${LAMBDA_SERVICE} may.`, role.urn);
                }
            }
            for (const arn of attachedPolicyArns(role, args.resources).filter(isAwsManagedPolicy)) {
                reportViolation(
                    `${roleLabel(role)} (a function role) has the AWS managed policy ${arn}; write what the function needs ` +
                        `in its own inline policy instead (AWS managed policies grant every account's common case).`,
                    role.urn,
                );
            }
        }
    },
};
