import { SHORT_SHA_LENGTH, parseLayerDescription } from "../policy/contract/layerDescription";
import {
    ARTIFACT_NAMES,
    ArtifactName,
    ENVIRONMENTS,
    Env,
    LAYER_COMPONENTS,
    LEGACY_LAYER_NAMES,
    PROJECT,
    artifactKey,
    environmentNames,
    isEnv,
    parseArtifactKey,
} from "../policy/contract/naming";

/** How many versions of each of our layers stay, used or not: the rollback window the team asked for. */
export const KEPT_LAYER_VERSIONS = 3;

/** What the account holds, as listed (every page, every region the stacks use) from Lambda and S3. */
export interface AccountListing {
    /** Every layer whose name starts with the project's, in every region listed. */
    readonly layers: readonly LayerListing[];
    /** Every version of every function ($LATEST and each published version), of every team, in every region listed. */
    readonly functions: readonly FunctionVersionListing[];
    /** The environment's code bucket, or undefined when it does not exist. */
    readonly bucket?: { readonly name: string; readonly objects: readonly ObjectVersionListing[] };
}

export interface LayerListing {
    readonly name: string;
    readonly region: string;
    readonly versions: readonly LayerVersionListing[];
}

export interface LayerVersionListing {
    readonly arn: string;
    readonly version: number;
    readonly description: string;
    readonly created: string;
    /** What Lambda recorded of the bytes it holds (GetLayerVersion's Content), once asked: base64 sha256 and size. */
    readonly content?: Content;
}

/** Lambda's record of a deployment package: `CodeSha256` (base64 of the raw sha256) and `CodeSize` in bytes. */
export interface Content {
    readonly sha256: string;
    readonly size: number;
}

export interface FunctionVersionListing {
    readonly name: string;
    /** The function's tags ($LATEST of our functions only: versions carry none): its ArtifactSha256, Component, Version. */
    readonly tags?: Readonly<Record<string, string>>;
    readonly region: string;
    /** `$LATEST`, or the number of a published version. */
    readonly version: string;
    /** The aliases that point at this version (`live`...). */
    readonly aliases: readonly string[];
    /** Layer version ARNs this version runs with. */
    readonly layers: readonly string[];
    readonly content: Content;
}

export interface ObjectVersionListing {
    readonly key: string;
    readonly versionId: string;
    readonly latest: boolean;
    readonly size: number;
    readonly lastModified: string;
    /** The base64 sha256 of the bytes, once read (only versions whose size matches something kept are read). */
    readonly sha256?: string;
}

/** The class of an item, as the clean-up plan reads it. */
export type ItemClass = "in use" | "current" | "rollback" | "stale" | "legacy" | "other environment" | "unknown, not ours";

export interface InventoryItem {
    readonly kind: "layer version" | "object version";
    /** Layer version ARN, or `s3://bucket/key#versionId`. */
    readonly id: string;
    readonly name: string;
    readonly class: ItemClass;
    /** The environment the item belongs to: its layer's (ours or a listed legacy name), or the bucket's; undefined for none. */
    readonly env: Env | undefined;
    /** Function versions (any team, any environment) that run it, or run its bytes. */
    readonly usedBy: readonly string[];
    readonly why: string;
    /** Set with --state: whether the stack's state holds this item. */
    readonly managed?: boolean;
    /** For deletion: the layer name, region and version, or the bucket, key and version id. */
    readonly layer?: { readonly name: string; readonly region: string; readonly version: number };
    readonly object?: { readonly bucket: string; readonly key: string; readonly versionId: string };
}

/** What a stack's state says it manages: layer version ARNs and code-bucket keys. */
export interface ManagedSet {
    readonly layerVersionArns: ReadonlySet<string>;
    readonly objectKeys: ReadonlySet<string>;
}

/** What the snapshots of the last deploys referenced: never deleted (the rollback buffer). */
export interface RollbackSet {
    /** The snapshot files read, for the reasons given. */
    readonly snapshots: readonly string[];
    /** Layer version ARN -> the snapshot that references it. */
    readonly layerVersionArns: ReadonlyMap<string, string>;
    /** `key#versionId` of an object version a layer or function was published from -> the snapshot. */
    readonly objectVersions: ReadonlyMap<string, string>;
    /** Base64 sha256 of code a layer or function of the snapshot held -> the snapshot. */
    readonly sha256s: ReadonlyMap<string, string>;
    /** The sizes of that code, where the snapshot records them (zips of another size are never read). */
    readonly sizes: ReadonlySet<number>;
}

