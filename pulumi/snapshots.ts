import * as fs from "fs";
import * as path from "path";
import { PulumiCli, pulumiRead } from "./pulumiCli";
import { ensureOutputDir } from "../lib/files";

/** Files of one snapshot: the state export and the stack outputs, taken together. */
export interface Snapshot {
    readonly exportFile: string;
    readonly outputsFile: string;
}

/** `2026-01-30T08-02-11Z`: sortable, and valid in a file name everywhere. */
export function snapshotStamp(date: Date): string {
    return date
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/:/g, "-");
}

/**
 * Saves what is needed to go back to a stack's current state before it changes: `pulumi stack export`
 * (secrets stay encrypted) and its outputs, under `<dir>/<stack>-<UTC time>.{export,outputs}.json`.
 * `npm run audit --state` and `npm run compare` read these files.
 */
export function takeSnapshot(
    pulumi: PulumiCli,
    stack: string,
    dir: string,
    cwd: string,
    outputs: Record<string, unknown>,
    now = new Date(),
): Snapshot {
    // promote's --snapshot-dir (snapshot checks its --dir before it reads anything).
    ensureOutputDir(dir, "--snapshot-dir");
    const base = path.join(dir, `${stack}-${snapshotStamp(now)}`);
    const exported = pulumiRead(pulumi, ["stack", "export", "--stack", stack], cwd);
    const snapshot = { exportFile: `${base}.export.json`, outputsFile: `${base}.outputs.json` };
    fs.writeFileSync(snapshot.exportFile, exported.endsWith("\n") ? exported : `${exported}\n`);
    fs.writeFileSync(snapshot.outputsFile, `${JSON.stringify(outputs, null, 2)}\n`);
    return snapshot;
}
