/**
 * Lambda's `sourceCodeHash` is the base64 of the raw sha256 digest; builds and messages use hex. The program
 * writes it from the build's hex sha256, the pack reads it back.
 */

/** `sourceCodeHash` of a hex sha256. */
export function sourceCodeHash(hex: string): string {
    return Buffer.from(hex, "hex").toString("base64");
}

/** The hex sha256 a `sourceCodeHash` holds, or undefined when it does not hold one. */
export function sha256OfSourceCodeHash(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") {
        return undefined;
    }
    const bytes = Buffer.from(value, "base64");
    return bytes.length === 32 ? bytes.toString("hex") : undefined;
}
