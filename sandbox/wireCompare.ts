import { ARCHIVE_SIG, ASSET_SIG, SECRET_SIG, SIG, UNKNOWN } from "../cli/lib/wire";

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value with secrets unwrapped and assets reduced to what identifies their content. */
function comparable(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(comparable);
    }
    if (!isObject(value)) {
        return value;
    }
    const sig = value[SIG];
    if (sig === SECRET_SIG) {
        return comparable(value.value);
    }
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
        // The engine hashes every asset's content: two paths to the same bytes are the same asset.
        return { [SIG]: sig, hash: value.hash ?? value.path ?? value.text ?? value.uri };
    }
    return Object.fromEntries(
        Object.keys(value)
            .sort()
            .map((k) => [k, comparable(value[k])]),
    );
}

function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    return isObject(value) && Object.values(value).some(containsUnknown);
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