/** What keeps items that would otherwise be planned for deletion. */
export interface Protections {
    /** With --state: what the stack manages. */
    readonly managed?: ManagedSet;
    /** What the last deploy snapshots reference. */
    readonly rollback?: RollbackSet;
    /** --delete-rollbacks: plan the versions kept only as another team's rollback too. */
    readonly deleteTeamRollbacks?: boolean;
}

/** A function of one environment on a layer that is not its environment's own: the incident, named. */
export interface Incident {
    readonly function: string;
    readonly item: string;
    readonly kind: "legacy in use" | "cross-environment layer";
    /** The layer's environment, when it has one. */
    readonly layerEnv?: Env;
}

export interface Inventory {
    readonly env: Env;
    /** The environment's code bucket, when it exists (where the clean-up keeps its marks). */
    readonly bucket?: string;
    readonly items: readonly InventoryItem[];
    /** Functions of this environment on a legacy layer or on another environment's layer. */
    readonly incidents: readonly Incident[];
}

/** Who a layer name belongs to: ours (one environment's), a listed legacy name (its environment, if it has one), or nobody we know. */
export type LayerOwner = { readonly kind: "ours"; readonly env: Env } | { readonly kind: "legacy"; readonly env?: Env } | undefined;

/** The environment a name ends with (`...-stage`), if any. */
function suffixEnv(name: string): Env | undefined {
    const suffix = name.slice(name.lastIndexOf("-") + 1);
    return isEnv(suffix) ? suffix : undefined;
}

/**
 * Only exact names are ours: `vectora-inbox-<vectora-core|common-deps>-<env>`, or one of the listed legacy names
 * (policy/contract/naming.ts), whose environment is their `-<env>` suffix (none for `vectora-inbox-dependencies`). A
 * look-alike (`vectora-inbox-vectora-core-dev2`) or another team's name belongs to nobody we know.
 */
export function layerOwner(name: string): LayerOwner {
    const env = ENVIRONMENTS.find((e) => LAYER_COMPONENTS.some((c) => environmentNames(e).layer(c) === name));
    if (env !== undefined) {
        return { kind: "ours", env };
    }
    return LEGACY_LAYER_NAMES.includes(name) ? { kind: "legacy", env: suffixEnv(name) } : undefined;
}

/** The environment of a function of ours (`vectora-inbox-...-<env>`); undefined for another team's function. */
export function functionEnv(name: string): Env | undefined {
    return name.startsWith(`${PROJECT}-`) ? suffixEnv(name) : undefined;
}

/** `arn:aws:lambda:<region>:<account>:layer:<name>:<version>` -> name and version. */
export function parseLayerArn(arn: string): { name: string; version: number } | undefined {
    const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:layer:([^:]+):(\d+)$/.exec(arn);
    return match ? { name: match[1], version: Number(match[2]) } : undefined;
}

