import * as pulumi from "@pulumi/pulumi";
import { Env, isEnv } from "../../lib/naming";

/** The stack the pack analyses (the CLI passes it in PULUMI_NODEJS_STACK). */
export function currentStack(): string {
    return pulumi.getStack();
}

/** The environment of the stack, or undefined when the stack is not dev, stage or prod. */
export function currentEnv(): Env | undefined {
    const stack = currentStack();
    return isEnv(stack) ? stack : undefined;
}
