import * as fs from "fs";
import * as path from "path";
import { runGit } from "../artifacts/gitSource";

/**
 * A copy of a checkout, for runs of the real engine that must not touch it (tests, the benchmark): the files
 * git lists (tracked, and new files it does not ignore) committed in a repository of its own, so that stage
 * and prod deploy from a clean commit as they would from a clone; node_modules linked, and what a build would
 * only repeat (installed Python packages, the pack's compiled code) copied from the checkout's .build/.
 */
export function copyCheckout(repo: string, dest: string): string {
    const listed = runGit(repo, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
    if (!listed.ok) {
        throw new Error(`copying ${repo} needs git ls-files, which failed: ${listed.err}`);
    }
    for (const file of listed.out.split("\0").filter((f) => f !== "" && fs.existsSync(path.join(repo, f)))) {
        fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
        fs.copyFileSync(path.join(repo, file), path.join(dest, file));
    }
    commitAll(dest, `copy of ${repo}`);
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dest, "node_modules"));
    for (const dir of [".build/cache/deps", "policy/bin"]) {
        const from = path.join(repo, dir);
        if (fs.existsSync(from)) {
            fs.cpSync(from, path.join(dest, dir), { recursive: true });
        }
    }
    return dest;
}

/** Makes `dir` a git repository whose one commit holds every file in it. */
function commitAll(dir: string, message: string): void {
    const identity = ["-c", "user.name=vectora sandbox", "-c", "user.email=sandbox@localhost", "-c", "commit.gpgsign=false"];
    for (const args of [
        ["init", "-q"],
        ["add", "-A"],
        [...identity, "commit", "-q", "--no-verify", "-m", message],
    ]) {
        const run = runGit(dir, args);
        if (!run.ok) {
            throw new Error(`git ${args.join(" ")} in ${dir} failed: ${run.err}`);
        }
    }
}
