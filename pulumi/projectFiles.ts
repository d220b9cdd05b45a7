import * as fs from "fs";
import * as path from "path";
import { parseYaml } from "../config/canonical";
import { InputError } from "../lib/errors";
import { ENVIRONMENTS, isEnv } from "../policy/contract/naming";
import { stackConfigFile } from "../config/stackConfig";
import { isRecord } from "../policy/contract/records";
import { readInputText } from "../lib/inputFile";

/** A project or stack file holds a few keys; one this large is a mistake (a stray file, a generated dump). */
const MAX_YAML_BYTES = 1024 * 1024;

/** The project name from Pulumi.yaml. */
export function readProjectName(root: string): string {
    const file = path.join(root, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new InputError(`Pulumi.yaml: not found in ${root}; run from the repository (or pass --cwd)`);
    }
    const doc = parseYaml(
        readInputText(file, { display: "Pulumi.yaml", expected: "the project file (name: vectora-inbox)", maxBytes: MAX_YAML_BYTES }),
        "Pulumi.yaml",
    );
    const name = (doc as { name?: unknown }).name;
    if (typeof name !== "string" || name === "") {
        throw new InputError("Pulumi.yaml: missing name; expected name: vectora-inbox");
    }
    return name;
}

/** A config value as the Pulumi runtime hands it to a program: a string (JSON for objects). */
function configString(value: unknown, file: string, key: string): string {
    if (isRecord(value) && "secure" in value) {
        throw new InputError(`${file}: ${key} is a secret; the offline preview cannot decrypt it (use pulumi preview)`);
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
        // YAML reads 1e400 as Infinity, which JSON would turn into "null".
        throw new InputError(`${file}: ${key} is a number out of range (${value}); expected a value such as 30`);
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Reads `Pulumi.<stack>.yaml` into the `project:key -> string` map the runtime exposes. The stack must be
 * one of dev, stage, prod and its file must exist.
 */
export function readStackConfig(root: string, stack: string, project: string): Record<string, string> {
    if (!isEnv(stack)) {
        throw new InputError(`unknown stack "${stack}"; expected one of ${ENVIRONMENTS.join(", ")}`);
    }
    const name = stackConfigFile(stack);
    const file = path.join(root, name);
    if (!fs.existsSync(file)) {
        throw new InputError(`${name}: not found; every stack needs its config file (copy Pulumi.stage.yaml and change vectora-inbox:env)`);
    }
    const text = readInputText(file, {
        display: name,
        expected: "the stack's config (config: with one key per line)",
        maxBytes: MAX_YAML_BYTES,
    });
    const doc = text.trim() === "" ? {} : parseYaml(text, name);
    const config = (doc as { config?: unknown }).config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new InputError(`${name}: config must be a mapping of key: value`);
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        const full = key.includes(":") ? key : `${project}:${key}`;
        out[full] = configString(value, name, full);
    }
    return out;
}
