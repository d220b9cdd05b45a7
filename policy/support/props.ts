import { UNKNOWN_SENTINELS, proxyTarget } from "./policyInternals";
import { isRecord } from "../contract/records";

/**
 * Access to resource properties that can tell an unknown value (during preview) from a known one.
 *
 * @pulumi/policy hands properties over behind a proxy that throws when an unknown value is read; the
 * server then downgrades the policy to an advisory "can't run during preview". That is right for most
 * policies, but a gate that must fail closed, or a check that can skip the parts computed by this very
 * deployment, needs to see the unknowns itself.
 */

/** True for a value that is not known yet (a preview of something this deployment computes). */
export function isUnknown(value: unknown): boolean {
    return UNKNOWN_SENTINELS.has(value);
}

/** A known value at a path of nested records, or undefined (the path breaks, or the value is unknown during preview). */
export function nested(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        current = isRecord(current) ? current[key] : undefined;
    }
    return isUnknown(current) ? undefined : current;
}

/** The plain properties behind the unknown-checking proxy (unknowns left as their sentinels). */
export function raw(props: unknown): Record<string, unknown> {
    if (props !== null && typeof props === "object") {
        return proxyTarget(props) as Record<string, unknown>;
    }
    return {};
}

/** Every known string inside a value, with the property path it was found at. */
export function* strings(value: unknown, path = ""): Generator<{ path: string; value: string }> {
    if (typeof value === "string") {
        if (!isUnknown(value)) {
            yield { path, value };
        }
    } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            yield* strings(value[i], `${path}[${i}]`);
        }
    } else if (isRecord(value)) {
        for (const [key, inner] of Object.entries(value)) {
            yield* strings(inner, path === "" ? key : `${path}.${key}`);
        }
    }
}
