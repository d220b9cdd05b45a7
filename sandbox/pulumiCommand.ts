import * as path from "path";
import { InputError } from "../lib/errors";
import { SIMULATED_ACCOUNT } from "../simulation/simulatedAws";
import { cwdOf, sandboxCli } from "./workspace";
import { EXIT, Io, runMain } from "../lib/command";
import { projectRoot } from "../config/projectRoot";
import { pulumiRun } from "../pulumi/pulumiCli";

export const SANDBOX_USAGE =
    "npm run sandbox -- <pulumi arguments>   (e.g. up --stack stage " +
    "--policy-pack policy --policy-pack-config policy/policy-config.json --yes)";

/**
 * `npm run sandbox -- <pulumi arguments>`: the real Pulumi CLI (the user's own when it is the SDK's version,
 * else one built from Pulumi's Go modules) with a local file backend, a PULUMI_HOME of its own and the
 * simulated AWS account under .build/sandbox/. The dev, stage and prod stacks exist from the first run.
 */
export async function sandbox(argv: readonly string[], io: Io): Promise<number> {
    if (argv.length === 0 || (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h"))) {
        if (argv.length === 0) {
            throw new InputError(`missing pulumi arguments; usage: ${SANDBOX_USAGE}`);
        }
        io.out(
            `usage: ${SANDBOX_USAGE}\nRuns the real Pulumi CLI against a local backend and a simulated AWS account (.build/sandbox/).\n`,
        );
        return EXIT.ok;
    }
    const root = projectRoot(cwdOf(argv));
    const cli = sandboxCli(root, (line) => io.err(`sandbox: ${line}\n`));
    const rel = (p: string) => path.relative(process.cwd(), p) || ".";
    io.err(
        `sandbox: ${cli.label} ${rel(cli.bin)}, local backend ${rel(path.join(root, ".build", "sandbox", "state"))}, ` +
            `simulated AWS account ${SIMULATED_ACCOUNT}\n`,
    );
    return pulumiRun(cli, argv, root, io);
}

if (require.main === module) {
    runMain(sandbox);
}
