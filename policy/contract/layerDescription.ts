import { VERSION_PATTERN } from "./versions";

/** Hex digits of a sha256 shown where a whole one does not fit: a layer description, a message, a table. */
export const SHORT_SHA_LENGTH = 16;

/** The first 16 hex digits of a sha256: enough to tell builds apart in a description or a log line. */
export function shortSha(sha256: string): string {
    return sha256.slice(0, SHORT_SHA_LENGTH);
}

/** `<component> <version> sha256:<16 hex>`: what a published layer version says about itself. */
export function layerDescription(component: string, version: string, sha256: string): string {
    return `${component} ${version} sha256:${shortSha(sha256)}`;
}

export interface ParsedLayerDescription {
    readonly component: string;
    readonly version: string;
    readonly sha16: string;
}

const DESCRIPTION = new RegExp(`^([a-z0-9]+(?:-[a-z0-9]+)*) (${VERSION_PATTERN}) sha256:([0-9a-f]{16})$`);

/** The parts of a layer description, or undefined when it does not have the required form. */
export function parseLayerDescription(description: string): ParsedLayerDescription | undefined {
    const match = DESCRIPTION.exec(description);
    return match ? { component: match[1], version: match[2], sha16: match[3] } : undefined;
}