/** How a function version is named in reasons: `name` for $LATEST, `name:3 (alias live)` for a published one. */
export function functionLabel(fn: FunctionVersionListing): string {
    if (fn.version === "$LATEST") {
        return fn.name;
    }
    return `${fn.name}:${fn.version}${fn.aliases.length > 0 ? ` (alias ${fn.aliases.join(", ")})` : ""}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    map.set(key, [...(map.get(key) ?? []), value]);
}

/** Layer version ARN -> the function versions that run it (every team, every region listed). */
function layerUsers(listing: AccountListing): Map<string, FunctionVersionListing[]> {
    const users = new Map<string, FunctionVersionListing[]>();
    for (const fn of listing.functions) {
        for (const arn of fn.layers) {
            pushTo(users, arn, fn);
        }
    }
    return users;
}

/** Functions of `env` on a legacy layer or another environment's layer, by the layer's name in the ARN they run. */
function incidentsOf(env: Env, listing: AccountListing): Incident[] {
    const found: Incident[] = [];
    for (const fn of listing.functions.filter((f) => functionEnv(f.name) === env)) {
        for (const arn of fn.layers) {
            const owner = layerOwner(parseLayerArn(arn)?.name ?? "");
            if (owner?.kind === "legacy") {
                found.push({
                    function: functionLabel(fn),
                    item: arn,
                    kind: "legacy in use",
                    ...(owner.env ? { layerEnv: owner.env } : {}),
                });
            } else if (owner?.kind === "ours" && owner.env !== env) {
                found.push({ function: functionLabel(fn), item: arn, kind: "cross-environment layer", layerEnv: owner.env });
            }
        }
    }
    return found;
}

/** The class of one layer version, and why. */
function layerVersionClass(
    env: Env,
    owner: LayerOwner,
    v: LayerVersionListing,
    index: number,
    users: readonly FunctionVersionListing[],
    teamRollbackOf: { version: number; user: string } | undefined,
    protections: Protections,
): { class: ItemClass; why: string } {
    const runBy = users.length > 0 ? `run by ${users.map(functionLabel).join(", ")}` : "";
    if (owner === undefined) {
        return {
            class: "unknown, not ours",
            why:
                `not one of our layer names (${PROJECT}-<${LAYER_COMPONENTS.join("|")}>-<env>) nor a listed legacy name; ` +
                `never deleted${runBy ? `; ${runBy}` : ""}`,
        };
    }
    if (owner.env !== undefined && owner.env !== env) {
        return {
            class: "other environment",
            why:
                `${owner.kind === "legacy" ? "a legacy layer" : "a layer"} of ${owner.env}; ` +
                `only ${owner.env}'s clean-up touches it${runBy ? `; ${runBy}` : ""}`,
        };
    }
    if (users.length > 0) {
        return { class: "in use", why: runBy };
    }
    if (owner.kind === "ours" && index < KEPT_LAYER_VERSIONS) {
        return { class: "current", why: `among the newest ${KEPT_LAYER_VERSIONS} versions` };
    }
    if (teamRollbackOf && v.version < teamRollbackOf.version && !protections.deleteTeamRollbacks) {
        return {
            class: "rollback",
            why:
                `older than version ${teamRollbackOf.version}, which ${teamRollbackOf.user} (another team's function) runs: ` +
                `kept as that team's rollback (--delete-rollbacks plans it)`,
        };
    }
    const snapshot = protections.rollback?.layerVersionArns.get(v.arn);
    if (snapshot !== undefined) {
        return { class: "rollback", why: `referenced by the deploy snapshot ${snapshot} (the rollback buffer)` };
    }
    if (owner.kind === "legacy") {
        return { class: "legacy", why: "a listed legacy layer that no function runs" };
    }
    return { class: "stale", why: `older than the newest ${KEPT_LAYER_VERSIONS} versions, run by no function` };
}

/**
 * The layer versions of the account, classified for one environment: every version, every region listed.
 * A version another team's function runs keeps the versions before it (that team may roll back to them).
 */
function classifyLayers(env: Env, listing: AccountListing, protections: Protections): InventoryItem[] {
    const users = layerUsers(listing);
    const items: InventoryItem[] = [];
    for (const layer of listing.layers) {
        const owner = layerOwner(layer.name);
        const newestFirst = [...layer.versions].sort((a, b) => b.version - a.version);
        // The newest version another team's function runs: what that team may roll back from.
        let teamRollbackOf: { version: number; user: string } | undefined;
        for (const v of newestFirst) {
            const foreign = (users.get(v.arn) ?? []).find((fn) => functionEnv(fn.name) === undefined);
            if (foreign && teamRollbackOf === undefined) {
                teamRollbackOf = { version: v.version, user: functionLabel(foreign) };
            }
        }
        newestFirst.forEach((v, index) => {
            const usedBy = users.get(v.arn) ?? [];
            const { class: itemClass, why } = layerVersionClass(env, owner, v, index, usedBy, teamRollbackOf, protections);
            const managed = protections.managed;
            items.push({
                kind: "layer version",
                id: v.arn,
                name: `${layer.name}:${v.version}`,
                class: itemClass,
                env: owner?.env,
                usedBy: usedBy.map(functionLabel),
                why,
                ...(managed ? { managed: managed.layerVersionArns.has(v.arn) } : {}),
                layer: { name: layer.name, region: layer.region, version: v.version },
            });
        });
    }
    return items;
}

/** Whether an item's class and scope make it a deletion candidate for `env` (before what the stack manages). */
function deletable(env: Env, item: InventoryItem): boolean {
    return (
        (item.class === "stale" || item.class === "legacy") &&
        item.usedBy.length === 0 &&
        item.managed !== true &&
        (item.env === env || item.env === undefined)
    );
}

