import * as path from "path";
import { InputError } from "../lib/errors";
import { isEnv } from "../policy/contract/naming";
import { EXIT, Io, parseFlags, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";
import { stackOutputs } from "../pulumi/pulumiCli";
import { pulumiFor } from "./sandboxFlag";
import { takeSnapshot } from "../pulumi/snapshots";
import { ensureOutputDir } from "../lib/files";

const USAGE = "npm run snapshot -- --stack <dev|stage|prod> [--dir snapshots] [--sandbox] [--cwd DIR]";

/** `npm run snapshot`: saves a stack's state export and outputs, to roll back or audit later. */
export async function snapshot(argv: readonly string[], io: Io): Promise<number> {
    const { values: flags } = parseFlags(
        argv,
        { stack: { type: "string" }, dir: { type: "string" }, cwd: { type: "string" }, sandbox: { type: "boolean", default: false } },
        USAGE,
    );
    if (!flags.stack || !isEnv(flags.stack)) {
        throw new InputError(`${flags.stack ? `unknown stack "${flags.stack}"` : "missing --stack"}; usage: ${USAGE}`);
    }
    const root = projectRoot(flags.cwd);
    const dir = path.resolve(flags.dir ?? path.join(root, "snapshots"));
    ensureOutputDir(dir, "--dir");
    const pulumi = pulumiFor(flags.sandbox, root, io, `a snapshot reads stack ${flags.stack} through it`);
    const outputs = stackOutputs(pulumi, flags.stack, root);
    const files = takeSnapshot(pulumi, flags.stack, dir, root, outputs);
    io.out(`Snapshot of ${flags.stack}:\n    ${files.exportFile}\n    ${files.outputsFile}\n`);
    io.out(`Audit it with: npm run audit -- --state ${files.exportFile}\n`);
    return EXIT.ok;
}

if (require.main === module) {
    runMain(snapshot);
}
