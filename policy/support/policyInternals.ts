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

/**
 * The hash the engine computed for an asset or archive. The engine hashes every asset of a registration
 * (pulumi/pulumi pkg/resource/deploy/source_eval.go unmarshals with `ComputeAssetHashes: true`) and sends it to
 * the pack with the asset (sdk/go/common/resource/plugin/analyzer_plugin.go marshals the checked inputs as
 * they are), but @pulumi/policy 1.21's deserialize.js rebuilds a FileAsset from its path alone and drops the
 * hash. The gate needs it: it is the engine's own sha256 of the bytes it is about to upload. So the deserializer
 * is wrapped here to remember, for each asset object it builds, the hash that came with it on the wire.
 */
const assetHashes = new WeakMap<object, string>();

interface DeserializeInternals {
    deserializeProperties: (struct: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown;
}

/** The @pulumi/pulumi wire signatures of assets, archives and secrets (sdk/nodejs/runtime/rpc.ts). */
const SIG = "4dabf18193072939515e22adb298388d";
const ASSET_SIGS = new Set(["c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"]);
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Walks the wire value and what it was deserialized into side by side, noting each asset's hash. */
function noteHashes(wire: unknown, value: unknown): void {
    if (wire === null || typeof wire !== "object" || value === null || typeof value !== "object") {
        return;
    }
    const record = wire as Record<string, unknown>;
    if (record[SIG] === SECRET_SIG) {
        const inner = (value as { value?: unknown }).value ?? value;
        noteHashes(record.value, inner);
        return;
    }
    if (ASSET_SIGS.has(record[SIG] as string)) {
        if (typeof record.hash === "string" && record.hash !== "") {
            assetHashes.set(value, record.hash);
        }
        return;
    }
    for (const key of Object.keys(record)) {
        noteHashes(record[key], (value as Record<string, unknown>)[key]);
    }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const deserialize = require("@pulumi/policy/deserialize") as DeserializeInternals;
const deserializeProperties = deserialize.deserializeProperties;
deserialize.deserializeProperties = (struct, proxySecrets) => {
    const result = deserializeProperties(struct, proxySecrets);
    const target = result !== null && typeof result === "object" ? proxyTarget(result) : result;
    noteHashes(struct.toJavaScript(), target);
    return result;
};

/** The engine's hash (sha256, hex) of an asset or archive property, when it came with one. */
export function assetHash(value: unknown): string | undefined {
    if (value === null || typeof value !== "object") {
        return undefined;
    }
    return assetHashes.get(proxyTarget(value) as object);
}
