
/**
 * Access to resource properties that can tell an unknown value (during preview) from a known one.
 *
 * @pulumi/policy hands properties over behind a proxy that throws when an unknown value is read; the
 * server then downgrades the policy to an advisory "can't run during preview". That is right for most
 * policies, but a gate that must fail closed, or a check that can skip the parts computed by this very
 * deployment, needs to see the unknowns itself.
 */

interface PolicyProxyInternals {
    readonly getSpecialProxyTarget: string;
    readonly unknownStringValue: string;
    readonly unknownNumberValue: string;
    readonly unknownBooleanValue: string;
    readonly unknownArrayValue: string;
    readonly unknownObjectValue: string;
    readonly unknownAssetValue: string;
    readonly unknownArchiveValue: string;
}

// Internal to @pulumi/policy (its typings leave it out); pinned with the package version and covered by
// the protocol tests that send unknown values.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as PolicyProxyInternals;

const SENTINELS = new Set<unknown>([
    proxy.unknownStringValue,
    proxy.unknownNumberValue,
    proxy.unknownBooleanValue,
    proxy.unknownArrayValue,
    proxy.unknownObjectValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
]);

/** True for a value that is not known yet (a preview of something this deployment computes). */
export function isUnknown(value: unknown): boolean {
    return SENTINELS.has(value);
}

/** The plain properties behind the unknown-checking proxy (unknowns left as their sentinels). */
export function raw(props: unknown): Record<string, unknown> {
    if (props !== null && typeof props === "object") {
        const target = (props as Record<string, unknown>)[proxy.getSpecialProxyTarget];
        return (target ?? props) as Record<string, unknown>;
    }
    return {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
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
