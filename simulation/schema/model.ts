/**
 * How the simulated provider describes a resource type: the facts of the upstream schema (terraform-provider-aws,
 * as pulumi-aws bridges it) that decide what `Check` refuses or fills in, what `Diff` replaces, and what a preview
 * leaves unknown. Each table cites the file it was read from; the validators' messages are terraform-plugin-sdk's
 * wording, which pulumi-aws passes on (pulumi-terraform-bridge pkg/tfbridge/adapt_check_failures.go).
 */

export { DEFAULTS_KEY } from "../../pulumi/wire";

/** The value kinds of the Pulumi schema (after the bridge's MaxItems=1 flattening: a one-item block is an object). */
export type Kind = "string" | "int" | "bool" | "stringList" | "stringMap" | "object" | "objectList" | "asset";

/** A check on a string beyond its kind: the validator's own message names the property and what it expects. */
export type StringRule = (value: string, tfName: string) => string | undefined;

/** One property of a resource type. */
export interface PropertySpec {
    readonly kind: Kind;
    /** The Terraform attribute name, which the upstream validators' messages use. */
    readonly tf: string;
    readonly required?: boolean;
    /** A change replaces the resource (the schema's ForceNew). */
    readonly forceNew?: boolean;
    /** `output`: AWS alone sets it; `optional`: the program may set it, else AWS does (Optional + Computed). */
    readonly computed?: "output" | "optional";
    /** The schema's Default, which Check fills in and lists in `__defaults`. */
    readonly default?: string | number | boolean;
    /** Allowed values of a string, or of each element of a string list. */
    readonly oneOf?: readonly string[];
    /** Allowed range of an integer, bounds included. */
    readonly range?: readonly [number, number];
    /** Allowed values of an integer (IntInSlice). */
    readonly allowed?: readonly number[];
    /** More checks of a string (or of each element of a string list). */
    readonly rules?: readonly StringRule[];
    readonly maxItems?: number;
    /**
     * A JSON document (an IAM or bucket policy): stored normalised (terraform-plugin-sdk structure.NormalizeJsonString:
     * compact, keys sorted) and compared by meaning (verify.SuppressEquivalentPolicyDiffs), so that a refresh of the
     * provider's own normalisation is no change.
     */
    readonly document?: boolean;
    /** The properties of an object, or of each element of an object list. */
    readonly fields?: Readonly<Record<string, PropertySpec>>;
}

/** How the bridge names a resource the program left unnamed (tfbridge AutoName: `<name>-<7 hex>`). */
export interface AutoNaming {
    readonly property: string;
    readonly maxLength: number;
    /** pulumi-aws lower-cases bucket auto-names (provider/resources.go, AutoNameTransform with strings.ToLower). */
    readonly lowerCase?: boolean;
    /** A property that asks for a generated name instead (`namePrefix`, `bucketPrefix`): no auto-name then. */
    readonly prefix?: string;
}

/** One resource type as the simulated provider knows it. */
export interface ResourceSchema {
    /** Pulumi type token. */
    readonly token: string;
    /** Where its facts were read. */
    readonly source: string;
    readonly properties: Readonly<Record<string, PropertySpec>>;
    readonly autoName?: AutoNaming;
    /**
     * A Terraform plugin-SDK resource with `tags` and `tags_all`: pulumi-aws computes `tagsAll` in Check
     * (provider/tags.go applyTags). Plugin Framework resources get no `__defaults` from Check either.
     */
    readonly taggable?: boolean;
    readonly framework?: boolean;
    /** Exactly one of these must be set (the schema's ExactlyOneOf), with Terraform's names for the message. */
    readonly exactlyOneOf?: readonly string[];
    /** The region the resource lives in is one of its outputs (pulumi-aws v7 resources of regional services). */
    readonly regional?: boolean;
}

/** A string property. */
export function str(tf: string, spec: Omit<PropertySpec, "kind" | "tf"> = {}): PropertySpec {
    return { kind: "string", tf, ...spec };
}

/** An integer property. */
export function int(tf: string, spec: Omit<PropertySpec, "kind" | "tf"> = {}): PropertySpec {
    return { kind: "int", tf, ...spec };
}

/** A boolean property. */
export function bool(tf: string, spec: Omit<PropertySpec, "kind" | "tf"> = {}): PropertySpec {
    return { kind: "bool", tf, ...spec };
}

/** A list (or set) of strings. */
export function strings(tf: string, spec: Omit<PropertySpec, "kind" | "tf"> = {}): PropertySpec {
    return { kind: "stringList", tf, ...spec };
}

/** A map of strings (tags, environment variables, metadata). */
export function stringMap(tf: string, spec: Omit<PropertySpec, "kind" | "tf"> = {}): PropertySpec {
    return { kind: "stringMap", tf, ...spec };
}

/** A one-item block, which the bridge flattens into an object. */
export function object(
    tf: string,
    fields: Readonly<Record<string, PropertySpec>>,
    spec: Omit<PropertySpec, "kind" | "tf" | "fields"> = {},
): PropertySpec {
    return { kind: "object", tf, fields, ...spec };
}

/** A list (or set) of blocks. */
export function objects(
    tf: string,
    fields: Readonly<Record<string, PropertySpec>>,
    spec: Omit<PropertySpec, "kind" | "tf" | "fields"> = {},
): PropertySpec {
    return { kind: "objectList", tf, fields, ...spec };
}

/** An output AWS computes (never an input). */
export function output(tf: string, kind: Kind = "string"): PropertySpec {
    return { kind, tf, computed: "output" };
}

/** The standard `tags` and output `tagsAll` of a taggable type (terraform-provider-aws internal/tags TagsSchema). */
export const TAGS: Readonly<Record<string, PropertySpec>> = {
    tags: stringMap("tags"),
    tagsAll: { kind: "stringMap", tf: "tags_all", computed: "output" },
};
