import { findProjectRoot } from "../config/projectRoot";
import { ensureEngine } from "../pulumi/cliBuild";

/**
 * Part of `npm test`, before mocha: finds or builds the pinned Pulumi CLI once, so that no test's time bound
 * includes a first build (4 to 9 minutes on 2 cores) and the parallel test workers never wait on one another's
 * build. When it cannot be built, it says why and lets the tests run: each engine test then fails with that line.
 */
function main(): number {
    try {
        ensureEngine(findProjectRoot(__dirname), (line) => process.stderr.write(`engine: ${line}\n`));
    } catch (e) {
        process.stderr.write(`engine: ${(e as Error).message.split("\n")[0]} (every engine test will fail with this)\n`);
    }
    return 0;
}

process.exitCode = main();
