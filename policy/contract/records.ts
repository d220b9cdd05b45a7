/** A plain object (not null, not an array): how every JSON or wire value is told apart from the others. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
