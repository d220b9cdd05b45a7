import * as fs from "fs";
import * as path from "path";
import { KEY_OF_ARTIFACT } from "../../config/versionFile";
import { stackConfigFile } from "../../config/stackConfig";
import { ARTIFACT_NAMES, PROJECT } from "../../policy/contract/naming";
import { TYPES } from "../../policy/contract/resourceTypes";

/**
 * Where in the repository the fix of a finding belongs, for reports that point at a file (SARIF): the `VERSION`
 * line of the artifact a promotion finding names, the stack's config file and key a config-driven policy reads,
 * the canonical file a canonical object was synced from, else the component (or program) that declares the
 * resource. A reviewer lands on the line to change, and GitHub shows the alert in a pull request that changes it.
 */

/** A line of a repository file (1-based, as SARIF's region counts; endColumn is the column after the line's end). */
export interface RepoLocation {
    /** Relative to the repository root, with forward slashes. */
    readonly file: string;
    readonly startLine: number;
    readonly startColumn: number;
    readonly endLine: number;
    readonly endColumn: number;
    /** Why the fix belongs here, for the reader. */
    readonly note: string;
}

/** A resource as a report knows it: enough to tell a canonical object from the rest. */
export interface LocatedResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
}

/** The config keys (of the project's namespace) each config-driven policy reads, the first the default. */
const CONFIG_KEYS_OF: Readonly<Record<string, readonly string[]>> = {
    "vectora-bedrock-allowlist": ["bedrockModelId", "bedrockRegion"],
    "vectora-logs-retention-set": ["logRetentionDays"],
};

/** Policies about which version an artifact runs: their fix is a VERSION line (or a promotion of that version). */
function isVersionPolicy(policy: string, tags: readonly string[]): boolean {
    return policy.startsWith("vectora-promotion-") || tags.includes("promotion") || tags.includes("versions");
}

/** Reads a repository file's lines once per report. */
export class RepoFiles {
    private readonly cache = new Map<string, string[] | undefined>();

    constructor(readonly root: string) {}

    lines(file: string): string[] | undefined {
        if (!this.cache.has(file)) {
            let text: string | undefined;
            try {
                text = fs.readFileSync(path.join(this.root, file), "utf8");
            } catch {
                text = undefined;
            }
            this.cache.set(file, text?.split(/\r?\n/));
        }
        return this.cache.get(file);
    }

    /** The first line of `file` that matches, as a location; undefined when the file or the line is missing. */
    find(file: string, pattern: RegExp, note: string): RepoLocation | undefined {
        const lines = this.lines(file);
        const index = lines?.findIndex((l) => pattern.test(l)) ?? -1;
        return lines && index >= 0 ? lineLocation(file, index + 1, lines[index], note) : undefined;
    }

    /** The file's first line: a finding about the file as a whole. */
    start(file: string, note: string): RepoLocation | undefined {
        const lines = this.lines(file);
        return lines ? lineLocation(file, 1, lines[0] ?? "", note) : undefined;
    }
}

function lineLocation(file: string, line: number, text: string, note: string): RepoLocation {
    return { file, startLine: line, startColumn: 1, endLine: line, endColumn: text.length + 1, note };
}

/** `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>` -> the types, outermost first. */
export function urnTypes(urn: string): string[] {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2].split("$") : [];
}

/** `vectora:storage:PrivateBucket` -> `components/privateBucket.ts` (one component per file, named after its class). */
function componentFile(token: string): string {
    const name = token.split(":").pop() ?? token;
    return `components/${name.charAt(0).toLowerCase()}${name.slice(1)}.ts`;
}

/** The component (or, failing that, the program) that declares a resource. */
export function declaringSource(files: RepoFiles, urn: string | undefined): RepoLocation {
    const component = urnTypes(urn ?? "").find((t) => t.startsWith("vectora:"));
    if (component) {
        const file = componentFile(component);
        const name = component.split(":").pop() as string;
        const found = files.find(file, new RegExp(`^export class ${name}\\b`), `${component} declares this resource in ${file}`);
        if (found) {
            return found;
        }
    }
    const note = "program.ts declares this resource (declareStack)";
    return files.find("program.ts", /^export function declareStack\b/, note) ?? lineLocation("program.ts", 1, "", note);
}

/** Where the fix of a policy finding belongs (see the module's comment for the order). */
export function policyFindingLocation(
    files: RepoFiles,
    stack: string,
    finding: { readonly policy: string; readonly message: string; readonly urn?: string; readonly tags: readonly string[] },
    resources: ReadonlyMap<string, LocatedResource>,
): RepoLocation {
    if (isVersionPolicy(finding.policy, finding.tags)) {
        // The first artifact the message names, longest names first (ingest-v2 before a shorter name inside it).
        const named = [...ARTIFACT_NAMES, "canonical" as const]
            .sort((a, b) => b.length - a.length)
            .map((a) => ({ a, at: finding.message.indexOf(a) }))
            .filter(({ at }) => at >= 0)
            .sort((x, y) => x.at - y.at)[0];
        if (named) {
            const key = KEY_OF_ARTIFACT[named.a];
            const found = files.find("VERSION", new RegExp(`^\\s*${key}=`), `${key} in VERSION sets the version of ${named.a}`);
            if (found) {
                return found;
            }
        }
    }
    const keys = CONFIG_KEYS_OF[finding.policy];
    if (keys) {
        const file = stackConfigFile(stack);
        // The key whose value the message quotes, else the policy's first key.
        const lines = files.lines(file) ?? [];
        const quoted = keys.find((k) => {
            const line = lines.find((l) => l.trimStart().startsWith(`${PROJECT}:${k}:`));
            const value = line
                ?.slice(line.indexOf(`${k}:`) + k.length + 1)
                .trim()
                .replace(/^"|"$/g, "");
            return value !== undefined && value !== "" && finding.message.includes(value);
        });
        const key = quoted ?? keys[0];
        const found = files.find(file, new RegExp(`^\\s*${PROJECT}:${key}:`), `${PROJECT}:${key} in ${file} sets what this policy checks`);
        if (found) {
            return found;
        }
    }
    const resource = finding.urn ? resources.get(finding.urn) : undefined;
    const key = resource?.type === TYPES.object ? resource.inputs.key : undefined;
    if (typeof key === "string" && key.startsWith("canonical/") && !key.includes("..")) {
        const found = files.start(key, `the canonical sync uploads ${key} from the repository's ${key}`);
        if (found) {
            return found;
        }
    }
    return declaringSource(files, finding.urn);
}