/**
 * The layer versions whose bytes keep the zips they match: every listed version this environment's clean-up
 * would not delete, of our layers and the legacy ones of this environment (or of none). Another environment's
 * layers and unknown names are published from their own buckets, never from this one.
 */
export function keptLayerVersions(env: Env, listing: AccountListing, protections: Protections = {}): Set<string> {
    return new Set(
        classifyLayers(env, listing, protections)
            .filter((item) => !deletable(env, item) && (item.env === env || item.env === undefined) && item.class !== "unknown, not ours")
            .map((item) => item.id),
    );
}

/**
 * Which zips are worth reading to compare their bytes: the sizes of what kept layers and functions hold (Lambda's
 * CodeSize, and the snapshots'), and the keys a kept layer version's description or a function's Component and
 * Version tags name (their recorded sha256 comes without a size). Any other zip cannot match and is never read.
 */
export function hashCandidates(
    env: Env,
    listing: AccountListing,
    protections: Protections = {},
): { sizes: Set<number>; keys: Set<string> } {
    const kept = keptLayerVersions(env, listing, protections);
    const sizes = new Set<number>([...listing.functions.map((f) => f.content.size), ...(protections.rollback?.sizes ?? [])]);
    const keys = new Set<string>();
    for (const v of listing.layers.flatMap((l) => l.versions).filter((version) => kept.has(version.arn))) {
        if (v.content) {
            sizes.add(v.content.size);
        }
        const parsed = parseLayerDescription(v.description);
        if (parsed && isArtifactName(parsed.component)) {
            keys.add(artifactKey(parsed.component, parsed.version));
        }
    }
    for (const fn of listing.functions) {
        const { Component: component, Version: version } = fn.tags ?? {};
        if (component && version && isArtifactName(component)) {
            keys.add(artifactKey(component, version));
        }
    }
    return { sizes, keys };
}

function isArtifactName(name: string): name is ArtifactName {
    return (ARTIFACT_NAMES as readonly string[]).includes(name);
}

/** A sha256 as hex, from Lambda's base64 form (`CodeSha256`, `sourceCodeHash`). */
function hexOf(base64: string): string {
    return Buffer.from(base64, "base64").toString("hex");
}

/** The rank of a kept zip's class: the strongest reason wins. */
function rank(c: ItemClass): number {
    return ["in use", "current", "rollback"].indexOf(c);
}

/**
 * What holds bytes that must stay, by sha256 in hex: the whole digest (Lambda's CodeSha256 of a function version
 * or layer version, a function's ArtifactSha256 tag, a snapshot's source code hash) or its first 16 digits (a layer
 * version's description), and the class the matching zip takes, and why.
 */
function keptContents(
    env: Env,
    listing: AccountListing,
    layerItems: readonly InventoryItem[],
    protections: Protections,
): Map<string, { class: ItemClass; why: string; usedBy: string[] }> {
    const kept = new Map<string, { class: ItemClass; why: string; usedBy: string[] }>();
    const put = (sha: string, value: { class: ItemClass; why: string; usedBy: string[] }) => {
        const before = kept.get(sha);
        if (!before || rank(value.class) < rank(before.class)) {
            kept.set(sha, value);
        }
    };
    for (const [sha, snapshot] of protections.rollback?.sha256s ?? []) {
        put(hexOf(sha), {
            class: "rollback",
            why: `the bytes a layer or function of the deploy snapshot ${snapshot} held (the rollback buffer)`,
            usedBy: [],
        });
    }
    const byArn = new Map(layerItems.map((item) => [item.id, item]));
    for (const layer of listing.layers) {
        for (const v of layer.versions) {
            const item = byArn.get(v.arn);
            if (!item || deletable(env, item)) {
                continue;
            }
            const itemClass: ItemClass = item.class === "in use" ? "in use" : item.class === "rollback" ? "rollback" : "current";
            const value = { class: itemClass, why: `the bytes of layer version ${item.name} (${item.class})`, usedBy: [...item.usedBy] };
            const described = parseLayerDescription(v.description)?.sha16;
            for (const sha of [v.content ? hexOf(v.content.sha256) : undefined, described]) {
                if (sha !== undefined) {
                    put(sha, value);
                }
            }
        }
    }
    for (const fn of listing.functions) {
        const tagged = fn.tags?.ArtifactSha256;
        for (const sha of [fn.content.sha256 ? hexOf(fn.content.sha256) : undefined, tagged ? tagged.toLowerCase() : undefined]) {
            if (sha === undefined) {
                continue;
            }
            const before = kept.get(sha);
            const usedBy = [...(before?.class === "in use" ? before.usedBy : []), functionLabel(fn)];
            kept.set(sha, { class: "in use", why: `the bytes ${usedBy.join(", ")} run${usedBy.length > 1 ? "" : "s"}`, usedBy });
        }
    }
    return kept;
}

