import { sha256Hex } from "../lib/hashing";
import { SECRET_SIG, SIG, UNKNOWN } from "../pulumi/wire";
import { isRecord } from "../policy/contract/records";
import { DEFAULTS_KEY, PropertySpec, ResourceSchema } from "./schema/model";
import { schemaOf } from "./schema";
import { intOneOf, oneOfMessage, rangeMessage } from "./schema/rules";

/**
 * The provider's Check, as pulumi-aws answers it (pulumi-terraform-bridge pkg/tfbridge, SDKv2 resources): the
 * inputs validated against the upstream schema first (defaults are not applied before validating, pulumi/
 * pulumi-terraform-bridge#1583), then an auto-name for an unnamed resource, `tagsAll` (pulumi-aws provider/tags.go
 * applyTags), the schema's defaults, and `__defaults` listing which keys Check filled in, in every object
 * (pulumi-aws's recorded sessions: `{"__defaults": ["retentionInDays", "skipDestroy"], ...}`; nested objects get
 * their own, empty when nothing was filled).
 */

type Props = Record<string, unknown>;

/** What Check answers: the inputs to use (defaults included) and the failures, each a full sentence. */
export interface CheckResult {
    readonly inputs: Props;
    readonly failures: string[];
}

function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    return isRecord(value) && Object.values(value).some(containsUnknown);
}

/** A value with its secret wrapper taken off (Check validates what the secret holds). */
function plain(value: unknown): unknown {
    return isRecord(value) && value[SIG] === SECRET_SIG ? value.value : value;
}

/** Go's name for a value's type in the plugin SDK's "expected type" messages. */
const KIND_NAMES: Readonly<Record<PropertySpec["kind"], string>> = {
    string: "string",
    int: "int",
    bool: "bool",
    stringList: "list",
    stringMap: "map",
    object: "object",
    objectList: "list",
    asset: "asset",
};

/** The failures of one value against its property's schema; `at` is its Pulumi path (`loggingConfig.logFormat`). */
function validateValue(spec: PropertySpec, raw: unknown, at: string): Array<{ message: string; at: string }> {
    const value = plain(raw);
    if (containsUnknown(value) || spec.kind === "asset") {
        return [];
    }
    const fail = (message: string) => [{ message, at }];
    switch (spec.kind) {
        case "string":
            if (typeof value !== "string") {
                return fail(`expected type of ${spec.tf} to be string`);
            }
            return validateString(spec, value, at);
        case "int":
            if (typeof value !== "number" || !Number.isInteger(value)) {
                return fail(`expected type of ${spec.tf} to be integer`);
            }
            if (spec.range && (value < spec.range[0] || value > spec.range[1])) {
                return fail(rangeMessage(spec.tf, spec.range, value));
            }
            if (spec.allowed) {
                const refused = intOneOf(spec.tf, spec.allowed, value);
                return refused === undefined ? [] : fail(refused);
            }
            return [];
        case "bool":
            return typeof value === "boolean" ? [] : fail(`expected type of ${spec.tf} to be bool`);
        case "stringMap":
            return isRecord(value) && Object.values(value).every((v) => typeof plain(v) === "string" || containsUnknown(v))
                ? []
                : fail(`expected type of ${spec.tf} to be a map of strings`);
        case "stringList":
        case "objectList": {
            if (!Array.isArray(value)) {
                return fail(`expected type of ${spec.tf} to be ${KIND_NAMES[spec.kind]}`);
            }
            if (spec.maxItems !== undefined && value.length > spec.maxItems) {
                return fail(`"${spec.tf}": attribute supports ${spec.maxItems} item maximum, but config has ${value.length} declared`);
            }
            return value.flatMap((element, i) =>
                spec.kind === "stringList"
                    ? validateValue({ ...spec, kind: "string", maxItems: undefined }, element, `${at}[${i}]`)
                    : validateObject(spec.fields ?? {}, plain(element), `${at}[${i}]`),
            );
        }
        case "object":
            return isRecord(value) ? validateObject(spec.fields ?? {}, value, at) : fail(`expected type of ${spec.tf} to be object`);
        default:
            return [];
    }
}

function validateString(spec: PropertySpec, value: string, at: string): Array<{ message: string; at: string }> {
    if (spec.oneOf && !spec.oneOf.includes(value)) {
        return [{ message: oneOfMessage(spec.tf, spec.oneOf, value), at }];
    }
    return (spec.rules ?? []).flatMap((rule) => {
        const message = rule(value, spec.tf);
        return message === undefined ? [] : [{ message, at }];
    });
}

/** Missing required keys first (as Terraform reports them), then each value's own failures. */
function validateObject(
    fields: Readonly<Record<string, PropertySpec>>,
    value: unknown,
    prefix: string,
): Array<{ message: string; at: string }> {
    if (!isRecord(value) || containsUnknown(value)) {
        return [];
    }
    const path = (key: string) => (prefix === "" ? key : `${prefix}.${key}`);
    const missing = Object.entries(fields)
        .filter(([key, spec]) => spec.required && (value[key] === undefined || value[key] === null))
        .map(([key]) => ({ message: `Missing required property '${path(key)}'`, at: "" }));
    const invalid = Object.entries(fields)
        .filter(([key, spec]) => spec.computed !== "output" && value[key] !== undefined && value[key] !== null)
        .flatMap(([key, spec]) => validateValue(spec, value[key], path(key)));
    return [...missing, ...invalid];
}

