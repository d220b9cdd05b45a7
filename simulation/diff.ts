import { isRecord } from "../policy/contract/records";
import { normalizedDocument } from "./documents";
import { DEFAULTS_KEY, PropertySpec } from "./schema/model";
import { schemaOf } from "./schema";
import { computedKeys, withoutDefaults } from "./simulatedAws";
import { propertyChanged } from "./wireCompare";

type Props = Record<string, unknown>;

/**
 * Whether the provider compares this property with the program's value: not an output, not an Optional + Computed
 * one the program leaves unset, and for a property the tables do not describe, only when the program sets it.
 */
function compared(spec: PropertySpec | undefined, news: Props, key: string): boolean {
    if (!spec) {
        return news[key] !== undefined;
    }
    if (spec.computed === "output") {
        return false;
    }
    return !(spec.computed === "optional" && (news[key] === undefined || news[key] === null));
}

/**
 * Whether a value is what Terraform's plugin SDK reads for an unset optional property (its zero value): against
 * each other, nothing, "", 0, false, [] and {} are no change (the recorded bucket Diff: `tags: {}` in the state,
 * none in the program, DIFF_NONE).
 */
function zero(value: unknown): boolean {
    if (value === undefined || value === null || value === "" || value === 0 || value === false) {
        return true;
    }
    return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

/** The inputs among a resource's outputs: what the program may set (for an unknown type, all but what AWS computed). */
export function inputsOf(type: string, outputs: Props): Props {
    const schema = schemaOf(type);
    if (!schema) {
        const computed = computedKeys(type);
        return Object.fromEntries(Object.entries(outputs).filter(([k]) => !computed.has(k)));
    }
    return Object.fromEntries(Object.entries(outputs).filter(([k]) => schema.properties[k] && schema.properties[k].computed !== "output"));
}

/**
 * The property diff of one resource, as the provider answers Diff: which inputs changed between the account's
 * state (`olds`) and the checked inputs (`news`), and which of them replace the resource (the schema's ForceNew).
 * `__defaults` is bookkeeping, outputs are AWS's, and an Optional + Computed property the program leaves unset keeps
 * whatever AWS chose; policy documents compare by meaning.
 */
export function diffResource(type: string, olds: Props, news: Props): { changed: string[]; replaces: string[] } {
    const schema = schemaOf(type);
    const keys = new Set([...Object.keys(inputsOf(type, olds)), ...Object.keys(news)].filter((k) => k !== DEFAULTS_KEY));
    const changed = [...keys]
        .filter((k) => !schema || compared(schema.properties[k], news, k))
        .filter((k) => {
            const spec = schema?.properties[k];
            if (schema && !schema.framework && zero(olds[k]) && zero(news[k])) {
                return false;
            }
            const next = withoutDefaults(news[k]);
            return spec?.document ? propertyChanged(normalizedDocument(olds[k]), normalizedDocument(next)) : propertyChanged(olds[k], next);
        })
        .sort();
    const replaces = changed.filter((k) => schema?.properties[k]?.forceNew === true);
    return { changed, replaces };
}
