/**
 * The pack's only use of @pulumi/policy's internals, in one module: an upgrade of @pulumi/policy that moves
 * them breaks here, and only here. Pinned with @pulumi/policy 1.21.0; the protocol tests that send unknown
 * values cover it. (The repository's tools keep theirs in pulumi/pulumiInternals.ts; the pack stands alone.)
 *
 * @pulumi/policy hands properties to a policy behind a proxy that throws when an unknown value is read, and
 * stands an unknown value in for each kind of property with a sentinel.
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

// Left out of @pulumi/policy's typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as PolicyProxyInternals;

/** The sentinels of unknown values, whatever the kind of property. */
export const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set<unknown>([
    proxy.unknownStringValue,
    proxy.unknownNumberValue,
    proxy.unknownBooleanValue,
    proxy.unknownArrayValue,
    proxy.unknownObjectValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
]);

/** The object behind the unknown-checking proxy, or the value itself when it is not one. */
export function proxyTarget(props: object): unknown {
    return (props as Record<string, unknown>)[proxy.getSpecialProxyTarget] ?? props;
}
