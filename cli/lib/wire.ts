import * as fs from "fs";
import * as path from "path";
import { WIRE } from "./pulumiInternals";
import { sha256Hex } from "../../artifacts/hashing";

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

/** How an unknown value is shown in the preview, as `pulumi preview` shows `output<string>`. */
export const UNKNOWN_DISPLAY = "(unknown until deployed)";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

/**
 * Adds what the engine adds before a policy sees an asset: its sha256 (`hash`). Paths are relative to
 * the program's working directory, as the CLI resolves them.
 */
export function toEngineWire(value: unknown, cwd: string): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => toEngineWire(v, cwd));
    }
    if (!isObject(value)) {
        return value;
    }
    const sig = value[SIG];
    if ((sig === ASSET_SIG || sig === ARCHIVE_SIG) && typeof value.path === "string") {
        const hash = fileSha256(path.resolve(cwd, value.path));
        return hash ? { ...value, hash } : value;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toEngineWire(v, cwd)]));
}

/**
 * The wire form made readable for the preview: unknowns spelled out, assets as their path (relative to
 * the project) and sha256, secrets masked, resource references as their URN.
 */
export function toDisplay(value: unknown, cwd: string, root: string): Json {
    if (value === UNKNOWN) {
        return UNKNOWN_DISPLAY;
    }
    if (Array.isArray(value)) {
        return value.map((v) => toDisplay(v, cwd, root));
    }
    if (!isObject(value)) {
        return (value ?? null) as Json;
    }
    const sig = value[SIG];
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
        const kind = sig === ASSET_SIG ? "asset" : "archive";
        if (typeof value.path === "string") {
            const abs = path.resolve(cwd, value.path);
            const rel = path.relative(root, abs).split(path.sep).join("/");
            return { [kind]: rel.startsWith("..") ? abs : rel, sha256: (value.hash as string | undefined) ?? fileSha256(abs) ?? null };
        }
        return {
            [kind]: typeof value.text === "string" ? "(text)" : "(other)",
            sha256: typeof value.text === "string" ? sha256Hex(value.text) : null,
        };
    }
    if (sig === SECRET_SIG) {
        return "[secret]";
    }
    if (sig === RESOURCE_SIG) {
        return (value.urn as string | undefined) ?? null;
    }
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
        out[key] = toDisplay(value[key], cwd, root);
    }
    return out;
}

/**
 * Plain values from the wire form, as `pulumi stack output --json --show-secrets` prints them: secrets
 * revealed, assets as their path, and values still unknown left out.
 */
export function toPlain(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.filter((v) => v !== UNKNOWN).map(toPlain);
    }
    if (!isObject(value)) {
        return value;
    }
    const sig = value[SIG];
    if (sig === SECRET_SIG) {
        return toPlain(value.value);
    }
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
        return value.path ?? value.text ?? value.uri ?? null;
    }
    if (sig === RESOURCE_SIG) {
        return value.urn ?? null;
    }
    return Object.fromEntries(
        Object.entries(value)
            .filter(([, v]) => v !== UNKNOWN)
            .map(([k, v]) => [k, toPlain(v)]),
    );
}
