import type { PolicyResource } from "@pulumi/policy";
import { isRecord } from "../contract/records";
import { TYPES } from "../contract/resourceTypes";
import { Statement, coversAction, list, statementsOf, stringList } from "./iamDocument";
import { isUnknown } from "./props";
import { knownString, ofTypes, refersToRole, valueOf } from "./references";

/** What a function may do: read from the resources of its stack (its role and the role's policies). */

/** The role a function runs with, when the stack declares it. */
export function roleOf(fn: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    return ofTypes(resources, TYPES.role).find((role) => refersToRole(fn, "role", role));
}

/** The permission statements a role gets from the stack: its role policies and its inline policies. */
export function roleStatements(role: PolicyResource, resources: readonly PolicyResource[]): Statement[] {
    const documents: unknown[] = ofTypes(resources, TYPES.rolePolicy)
        .filter((p) => refersToRole(p, "role", role))
        .map((p) => valueOf(p, "policy"));
    for (const inline of list(valueOf(role, "inlinePolicies"))) {
        if (isRecord(inline)) {
            documents.push(inline.policy);
        }
    }
    return documents
        .filter((d) => !isUnknown(d))
        .flatMap((d) => {
            const parsed = statementsOf(d);
            return "statements" in parsed ? parsed.statements : [];
        });
}

/** The managed policy ARNs attached to a role, by attachment resources or by the role's own argument. */
export function attachedPolicyArns(role: PolicyResource, resources: readonly PolicyResource[]): string[] {
    const arns = new Set(stringList(valueOf(role, "managedPolicyArns")).filter((a) => !isUnknown(a)));
    for (const attachment of ofTypes(resources, TYPES.rolePolicyAttachment)) {
        const arn = knownString(attachment, "policyArn");
        if (arn && refersToRole(attachment, "role", role)) {
            arns.add(arn);
        }
    }
    for (const attachment of ofTypes(resources, TYPES.policyAttachment)) {
        const arn = knownString(attachment, "policyArn");
        if (arn && refersToRole(attachment, "roles", role)) {
            arns.add(arn);
        }
    }
    return [...arns].sort();
}

/** The Bedrock actions that run a model (Converse and the streaming calls need the same two). */
export const BEDROCK_INVOKE_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"] as const;

/** The statements of a role that let it run a Bedrock model. */
export function bedrockStatements(role: PolicyResource, resources: readonly PolicyResource[]): Statement[] {
    return roleStatements(role, resources).filter(
        ({ body }) => body.Effect === "Allow" && BEDROCK_INVOKE_ACTIONS.some((action) => coversAction(body, action)),
    );
}

/** True when a function's role lets it call Bedrock (by a statement, or an attached AWS Bedrock policy). */
export function callsBedrock(fn: PolicyResource, resources: readonly PolicyResource[]): boolean {
    const role = roleOf(fn, resources);
    return (
        role !== undefined &&
        (bedrockStatements(role, resources).length > 0 || attachedPolicyArns(role, resources).some((arn) => /Bedrock/i.test(arn)))
    );
}

/** The functions of a stack. */
export function functionsOf(resources: readonly PolicyResource[]): PolicyResource[] {
    return ofTypes(resources, TYPES.function);
}

/** A function's label for messages: its physical name when known. */
export function functionLabel(fn: PolicyResource): string {
    return `function ${JSON.stringify(knownString(fn, "name") ?? fn.name)}`;
}
