import { isRecord } from "../policy/contract/records";

/** A JSON document with keys sorted and no spaces (terraform-plugin-sdk structure.NormalizeJsonString); as given if not JSON. */
export function normalizedDocument(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.stringify(sortKeys(JSON.parse(value)));
    } catch {
        return value;
    }
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (!isRecord(value)) {
        return value;
    }
    return Object.fromEntries(
        Object.keys(value)
            .sort()
            .map((k) => [k, sortKeys(value[k])]),
    );
}
