import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { Env, isEnv } from "../contract/naming";

/** The stack the pack analyses (the CLI passes it in PULUMI_NODEJS_STACK). */
export function currentStack(): string {
    return pulumi.getStack();
}

/** The environment of the stack, or undefined when the stack is not dev, stage or prod. */
export function currentEnv(): Env | undefined {
    const stack = currentStack();
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
    return currentEnv() ?? args.notApplicable("the stack is not dev, stage or prod (see vectora-naming-env-suffix)");
}

/** The environment of the stack for a stack policy; otherwise the policy reports itself not applicable. */
export function stackEnvFor(args: StackValidationArgs): Env {
    return currentEnv() ?? args.notApplicable("the stack is not dev, stage or prod (see vectora-naming-env-suffix)");
}
