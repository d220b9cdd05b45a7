import { parseLayerDescription } from "../policy/contract/layerDescription";
import {
    ARTIFACT_NAMES,
    ENVIRONMENTS,
    Env,
    LAYER_COMPONENTS,
    PROJECT,
    artifactKey,
    environmentNames,
    isEnv,
    parseArtifactKey,
} from "../policy/contract/naming";

/** How many versions of each of our layers stay, used or not: the rollback window the team asked for. */
export const KEPT_LAYER_VERSIONS = 3;

/** What the account holds, as listed (every page) from Lambda and S3. */
export interface AccountListing {
    readonly layers: ReadonlyArray<{ readonly name: string; readonly versions: readonly LayerVersionListing[] }>;
    readonly functions: readonly FunctionListing[];
    /** The environment's code bucket, or undefined when it does not exist. */
    readonly bucket?: { readonly name: string; readonly objects: readonly ObjectVersionListing[] };
}

export interface LayerVersionListing {
    readonly arn: string;
    readonly version: number;
    readonly description: string;
    readonly created: string;
}

export interface FunctionListing {
    readonly name: string;
    /** Layer version ARNs the function runs with. */
    readonly layers: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
}

export interface ObjectVersionListing {
    readonly key: string;
    readonly versionId: string;
    readonly latest: boolean;
    readonly size: number;
    readonly lastModified: string;
}

/** The class of an item, as the clean-up plan reads it. */
export type ItemClass = "in use" | "current" | "stale" | "legacy" | "other environment";

export interface InventoryItem {
    readonly kind: "layer version" | "object version";
    /** Layer version ARN, or `s3://bucket/key#versionId`. */
    readonly id: string;
    readonly name: string;
    readonly class: ItemClass;
    /** The environment the item belongs to by its name; undefined for a legacy name without a suffix. */
    readonly env: Env | undefined;
    /** Functions (any environment) that run it, or run what was published from it. */
    readonly usedBy: readonly string[];
    readonly why: string;
    /** Set with --state: whether the stack's state holds this item. */
    readonly managed?: boolean;
    /** For deletion: the layer name and version, or the bucket, key and version id. */
    readonly layer?: { readonly name: string; readonly version: number };
    readonly object?: { readonly bucket: string; readonly key: string; readonly versionId: string };
}

/** What a stack's state says it manages: layer version ARNs and code-bucket keys. */
export interface ManagedSet {
    readonly layerVersionArns: ReadonlySet<string>;
    readonly objectKeys: ReadonlySet<string>;
}

export interface Inventory {
    readonly env: Env;
    readonly items: readonly InventoryItem[];
    /** Legacy items a function of this environment runs: the incident, named. */
    readonly legacyInUse: ReadonlyArray<{ readonly item: string; readonly function: string }>;
}

/** A name of ours for some environment: `vectora-inbox-<component>-<env>`; undefined otherwise. */
function ourLayerEnv(name: string): Env | undefined {
    return ENVIRONMENTS.find((env) => LAYER_COMPONENTS.some((c) => environmentNames(env).layer(c) === name));
}

/** The environment a name ends with (`...-stage`), if any. */
function suffixEnv(name: string): Env | undefined {
    const suffix = name.slice(name.lastIndexOf("-") + 1);
    return isEnv(suffix) ? suffix : undefined;
}

/**
 * Sorts what the account holds into classes for one environment. Pure: the listing in, the classes out.
 *
 * - Our layers of this environment: a version a function runs is "in use", the newest three are "current",
 *   older ones "stale". Our layers of another environment are left to that environment.
 * - Any other layer whose name starts with the project's is "legacy" (the incident's names, no suffix, ...);
 *   a function of this environment running one is the incident itself.
 * - Objects of the code bucket: a zip a function or a kept layer version was published from is "in use" or
 *   "current", other zips of our scheme and older object versions are "stale", other keys "legacy".
 */
