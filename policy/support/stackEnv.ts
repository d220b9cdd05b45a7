import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { Env, isEnv } from "../contract/naming";

/**
 * The stack the pack analyses. A preview or an update passes it (PULUMI_NODEJS_STACK); `pulumi policy analyze`
 * passes none (pulumi/pulumi v3.276.0 pkg/cmd/pulumi/policy/policy_analyze.go loads the pack with nil
 * PolicyAnalyzerOptions, and @pulumi/pulumi then says "stack"): the URN of what is analysed names its stack.
 *
 * @param urn a URN of the stack being analysed (the resource's, or any of the stack's)
 */
export function currentStack(urn?: string): string {
    if (process.env.PULUMI_NODEJS_STACK || urn === undefined) {
        return pulumi.getStack();
    }
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? pulumi.getStack();
}

/**
 * The environment of the stack, or undefined when the stack is not dev, stage or prod.
 *
 * @param urn a URN of the stack being analysed, for when the CLI does not name the stack
 */
export function currentEnv(urn?: string): Env | undefined {
    const stack = currentStack(urn);
    return isEnv(stack) ? stack : undefined;
}

/**
 * The environment of the stack for a resource policy that needs one, and optionally only for one type;
 * otherwise the policy reports itself not applicable (a stack outside dev/stage/prod is the naming policy's
 * violation, not every policy's).
 */
export function envFor(args: ResourceValidationArgs, type?: string): Env {
    if (type !== undefined && args.type !== type) {
        return args.notApplicable(`only ${type}`);
    }
    return currentEnv(args.urn) ?? args.notApplicable("the stack is not dev, stage or prod (see vectora-naming-env-suffix)");
}

/** The environment of the stack for a stack policy; otherwise the policy reports itself not applicable. */
export function stackEnvFor(args: StackValidationArgs): Env {
    return currentEnv(args.resources[0]?.urn) ?? args.notApplicable("the stack is not dev, stage or prod (see vectora-naming-env-suffix)");
}
