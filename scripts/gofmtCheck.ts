import * as childProcess from "child_process";
import * as path from "path";
import { findProjectRoot } from "../config/projectRoot";
import { onPath } from "../lib/executables";

/**
 * Part of `npm run lint`: the sandbox's Go source (its language host) is gofmt-clean. Without Go the check
 * cannot run, and says so: the sandbox then uses a pulumi found on PATH and never builds that source.
 */
function main(): number {
    const dir = path.join(findProjectRoot(__dirname), "sandbox", "engine");
    const gofmt = onPath("gofmt");
    if (!gofmt) {
        process.stderr.write("gofmt is not on PATH: the Go source under sandbox/engine was not format-checked\n");
        return 0;
    }
    const result = childProcess.spawnSync(gofmt, ["-l", dir], { encoding: "utf8" });
    const files = result.stdout.split("\n").filter((f) => f !== "");
    if (result.status !== 0 || files.length > 0) {
        process.stderr.write(`gofmt: ${files.length ? `not formatted: ${files.join(", ")} (npm run format)` : result.stderr.trim()}\n`);
        return 1;
    }
    return 0;
}

process.exitCode = main();
