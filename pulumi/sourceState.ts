import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InputError } from "../lib/errors";
import { Evidence, evidenceFromExport, releaseDigest } from "../policy/contract/evidence";
import { GATES, GatedEnv, PACK_CONFIG_FILE, pinIn, readPolicyConfig } from "../policy/contract/pins";
import { OFFLINE_EXPORTS_VARIABLE } from "../policy/contract/stackState";
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
): Promise<OfflineSource> {
    const stack = pinnedStack(packDir, env);
    const source = GATES[env].source;
    let doc: Record<string, unknown>;
    let description: string;
    if (file !== undefined) {
        doc = readExportFile(file, project, source, "--source-state");
        description = `${source} state read from ${file}`;
    } else {
        doc = await simulate();
        description =
            `${source} state simulated offline as a deploy of this commit (Pulumi.${source}.yaml), not read from the deployed ${source} ` +
            `stack; pass --source-state FILE (pulumi stack export --stack ${source}) to gate against what ${source} really runs`;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vectora-source-"));
    fs.writeFileSync(path.join(dir, "source.export.json"), JSON.stringify(doc));
    fs.writeFileSync(path.join(dir, "exports.json"), JSON.stringify({ [stack]: "source.export.json" }));
    const evidence = evidenceFromExport(doc, stack);
    return {
        stack,
        description,
        readEvidence: async (name) => (name === stack ? evidence : unreadEvidence(name)),
        packEnv: { [OFFLINE_EXPORTS_VARIABLE]: path.join(dir, "exports.json") },
        dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** Program options of a simulated source deploy: its own gate is not read (it is only simulated). */
export function simulatedSourceOptions(): { readonly readEvidence: (stack: string) => Promise<Evidence> } {
    return { readEvidence: async (stack) => unreadEvidence(stack) };
}
