import * as fs from "fs";
import * as path from "path";
import { WIRE } from "./pulumiInternals";
import { sha256Hex } from "../lib/hashing";
import { isRecord } from "../policy/contract/records";

/**
 * Pulumi's wire form of property values (what the SDK sends the engine and the engine sends a policy
 * pack): plain JSON plus signature objects for assets, archives, secrets and resource references, and
 * a sentinel string for values unknown during a preview.
 */
export const UNKNOWN = WIRE.unknown;
export const SIG = WIRE.sigKey;
export const ASSET_SIG = WIRE.asset;
export const ARCHIVE_SIG = WIRE.archive;
export const SECRET_SIG = WIRE.secret;
export const RESOURCE_SIG = WIRE.resource;

export { DEFAULTS_KEY } from "../policy/contract/providerDefaults";

/** How an unknown value is shown in the preview, as `pulumi preview` shows `output<string>`. */
export const UNKNOWN_DISPLAY = "(unknown until deployed)";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const hashes = new Map<string, string>();

/**
 * The sha256 of a file, read once per version of it (keyed by path, size and mtime): the simulated
 * cloud, the policy wire form and the display all need the hash of every uploaded file.
 */
export function fileSha256(file: string): string | undefined {
    let key: string;
    try {
        const stat = fs.statSync(file);
        key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
    } catch {
        return undefined;
    }
    let hash = hashes.get(key);
    if (hash === undefined) {
        hash = sha256Hex(fs.readFileSync(file));
        hashes.set(key, hash);
    }
    return hash;
}

/** What a walker does with each special value of the wire form; anything it leaves out is kept as it is. */
export interface WireVisitor {
    /** The sentinel of a value unknown during a preview. */
    readonly unknown?: () => unknown;
    /** An asset or an archive (signature object: `path`, `text` or `uri`, and `hash` once the engine saw it). */
    readonly asset?: (asset: Record<string, unknown>, kind: "asset" | "archive") => unknown;
    readonly secret?: (secret: Record<string, unknown>, walk: (value: unknown) => unknown) => unknown;
    readonly resource?: (reference: Record<string, unknown>) => unknown;
    /** Leave unknowns out of arrays and objects (what `pulumi stack output` shows). */
    readonly dropUnknowns?: boolean;
    /** Object keys in sorted order (stable text). */
    readonly sortKeys?: boolean;
}

/** Walks a wire-form value, arrays and plain objects included, replacing special values as the visitor says. */
export function mapWire(value: unknown, visitor: WireVisitor): unknown {
    const walk = (v: unknown): unknown => mapWire(v, visitor);
    if (value === UNKNOWN) {
        return visitor.unknown ? visitor.unknown() : value;
    }
    if (Array.isArray(value)) {
        return (visitor.dropUnknowns ? value.filter((v) => v !== UNKNOWN) : value).map(walk);
    }
    if (!isRecord(value)) {
        return value;
    }
    const sig = value[SIG];
    if ((sig === ASSET_SIG || sig === ARCHIVE_SIG) && visitor.asset) {
        return visitor.asset(value, sig === ASSET_SIG ? "asset" : "archive");
    }
    if (sig === SECRET_SIG && visitor.secret) {
        return visitor.secret(value, walk);
    }
    if (sig === RESOURCE_SIG && visitor.resource) {
        return visitor.resource(value);
    }
    const keys = Object.keys(value).filter((k) => !(visitor.dropUnknowns && value[k] === UNKNOWN));
    return Object.fromEntries((visitor.sortKeys ? keys.sort() : keys).map((k) => [k, walk(value[k])]));
}

/**
 * Adds what the engine adds before a policy sees an asset: its sha256 (`hash`). Paths are relative to
 * the program's working directory, as the CLI resolves them.
 */
export function toEngineWire(value: unknown, cwd: string): unknown {
    return mapWire(value, {
        asset: (asset) => {
            const hash = typeof asset.path === "string" ? fileSha256(path.resolve(cwd, asset.path)) : undefined;
            return hash ? { ...asset, hash } : asset;
        },
    });
}

/**
 * The wire form made readable for the preview: unknowns spelled out, assets as their path (relative to
 * the project) and sha256, secrets masked, resource references as their URN.
 */
export function toDisplay(value: unknown, cwd: string, root: string): Json {
    return mapWire(value, {
        unknown: () => UNKNOWN_DISPLAY,
        asset: (asset, kind) => {
            if (typeof asset.path === "string") {
                const abs = path.resolve(cwd, asset.path);
                const rel = path.relative(root, abs).split(path.sep).join("/");
                return { [kind]: rel.startsWith("..") ? abs : rel, sha256: (asset.hash as string | undefined) ?? fileSha256(abs) ?? null };
            }
            return {
                [kind]: typeof asset.text === "string" ? "(text)" : "(other)",
                sha256: typeof asset.text === "string" ? sha256Hex(asset.text) : null,
            };
        },
        secret: () => "[secret]",
        resource: (reference) => reference.urn ?? null,
        sortKeys: true,
    }) as Json;
}

/**
 * Plain values from the wire form, as `pulumi stack output --json --show-secrets` prints them: secrets
 * revealed, assets as their path, and values still unknown left out.
 */
export function toPlain(value: unknown): unknown {
    return mapWire(value, {
        secret: (secret, walk) => walk(secret.value),
        asset: (asset) => asset.path ?? asset.text ?? asset.uri ?? null,
        resource: (reference) => reference.urn ?? null,
        dropUnknowns: true,
    });
}
