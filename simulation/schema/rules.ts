import type { StringRule } from "./model";

/**
 * The upstream validators the simulated schemas use, each answering with the message the real one gives:
 * terraform-plugin-sdk v2 helper/validation (IntBetween, IntInSlice, StringInSlice, StringLenBetween,
 * StringMatch) and terraform-provider-aws internal/verify (ValidARN, ValidIAMPolicyJSON), as pulumi-aws passes
 * them on in a Check failure.
 */

/** Go's `%q` of a string list, as StringInSlice prints the allowed values. */
function goQuotedList(values: readonly string[]): string {
    return `[${values.map((v) => JSON.stringify(v)).join(" ")}]`;
}

/** validation.StringInSlice. */
export function oneOfMessage(tfName: string, allowed: readonly string[], got: string): string {
    return `expected ${tfName} to be one of ${goQuotedList(allowed)}, got ${got}`;
}

/** validation.IntBetween (and IntAtLeast / IntAtMost, whose open end is infinite here). */
export function rangeMessage(tfName: string, [min, max]: readonly [number, number], got: number): string {
    if (max === Infinity) {
        return `expected ${tfName} to be at least (${min}), got ${got}`;
    }
    if (min === -Infinity) {
        return `expected ${tfName} to be at most (${max}), got ${got}`;
    }
    return `expected ${tfName} to be in the range (${min} - ${max}), got ${got}`;
}

/** validation.IntInSlice: the allowed values as Go prints an int slice. */
export function intOneOf(tfName: string, allowed: readonly number[], got: number): string | undefined {
    return allowed.includes(got) ? undefined : `expected ${tfName} to be one of [${allowed.join(" ")}], got ${got}`;
}

/** validation.StringLenBetween. */
export function lengthBetween(min: number, max: number): StringRule {
    return (value, tfName) =>
        value.length >= min && value.length <= max
            ? undefined
            : `expected length of ${tfName} to be in the range (${min} - ${max}), got ${value}`;
}

/** validation.StringMatch with its message. */
export function matches(pattern: RegExp, message: string): StringRule {
    return (value, tfName) => (pattern.test(value) ? undefined : `invalid value for ${tfName} (${message})`);
}

/** verify.ValidARN: the value must parse as an ARN (arn:partition:service:region:account:resource). */
export const validArn: StringRule = (value, tfName) => {
    if (value === "") {
        return undefined;
    }
    if (!value.startsWith("arn:")) {
        return `"${tfName}" (${value}) is an invalid ARN: arn: invalid prefix`;
    }
    return value.split(":").length < 6 ? `"${tfName}" (${value}) is an invalid ARN: arn: not enough sections` : undefined;
};

/** verify.ValidIAMPolicyJSON: a JSON object. */
export const validPolicyJson: StringRule = (value, tfName) => {
    if (value === "") {
        return `"${tfName}" is an empty string, which is not a valid JSON value`;
    }
    if (!value.trimStart().startsWith("{")) {
        return `"${tfName}" contains an invalid JSON policy: not a JSON object`;
    }
    try {
        JSON.parse(value);
        return undefined;
    } catch (e) {
        return `"${tfName}" contains an invalid JSON: ${(e as Error).message}`;
    }
};

/** validation.StringIsJSON. */
export const validJson: StringRule = (value, tfName) => {
    try {
        JSON.parse(value);
        return undefined;
    } catch (e) {
        return `"${tfName}" contains an invalid JSON: ${(e as Error).message}`;
    }
};
