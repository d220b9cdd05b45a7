import { projectRoot } from "../config/projectRoot";
import { EXIT, Io, runMain } from "../lib/command";
import { OPEN_SANDBOX, SANDBOX_ROOT_VARIABLE, pulumiRun } from "../pulumi/pulumiCli";
import { cwdOf, sandboxCli } from "./workspace";

/**
 * The sandbox's pulumi for the workflow commands' `--sandbox` (promote, compare, snapshot, drift), which run this
 * file as a child process instead of importing the sandbox (cli/sandboxFlag.ts). `<pulumi arguments>` runs the real
 * CLI in the sandbox with nothing added to what it prints (`npm run sandbox` adds a header line) and exits with its
 * code; `--open` alone only opens the sandbox (builds the CLI on first use, creates the stacks), printing what that
 * says.
 */
export async function pulumiForCommands(argv: readonly string[], io: Io): Promise<number> {
    // The program's folder (where the CLI runs) and the project whose sandbox holds the stacks are the same folder,
    // except under rollback: an earlier commit's worktree deployed to this project's stacks, with its config.
    const programDir = projectRoot(cwdOf(argv));
    const given = process.env[SANDBOX_ROOT_VARIABLE];
    const root = given ? projectRoot(given) : programDir;
    const cli = sandboxCli(root, (line) => io.err(`sandbox: ${line}\n`));
    if (argv.length === 1 && argv[0] === OPEN_SANDBOX) {
        return EXIT.ok;
    }
    return pulumiRun(cli, argv, programDir, io);
}

if (require.main === module) {
    runMain(pulumiForCommands);
}
