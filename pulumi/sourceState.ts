import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InputError } from "../lib/errors";
import { Evidence, evidenceFromExport, releaseDigest } from "../policy/contract/evidence";
import { GATES, GatedEnv, PACK_CONFIG_FILE, pinIn, readPolicyConfig } from "../policy/contract/pins";
import { OFFLINE_EXPORTS_VARIABLE, StackTagsRead } from "../policy/contract/stackState";
import { StackTags, formatAttestation, smokeTagName } from "../policy/contract/attestation";
import { TYPES } from "../policy/contract/resourceTypes";
import { readJsonObject } from "../config/jsonFile";
import { ownStack } from "../policy/contract/pins";
import { readExportFile } from "./stackExports";

/**
 * The state of the stack a gated environment takes its artifacts from, for runs without the Pulumi CLI (the
 * offline preview): an export file the user gives, or the state a deploy of this very commit to that stack would
 * leave (simulated). The program and the pack both read it: the pack through a map file that only runs without a
 * Pulumi CLI honour.
 */
export interface OfflineSource {
    /** The pinned source stack's fully qualified name. */
    readonly stack: string;
    /** Where its state came from, for the preview's output. */
    readonly description: string;
    readonly readEvidence: (stack: string) => Promise<Evidence>;
    /** The tags of the source stack (its smoke attestations) and of the gated stack itself (none, offline). */
    readonly readTags: (stack: string) => Promise<StackTagsRead>;
    /** Variables for the pack's environment. */
    readonly packEnv: Readonly<Record<string, string>>;
    /** Removes the temporary files. */
    readonly dispose: () => void;
}

/** The stack the pack pins for a gated environment (its own policy-config.json). */
export function pinnedStack(packDir: string, env: GatedEnv): string {
    const file = path.join(packDir, PACK_CONFIG_FILE);
    const doc = readPolicyConfig(file);
    const pinned = typeof doc === "string" ? { problem: doc } : pinIn(doc, env, file);
    if (typeof pinned !== "string") {
        throw new InputError(pinned.problem);
    }
    return pinned;
}

/** Evidence of nothing read, for a source stack's own gate while it is only simulated. */
export function unreadEvidence(stack: string): Evidence {
    return {
        stack,
        artifacts: {},
        canonicalFiles: {},
        problems: [`${stack} is not read by an offline simulation`],
        digest: releaseDigest({}),
    };
}

/**
 * The source state of a gated stack for an offline run: `file` (a `pulumi stack export` of the source), or the
 * export `simulate` returns (this commit deployed to the source, under the simulated AWS).
 */
export async function offlineSource(
    env: GatedEnv,
    project: string,
    packDir: string,
    file: string | undefined,
    simulate: () => Promise<Record<string, unknown>>,
    tagsFile?: string,
): Promise<OfflineSource> {
    const stack = pinnedStack(packDir, env);
    const source = GATES[env].source;
    let doc: Record<string, unknown>;
    let description: string;
    let tags: StackTags;
    if (file !== undefined) {
        doc = readExportFile(file, project, source, "--source-state");
        tags = tagsFile === undefined ? {} : readTagsFile(tagsFile);
        description =
            `${source} state read from ${file}` +
            (tagsFile === undefined ? ` (no --source-tags: no smoke test of ${source} on record)` : `, its tags from ${tagsFile}`);
    } else {
        // A deploy of this commit that passed its smoke test and soaked: what the gates ask for, assumed, and said. Fixed
        // dates keep the preview's output the same from one run to the next.
        doc = aged(await simulate(), SIMULATED_SINCE);
        const digest = evidenceFromExport(doc, stack).digest;
        tags = { [smokeTagName(digest)]: formatAttestation({ result: "pass", at: SIMULATED_TESTED, digest }) };
        description =
            `${source} state simulated offline as a deploy of this commit (Pulumi.${source}.yaml) that passed its smoke test and ` +
            `has run since ${SIMULATED_SINCE.slice(0, 10)} (simulated dates), not read from the deployed ${source} stack; pass ` +
            `--source-state FILE (pulumi stack export --stack ${source}) and --source-tags FILE (pulumi stack tag ls --stack ` +
            `${source} --json) to gate against what ${source} really runs and passed`;
    }
    const own = ownStack(env, stack);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vectora-source-"));
    fs.writeFileSync(path.join(dir, "source.export.json"), JSON.stringify(doc));
    fs.writeFileSync(path.join(dir, "source.tags.json"), JSON.stringify(tags));
    fs.writeFileSync(path.join(dir, "own.tags.json"), "{}");
    fs.writeFileSync(
        path.join(dir, "exports.json"),
        JSON.stringify({ [stack]: { export: "source.export.json", tags: "source.tags.json" }, [own]: { tags: "own.tags.json" } }),
    );
    const evidence = evidenceFromExport(doc, stack);
    return {
        stack,
        description,
        readEvidence: async (name) => (name === stack ? evidence : unreadEvidence(name)),
        readTags: async (name) => ({ ok: true, tags: name === stack ? tags : {} }),
        packEnv: { [OFFLINE_EXPORTS_VARIABLE]: path.join(dir, "exports.json") },
        dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** The simulated source's history: deployed, then tested a minute later, long enough ago to have soaked. */
const SIMULATED_SINCE = "2000-01-01T00:00:00.000Z";
const SIMULATED_TESTED = "2000-01-01T00:01:00.000Z";

/** An export whose functions and layer versions AWS last wrote at `since` (a simulated history). */
export function aged(doc: Record<string, unknown>, since: string = SIMULATED_SINCE): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(doc)) as {
        deployment?: { resources?: Array<{ type?: string; outputs?: Record<string, unknown> }> };
    };
    for (const r of copy.deployment?.resources ?? []) {
        if (r.outputs && r.type === TYPES.function) {
            r.outputs.lastModified = since;
        } else if (r.outputs && r.type === TYPES.layerVersion) {
            r.outputs.createdDate = since;
        }
    }
    return copy as Record<string, unknown>;
}

/** A `pulumi stack tag ls --json` file given on the command line. */
function readTagsFile(file: string): StackTags {
    const expected = "a JSON object of tag names to values (pulumi stack tag ls --stack <source> --json)";
    const doc = readJsonObject(file, expected);
    if (!Object.values(doc).every((v) => typeof v === "string")) {
        throw new InputError(
            `--source-tags ${file}: expected a JSON object of tag names to values (pulumi stack tag ls --stack <source> --json)`,
        );
    }
    return doc as StackTags;
}

/** Program options of a simulated source deploy: its own gate is not read (it is only simulated). */
export function simulatedSourceOptions(): {
    readonly readEvidence: (stack: string) => Promise<Evidence>;
    readonly readTags: (stack: string) => Promise<StackTagsRead>;
} {
    return { readEvidence: async (stack) => unreadEvidence(stack), readTags: async () => ({ ok: true, tags: {} }) };
}
