import { InputError } from "../lib/errors";
import { ENFORCEMENT_LEVELS, EnforcementLevel, PackInfo, PolicySettings } from "./analyzerClient";
import { readJsonObject } from "../config/jsonFile";
import { isRecord } from "../policy/contract/records";

const FORM =
    'a JSON object like { "all": "mandatory", "<policy>": "advisory" | { ' +
    '"enforcementLevel": "...", "<property>": ... } } (the --policy-pack-config format)';

function level(value: unknown, file: string, key: string): EnforcementLevel {
    if (typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value)) {
        return value as EnforcementLevel;
    }
    throw new InputError(`${file}: ${key} is ${JSON.stringify(value)}; expected one of ${ENFORCEMENT_LEVELS.join(", ")}`);
}

function typeMatches(schema: Record<string, unknown>, value: unknown): boolean {
    switch (schema.type) {
        case "string":
            return typeof value === "string";
        case "number":
        case "integer":
            return typeof value === "number";
        case "boolean":
            return typeof value === "boolean";
        case "array":
            return Array.isArray(value);
        case "object":
            return isRecord(value);
        default:
            return true;
    }
}

/**
 * The Configure settings the CLI derives from a pack's defaults and an optional `--policy-pack-config`
 * document: `all` sets every level, a policy's own entry wins, properties are checked against the
 * policy's config schema and its defaults filled in.
 */
export function policySettings(pack: PackInfo, document?: Record<string, unknown>, file = "policy config"): Record<string, PolicySettings> {
    const doc = document ?? {};
    const names = new Set(pack.policies.map((p) => p.name));
    for (const key of Object.keys(doc)) {
        if (key !== "all" && !names.has(key)) {
            throw new InputError(`${file}: unknown policy "${key}"; the ${pack.name} pack has ${[...names].join(", ")}`);
        }
    }
    const all =
        doc.all === undefined
            ? undefined
            : level(
                  typeof doc.all === "object" && doc.all !== null ? (doc.all as Record<string, unknown>).enforcementLevel : doc.all,
                  file,
                  "all",
              );
    const settings: Record<string, PolicySettings> = {};
    for (const policy of pack.policies) {
        const entry = doc[policy.name];
        const schema = policy.configSchema?.properties ?? {};
        const properties: Record<string, unknown> = {};
        for (const [key, spec] of Object.entries(schema)) {
            if (spec.default !== undefined) {
                properties[key] = spec.default;
            }
        }
        let chosen: EnforcementLevel = all ?? policy.level;
        if (typeof entry === "string") {
            chosen = level(entry, file, policy.name);
        } else if (entry !== undefined) {
            if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
                throw new InputError(`${file}: ${policy.name} is ${JSON.stringify(entry)}; expected ${FORM}`);
            }
            for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
                if (key === "enforcementLevel") {
                    chosen = level(value, file, `${policy.name}.enforcementLevel`);
                    continue;
                }
                const spec = schema[key];
                if (!spec) {
                    throw new InputError(
                        `${file}: ${policy.name} has no property "${key}"; it takes ${Object.keys(schema).join(", ") || "no properties"}`,
                    );
                }
                if (!typeMatches(spec, value)) {
                    throw new InputError(`${file}: ${policy.name}.${key} is ${JSON.stringify(value)}; expected a ${String(spec.type)}`);
                }
                properties[key] = value;
            }
        }
        settings[policy.name] = { level: chosen, properties };
    }
    return settings;
}

/** Reads and checks a `--policy-pack-config` file. */
export function readPolicyConfigFile(file: string): Record<string, unknown> {
    return readJsonObject(file, FORM);
}
