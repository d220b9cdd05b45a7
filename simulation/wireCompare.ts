import { ARCHIVE_SIG, ASSET_SIG, SIG, mapWire } from "../pulumi/wire";

/** A value with secrets unwrapped, assets reduced to what identifies their content, and keys in order. */
function comparable(value: unknown): unknown {
    return mapWire(value, {
        secret: (secret, walk) => walk(secret.value),
        // The engine hashes every asset's content: two paths to the same bytes are the same asset.
        asset: (asset, kind) => ({
            [SIG]: kind === "asset" ? ASSET_SIG : ARCHIVE_SIG,
            hash: asset.hash ?? asset.path ?? asset.text ?? asset.uri,
        }),
        sortKeys: true,
    });
}

function containsUnknown(value: unknown): boolean {
    let found = false;
    mapWire(value, { unknown: () => (found = true) });
    return found;
}

/**
 * Whether a property's new value (wire form) differs from what the account holds. A value still unknown
 * in a preview counts as a change, as a provider cannot promise it will not be one.
 */
export function propertyChanged(old: unknown, next: unknown): boolean {
    if (containsUnknown(next)) {
        return true;
    }
    return JSON.stringify(comparable(old ?? null)) !== JSON.stringify(comparable(next ?? null));
}
