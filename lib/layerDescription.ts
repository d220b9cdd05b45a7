import { shortSha } from "./hashing";

/** `<component> <version> sha256:<16 hex>`: what a published layer version says about itself. */
export function layerDescription(component: string, version: string, sha256: string): string {
    return `${component} ${version} sha256:${shortSha(sha256)}`;
}

export interface ParsedLayerDescription {
    readonly component: string;
    readonly version: string;
    readonly sha16: string;
}

/** The parts of a layer description, or undefined when it does not have the required form. */
export function parseLayerDescription(description: string): ParsedLayerDescription | undefined {
    const match = /^([a-z0-9]+(?:-[a-z0-9]+)*) (\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?) sha256:([0-9a-f]{16})$/.exec(description);
    return match ? { component: match[1], version: match[2], sha16: match[3] } : undefined;
}
