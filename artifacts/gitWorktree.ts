import * as fs from "fs";
import * as path from "path";
import { runGit } from "./gitSource";

/**
 * Commits checked out in git worktrees of their own, never in the user's tree: check-versions builds its base there,
 * rollback deploys an earlier release from there. Each run's worktree is `<parent>/<prefix>-XXXXXX`, beside
 * `<dir>.pid` (the process that owns it), so that a later run can remove what a killed run left behind. The parent
 * lies under the checkout's `.build/`: Node's upward search from a worktree then finds the checkout's node_modules.
 */

/** Where one command keeps its worktrees: a folder of the checkout, and the prefix of each worktree's name. */
export interface WorktreePlace {
    /** The repository the worktrees belong to. */
    readonly root: string;
    readonly parent: string;
    /** Names that start with `<prefix>-` are this command's worktrees (other entries of `parent` are left alone). */
    readonly prefixes: readonly string[];
}

/** Removes one worktree: git's record of it, its folder and its owner file. */
function removeWorktree(root: string, dir: string): void {
    runGit(root, ["worktree", "remove", "--force", dir]);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(`${dir}.pid`, { force: true });
}

/** True when a process of that id is running (signal 0 only asks). */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Worktrees an earlier run left behind (killed before it could clean up, or by an older version without an owner
 * file): removed, with git's records of them, unless the run that made them is still going. Returns their names.
 */
export function pruneWorktrees(place: WorktreePlace): string[] {
    const removed: string[] = [];
    const entries = fs.existsSync(place.parent) ? fs.readdirSync(place.parent, { withFileTypes: true }) : [];
    const ours = new RegExp(`^(${place.prefixes.join("|")})-`);
    for (const entry of entries.filter((e) => e.isDirectory() && ours.test(e.name))) {
        const dir = path.join(place.parent, entry.name);
        const owner = Number(fs.existsSync(`${dir}.pid`) ? fs.readFileSync(`${dir}.pid`, "utf8") : NaN);
        if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
            continue;
        }
        removeWorktree(place.root, dir);
        removed.push(entry.name);
    }
    runGit(place.root, ["worktree", "prune"]);
    return removed;
}

/**
 * Runs `work` in a detached worktree of `commit`, removed afterwards, and removed too when the run is interrupted
 * (SIGINT, SIGTERM): the handlers are in place before the worktree exists, and the signal is raised again once it is
 * gone, so that the command still ends as interrupted. `prefix` must be one of the place's prefixes.
 */
export async function inWorktree<T>(place: WorktreePlace, prefix: string, commit: string, work: (dir: string) => Promise<T>): Promise<T> {
    fs.mkdirSync(place.parent, { recursive: true });
    let dir: string | undefined;
    const cleanUp = () => {
        if (dir !== undefined) {
            removeWorktree(place.root, dir);
            runGit(place.root, ["worktree", "prune"]);
            dir = undefined;
        }
    };
    const onSignal = (signal: NodeJS.Signals) => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        cleanUp();
        process.kill(process.pid, signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
        dir = fs.mkdtempSync(path.join(place.parent, `${prefix}-`));
        fs.writeFileSync(`${dir}.pid`, String(process.pid));
        const added = runGit(place.root, ["worktree", "add", "--detach", "--quiet", dir, commit]);
        if (!added.ok) {
            throw new Error(`git worktree add failed: ${added.err}`);
        }
        return await work(dir);
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        cleanUp();
    }
}

/** The full id of a commit this repository holds, or undefined (not a commit, or not fetched here). */
export function commitIn(root: string, commit: string): string | undefined {
    const resolved = runGit(root, ["rev-parse", "--verify", "--quiet", `${commit}^{commit}`]);
    return resolved.ok ? resolved.out.trim() : undefined;
}