export function classify(env: Env, listing: AccountListing, managed?: ManagedSet): Inventory {
    const usersOf = new Map<string, string[]>();
    for (const fn of listing.functions) {
        for (const arn of fn.layers) {
            usersOf.set(arn, [...(usersOf.get(arn) ?? []), fn.name]);
        }
    }
    const envFunctions = new Set(
        listing.functions.filter((fn) => fn.name.startsWith(`${PROJECT}-`) && suffixEnv(fn.name) === env).map((fn) => fn.name),
    );
    const items: InventoryItem[] = [];
    const legacyInUse: Array<{ item: string; function: string }> = [];
    const keptLayerKeys = new Set<string>();

    for (const layer of listing.layers) {
        if (!layer.name.startsWith(PROJECT)) {
            continue;
        }
        const owner = ourLayerEnv(layer.name);
        const newestFirst = [...layer.versions].sort((a, b) => b.version - a.version);
        newestFirst.forEach((v, index) => {
            const usedBy = usersOf.get(v.arn) ?? [];
            let itemClass: ItemClass;
            let why: string;
            if (owner !== undefined && owner !== env) {
                itemClass = "other environment";
                why = `a layer of ${owner}; only ${owner}'s clean-up touches it`;
            } else if (owner === undefined) {
                itemClass = "legacy";
                why = "not one of our layer names (vectora-inbox-<vectora-core|common-deps>-<env>)";
                for (const fn of usedBy.filter((f) => envFunctions.has(f))) {
                    legacyInUse.push({ item: v.arn, function: fn });
                }
            } else if (usedBy.length > 0) {
                itemClass = "in use";
                why = `run by ${usedBy.join(", ")}`;
            } else if (index < KEPT_LAYER_VERSIONS) {
                itemClass = "current";
                why = `among the newest ${KEPT_LAYER_VERSIONS} versions`;
            } else {
                itemClass = "stale";
                why = `older than the newest ${KEPT_LAYER_VERSIONS} versions, run by no function`;
            }
            if (owner === env && itemClass !== "stale") {
                const parsed = parseLayerDescription(v.description);
                if (parsed) {
                    keptLayerKeys.add(artifactKey(parsed.component as (typeof LAYER_COMPONENTS)[number], parsed.version));
                }
            }
            items.push({
                kind: "layer version",
                id: v.arn,
                name: `${layer.name}:${v.version}`,
                class: itemClass,
                env: owner ?? suffixEnv(layer.name),
                usedBy,
                why,
                ...(managed ? { managed: managed.layerVersionArns.has(v.arn) } : {}),
                layer: { name: layer.name, version: v.version },
            });
        });
    }

    // The zips a function of this environment was published from, by its Component and Version tags.
    const functionKeys = new Map<string, string[]>();
    for (const fn of listing.functions.filter((f) => envFunctions.has(f.name))) {
        const { Component: component, Version: version } = fn.tags;
        if (component && version && (ARTIFACT_NAMES as readonly string[]).includes(component)) {
            const key = artifactKey(component as (typeof ARTIFACT_NAMES)[number], version);
            functionKeys.set(key, [...(functionKeys.get(key) ?? []), fn.name]);
        }
    }
    const bucket = listing.bucket;
    for (const o of bucket?.objects ?? []) {
        if (!o.key.startsWith("layers/") && !o.key.startsWith("lambdas/")) {
            continue;
        }
        // Only the current version of a key is what a function was published from.
        const usedBy = o.latest ? (functionKeys.get(o.key) ?? []) : [];
        let itemClass: ItemClass;
        let why: string;
        if (!parseArtifactKey(o.key)) {
            itemClass = "legacy";
            why = "not an artifact key of ours (<layers|lambdas>/<component>-<version>.zip)";
        } else if (!o.latest) {
            itemClass = "stale";
            why = "an older version of the object (overwritten)";
        } else if (usedBy.length > 0) {
            itemClass = "in use";
            why = `what ${usedBy.join(", ")} was published from`;
        } else if (keptLayerKeys.has(o.key)) {
            itemClass = "current";
            why = "what a kept layer version was published from";
        } else {
            itemClass = "stale";
            why = "no kept layer version or function was published from it";
        }
        items.push({
            kind: "object version",
            id: `s3://${bucket?.name}/${o.key}#${o.versionId}`,
            name: o.key,
            class: itemClass,
            env,
            usedBy,
            why,
            ...(managed ? { managed: o.latest && managed.objectKeys.has(o.key) } : {}),
            object: { bucket: bucket?.name as string, key: o.key, versionId: o.versionId },
        });
    }
    return { env, items, legacyInUse };
}

/**
 * What the clean-up of an environment deletes: stale items of this environment and legacy items of this
 * environment or of none, that no function runs and the stack does not manage. Everything else stays.
 */
export function cleanupPlan(inventory: Inventory): InventoryItem[] {
    return inventory.items.filter(
        (item) =>
            (item.class === "stale" || item.class === "legacy") &&
            item.usedBy.length === 0 &&
            item.managed !== true &&
            (item.env === inventory.env || item.env === undefined),
    );
}