/** The object versions of the code bucket, kept by content: the version whose bytes a kept layer or function holds. */
function classifyObjects(
    env: Env,
    listing: AccountListing,
    layerItems: readonly InventoryItem[],
    protections: Protections,
): InventoryItem[] {
    const bucket = listing.bucket;
    if (!bucket) {
        return [];
    }
    const kept = keptContents(env, listing, layerItems, protections);
    const items: InventoryItem[] = [];
    for (const o of bucket.objects) {
        if (!o.key.startsWith("layers/") && !o.key.startsWith("lambdas/")) {
            continue;
        }
        const id = `${o.key}#${o.versionId}`;
        const hex = o.sha256 !== undefined ? hexOf(o.sha256) : undefined;
        const matches = hex !== undefined ? [kept.get(hex), kept.get(hex.slice(0, SHORT_SHA_LENGTH))] : [];
        const match = matches.filter((m): m is NonNullable<typeof m> => m !== undefined).sort((a, b) => rank(a.class) - rank(b.class))[0];
        const snapshot = protections.rollback?.objectVersions.get(id);
        let itemClass: ItemClass;
        let why: string;
        let usedBy: string[] = [];
        if (match) {
            ({ class: itemClass, why, usedBy } = match);
        } else if (snapshot !== undefined) {
            itemClass = "rollback";
            why = `what a layer or function of the deploy snapshot ${snapshot} was published from (the rollback buffer)`;
        } else if (!parseArtifactKey(o.key)) {
            itemClass = "legacy";
            why = "not an artifact key of ours (<layers|lambdas>/<component>-<version>.zip), and no kept layer or function holds its bytes";
        } else {
            itemClass = "stale";
            why = o.latest
                ? "no kept layer version or function holds these bytes"
                : "an older version of the object (overwritten) whose bytes no kept layer version or function holds";
        }
        items.push({
            kind: "object version",
            id: `s3://${bucket.name}/${id}`,
            name: o.key,
            class: itemClass,
            env,
            usedBy,
            why,
            ...(protections.managed ? { managed: o.latest && protections.managed.objectKeys.has(o.key) } : {}),
            object: { bucket: bucket.name, key: o.key, versionId: o.versionId },
        });
    }
    return items;
}

/**
 * Sorts what the account holds into classes for one environment. Pure: the listing in, the classes out.
 *
 * - Layer names: only ours and the listed legacy names are classified; anything else is "unknown, not ours".
 * - Layer versions of this environment's layers (or of a legacy name with no environment): one any function
 *   version runs (published versions and aliases included) is "in use"; the newest three of ours are "current";
 *   the versions before one another team's function runs, and what the last deploy snapshots reference, are
 *   "rollback"; older ones of ours are "stale", unused legacy ones "legacy". Another environment's are left to it.
 * - Zips of the code bucket, by content: the object version whose bytes a function version or a kept layer
 *   version holds (Lambda's CodeSha256) takes that class; other versions are "stale" (or "legacy" off our key scheme).
 * - A function of this environment on a legacy layer or on another environment's layer is an incident.
 */
export function classify(env: Env, listing: AccountListing, protections: Protections = {}): Inventory {
    const layerItems = classifyLayers(env, listing, protections);
    return {
        env,
        ...(listing.bucket ? { bucket: listing.bucket.name } : {}),
        items: [...layerItems, ...classifyObjects(env, listing, layerItems, protections)],
        incidents: incidentsOf(env, listing),
    };
}

/**
 * What the clean-up of an environment may delete: stale items of this environment and legacy items of this
 * environment or of none, that no function runs and the stack does not manage. Everything else stays; the
 * grace period (inventory/grace.ts) decides when a planned item is really deleted.
 */
export function cleanupPlan(inventory: Inventory): InventoryItem[] {
    return inventory.items.filter((item) => deletable(inventory.env, item));
}