/** ExactlyOneOf, in Terraform's words (helper/schema validateExactlyOneAttribute). */
function exactlyOneOf(schema: ResourceSchema, inputs: Props): string[] {
    const names = schema.exactlyOneOf;
    if (!names) {
        return [];
    }
    const byTf = new Map(Object.entries(schema.properties).map(([k, spec]) => [spec.tf, k]));
    const set = names.filter((tf) => {
        const key = byTf.get(tf);
        return key !== undefined && inputs[key] !== undefined && inputs[key] !== null;
    });
    if (set.length === 1) {
        return [];
    }
    const list = names.join(",");
    return set.length === 0
        ? [`"${names[0]}": one of \`${list}\` must be specified`]
        : [`"${set[0]}": only one of \`${list}\` can be specified, but \`${set.join(",")}\` were specified.`];
}

/** Every failure of a resource's inputs, in the bridge's sentence form. */
export function checkFailures(schema: ResourceSchema, name: string, inputs: Props): string[] {
    const failures = validateObject(schema.properties, inputs, "").map(({ message, at }) =>
        // A missing key names itself; a bad value says where to look (tfbridge NewCheckFailure).
        at === "" ? message : `${message}. Examine values at '${name}.${at}'.`,
    );
    return [...failures, ...exactlyOneOf(schema, inputs)];
}

/**
 * The name the bridge gives an unnamed resource: its Pulumi name, a dash and 7 random hex characters, within
 * the type's limit (tfbridge AutoName). The real suffix is random per `randomSeed`; this one is derived from it,
 * so that the same seed gives the same name, as the engine expects of a preview and its update.
 */
export function autoName(name: string, randomSeed: string, maxLength: number, lowerCase = false): string {
    const suffix = sha256Hex(`${randomSeed}\0${name}`).slice(0, 7);
    const base = name.slice(0, Math.max(0, maxLength - suffix.length - 1));
    const full = `${base}-${suffix}`;
    return lowerCase ? full.toLowerCase() : full;
}

/** The schema's defaults filled into an object (recursively), with `__defaults` naming the keys filled in. */
function withDefaults(fields: Readonly<Record<string, PropertySpec>>, value: Props, topLevel: string[] = []): Props {
    const out: Props = { ...value };
    const filled = [...topLevel];
    for (const [key, spec] of Object.entries(fields)) {
        const current = out[key];
        if ((current === undefined || current === null) && spec.default !== undefined) {
            out[key] = spec.default;
            filled.push(key);
        } else if (spec.kind === "object" && isRecord(current) && !containsUnknown(current)) {
            out[key] = withDefaults(spec.fields ?? {}, current);
        } else if (spec.kind === "objectList" && Array.isArray(current)) {
            out[key] = current.map((e) => (isRecord(e) && !containsUnknown(e) ? withDefaults(spec.fields ?? {}, e) : e));
        }
    }
    return { [DEFAULTS_KEY]: filled.sort(), ...out };
}

/** `tagsAll`: the resource's tags (no provider default tags in this project), `{}` without any, unknown while tags are. */
function tagsAll(tags: unknown): unknown {
    if (tags === undefined || tags === null) {
        return {};
    }
    return containsUnknown(tags) ? UNKNOWN : plain(tags);
}

/**
 * Check of one resource: its failures, or the inputs the engine will use. A type the simulated provider does not
 * know passes as it is (the real provider knows it; this one cannot say more).
 *
 * @param type the resource's type token
 * @param name the resource's name in its URN (auto-names and failure paths start from it)
 * @param news the program's inputs, in the wire form
 * @param randomSeed the engine's seed for this resource (base64), from which an auto-name follows
 */
export function checkResource(type: string, name: string, news: Props, randomSeed = ""): CheckResult {
    const schema = schemaOf(type);
    if (!schema) {
        return { inputs: news, failures: [] };
    }
    const failures = checkFailures(schema, name, news);
    if (failures.length > 0) {
        return { inputs: news, failures };
    }
    const inputs: Props = { ...news };
    const filled: string[] = [];
    const naming = schema.autoName;
    if (naming && inputs[naming.property] === undefined && (naming.prefix === undefined || inputs[naming.prefix] === undefined)) {
        inputs[naming.property] = autoName(name, randomSeed, naming.maxLength, naming.lowerCase);
        filled.push(naming.property);
    }
    if (schema.taggable) {
        inputs.tagsAll = tagsAll(inputs.tags);
    }
    if (schema.framework) {
        return { inputs, failures: [] };
    }
    return { inputs: withDefaults(schema.properties, inputs, filled), failures: [] };
}
