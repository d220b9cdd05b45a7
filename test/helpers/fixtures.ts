import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findProjectRoot } from "../../config/projectRoot";
import type { DepsInstaller } from "../../artifacts/pythonDeps";

/** The repository under test (tests run from .build/test, compiled). */
export const REPO = findProjectRoot(__dirname);

const created: string[] = [];
process.on("exit", () => {
    for (const dir of created) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/**
 * A fresh temporary folder, removed when the test process ends. `insideRepo` puts it under .build/ for
 * what must resolve the repository's node_modules (a stand-in policy pack).
 */
export function tempDir(prefix = "vectora-test-", insideRepo = false): string {
    const base = insideRepo ? path.join(REPO, ".build", "tmp") : os.tmpdir();
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, prefix));
    created.push(dir);
    return dir;
}

/** What a project copy holds: the program's inputs, not its code. */
const PROJECT_INPUTS = [
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "Pulumi.stage.yaml",
    "Pulumi.prod.yaml",
    "VERSION",
    "canonical",
    "python-src",
    // It pins the stacks the promotion gates of stage and prod read.
    "policy/policy-config.json",
];

/** A copy of the repository's inputs in a temporary folder, for tests that break them. */
export function copyProject(options: { git?: boolean } = {}): string {
    const dir = tempDir("vectora-project-");
    for (const entry of PROJECT_INPUTS) {
        fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    }
    fs.rmSync(path.join(dir, "python-src", "tests"), { recursive: true, force: true });
    if (options.git) {
        // As in the repository: what builds write is ignored.
        fs.copyFileSync(path.join(REPO, ".gitignore"), path.join(dir, ".gitignore"));
        git(dir, "init", "-q");
        git(dir, "add", "-A");
        git(dir, "commit", "-q", "-m", "copy of the project");
    }
    return dir;
}

/** Runs git in a folder with a fixed identity; fails the test with git's own message. */
export function git(dir: string, ...args: string[]): string {
    const run = childProcess.spawnSync(
        "git",
        ["-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false", ...args],
        {
            cwd: dir,
            encoding: "utf8",
        },
    );
    if (run.status !== 0) {
        throw new Error(`git ${args.join(" ")} in ${dir} failed (git is needed by this test): ${(run.stderr || String(run.error)).trim()}`);
    }
    return run.stdout.trim();
}

/** Rewrites a text file under a root (a test breaks or changes one file at a time). */
export function edit(root: string, rel: string, change: (text: string) => string): void {
    const file = path.join(root, rel);
    fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
}

/** Writes a file under a root, creating folders. */
export function write(root: string, rel: string, content: string | Buffer): string {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
}

/** A machine without a Python package index: pip fails, as on CI. */
export const noPackageIndex: DepsInstaller = () => ({ ok: false, reason: "pip exited with 1: ERROR: no package index (test)" });

/** A package index that installs two small fake packages, for the complete-layer path. */
export const fakePackageIndex: DepsInstaller = (_requirements, target) => {
    write(target, "python/yaml/__init__.py", "__version__ = '6.0.2'\n");
    write(target, "python/requests/__init__.py", "__version__ = '2.32.3'\n");
    write(target, "python/requests/__pycache__/x.cpython-312.pyc", "bytecode");
    return { ok: true };
};

/** The sha256 of a file, computed here with node's crypto alone (never with the code under test). */
export function sha256Of(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The three handlers, relative to the repository root. */
export const HANDLERS = ["ingest-v2", "normalize-score-v2", "newsletter-v2"].map((f) => `python-src/lambdas/${f}/handler.py`);

/**
 * Changes the three handlers so that `git status` shows nothing, as the issue that made stage and prod build from
 * the commit found it done: an `--assume-unchanged` flag, a `--skip-worktree` flag, a clean filter in
 * .git/info/attributes (the change staged through it), and an untracked link to a tracked file in a source folder.
 * Returns what puts the checkout back.
 */
export function hideChanges(root: string): () => void {
    fs.appendFileSync(path.join(root, HANDLERS[0]), "# hidden by assume-unchanged\n");
    git(root, "update-index", "--assume-unchanged", HANDLERS[0]);
    fs.appendFileSync(path.join(root, HANDLERS[1]), "# hidden by skip-worktree\n");
    git(root, "update-index", "--skip-worktree", HANDLERS[1]);
    write(root, ".git/info/attributes", "*.py filter=hide\n");
    git(root, "config", "filter.hide.clean", "sed -e '/# hidden by a filter/d'");
    fs.appendFileSync(path.join(root, HANDLERS[2]), "# hidden by a filter\n");
    // Staged through the filter: the index holds the committed blob, the file on disk the hidden line.
    git(root, "add", HANDLERS[2]);
    const link = path.join(root, "python-src/lambdas/ingest-v2/extra.py");
    fs.symlinkSync(path.join(root, "python-src/layers/vectora-core/vectora_core/settings.py"), link);
    return () => {
        git(root, "update-index", "--no-assume-unchanged", HANDLERS[0]);
        git(root, "update-index", "--no-skip-worktree", HANDLERS[1]);
        fs.rmSync(path.join(root, ".git/info/attributes"));
        fs.rmSync(link);
        // Removed first: the filter staged the third handler with the stat of the changed file, so a plain checkout
        // would find it "up to date" and leave the hidden line on disk (and in the next dev deploy).
        for (const handler of HANDLERS) {
            fs.rmSync(path.join(root, handler));
        }
        git(root, "checkout", "-q", "--", ...HANDLERS);
    };
}
