import * as assert from "assert";
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { checkVersions } from "../../cli/checkVersions";
import type { Io } from "../../lib/command";
import { compareVersions, nextVersion } from "../../config/versionBumps";
import { REPO, copyProject, edit, git, noPackageIndex, tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";

const check = (argv: readonly string[], io: Io) => checkVersions(argv, io, { deps: noPackageIndex, buildDir: tempDir("vectora-cv-") });

const HANDLER = "python-src/lambdas/ingest-v2/handler.py";
const CLIENT = "canonical/clients/lai_weekly.yaml";

describe("npm run check-versions", () => {
    it("fails on a function changed without bumping its VERSION key, naming the key and the next patch, then passes bumped", async () => {
        const root = copyProject({ git: true });
        edit(root, HANDLER, (t) => `${t}# a fix\n`);
        const bad = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(bad.code, 1, bad.out + bad.err);
        assert.match(
            bad.out,
            /ERROR {2}ingest-v2: changed \(sha256 [0-9a-f]{16} -> [0-9a-f]{16}\) but INGEST_VERSION is still 1\.5\.0; bump it to 1\.5\.1\n/,
        );
        assert.match(bad.out, /1 change\(s\) without a version bump\./);
        // --head builds exactly the last commit: the uncommitted change is not part of it.
        const committed = await runIn(check, "--base", "HEAD", "--head", "--cwd", root);
        assert.strictEqual(committed.code, 0, committed.out + committed.err);
        edit(root, "VERSION", (t) => t.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.5.1"));
        const fixed = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(fixed.code, 0, fixed.out);
        assert.match(fixed.out, /Every change carries its version bump\./);
    });

    it("fails on a canonical change without CANONICAL_VERSION, and on a version that went down; notes a bump with no change", async () => {
        const root = copyProject({ git: true });
        edit(root, "canonical/scopes/company_scopes.yaml", (t) => `${t}# reviewed\n`);
        edit(root, "VERSION", (t) =>
            t.replace("NORMALIZE_VERSION=2.1.0", "NORMALIZE_VERSION=2.0.9").replace("NEWSLETTER_VERSION=1.8.0", "NEWSLETTER_VERSION=1.9.0"),
        );
        const run = await runIn(check, "--base", "HEAD", "--cwd", root, "--json");
        assert.strictEqual(run.code, 1, run.out + run.err);
        const findings = JSON.parse(run.out).findings.map(
            (f: { level: string; name: string; message: string }) => `${f.level} ${f.name}: ${f.message}`,
        );
        assert.deepStrictEqual(
            findings.sort(),
            [
                "error normalize-score-v2: NORMALIZE_VERSION went down from 2.1.0 to 2.0.9; versions only move forward",
                "note newsletter-v2: NEWSLETTER_VERSION moved from 1.8.0 to 1.9.0 with no change in its content",
                findings.find((f: string) => f.startsWith("error canonical:")),
            ].sort(),
        );
        assert.match(
            findings.find((f: string) => f.startsWith("error canonical:")),
            /but CANONICAL_VERSION is still 1\.1; bump it to 1\.2$/,
        );
    });

    it("asks a changed client config for a new version with its changelog entry", async () => {
        const root = copyProject({ git: true });
        edit(root, CLIENT, (t) => t.replace("min_score: 12", "min_score: 14"));
        edit(root, "VERSION", (t) => t.replace("CANONICAL_VERSION=1.1", "CANONICAL_VERSION=1.2"));
        const bad = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(bad.code, 1, bad.out);
        assert.match(
            bad.out,
            /canonical\/clients\/lai_weekly\.yaml: changed .* but version is still 1\.3\.0; bump it to 1\.3\.1, with a metadata\.changelog entry for it/,
        );
        edit(root, CLIENT, (t) =>
            t
                .replace('version: "1.3.0"\n', 'version: "1.3.1"\n')
                .replace(
                    "  changelog:\n",
                    '  changelog:\n    - version: "1.3.1"\n      date: "2026-11-23"\n      changes: Stricter scoring.\n',
                ),
        );
        const fixed = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(fixed.code, 0, fixed.out + fixed.err);
    });

    it("asks a changed client config written in JSON for a new version too", async () => {
        const root = copyProject({ git: true });
        const client = (minScore: number) =>
            JSON.stringify({
                client_id: "acme_daily",
                version: "1.0.0",
                min_score: minScore,
                metadata: { changelog: [{ version: "1.0.0", date: "2026-11-23", changes: "First version." }] },
            });
        write(root, "canonical/clients/acme_daily.json", client(10));
        git(root, "add", "-A");
        git(root, "commit", "-qm", "acme_daily in JSON");
        write(root, "canonical/clients/acme_daily.json", client(12));
        edit(root, "VERSION", (t) => t.replace("CANONICAL_VERSION=1.1", "CANONICAL_VERSION=1.2"));
        const bad = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(bad.code, 1, bad.out);
        assert.match(bad.out, /canonical\/clients\/acme_daily\.json: changed .* but version is still 1\.0\.0; bump it to 1\.0\.1/);
    });

    it("builds the base in a worktree of its own: the user's tree and git's worktree list are left as they were", async () => {
        const root = copyProject({ git: true });
        edit(root, HANDLER, (t) => `${t}# work in progress\n`);
        const status = git(root, "status", "--porcelain");
        await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(git(root, "status", "--porcelain"), status);
        assert.strictEqual(git(root, "worktree", "list").split("\n").length, 1);
        assert.match(fs.readFileSync(path.join(root, HANDLER), "utf8"), /# work in progress\n$/);
    });

    it("still compares a base the current checks refuse, by the files it is made of, and says so", async () => {
        const root = copyProject({ git: true });
        // A base from before a check: a canonical file with a key given twice, which this code refuses.
        write(root, "canonical/scopes/extra.yaml", "a: 1\na: 2\n");
        git(root, "add", "-A");
        git(root, "commit", "-qm", "a file today's checks refuse");
        // The pull request fixes the file; the canonical set changed, so CANONICAL_VERSION must move.
        write(root, "canonical/scopes/extra.yaml", "a: 2\n");
        const unbumped = await runIn(check, "--base", "HEAD", "--cwd", root, "--json");
        assert.strictEqual(unbumped.code, 1, unbumped.out + unbumped.err);
        const findings = JSON.parse(unbumped.out).findings.map(
            (f: { level: string; name: string; message: string }) => `${f.level} ${f.name}: ${f.message}`,
        );
        assert.strictEqual(findings.length, 2, findings.join("\n"));
        assert.match(
            findings[0],
            /^note canonical: the base HEAD \([0-9a-f]{12}\) cannot be built by the current checks \(canonical\/scopes\/extra\.yaml:2:1: invalid YAML: Map keys must be unique\); compared by the files it is made of$/,
        );
        assert.match(
            findings[1],
            /^error canonical: changed \(sha256 [0-9a-f]{16} -> [0-9a-f]{16}\) but CANONICAL_VERSION is still 1\.1; bump it to 1\.2$/,
        );
        edit(root, "VERSION", (t) => t.replace("CANONICAL_VERSION=1.1", "CANONICAL_VERSION=1.2"));
        const bumped = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(bumped.code, 0, bumped.out + bumped.err);
        assert.match(bumped.out, /note +canonical: the base HEAD .* cannot be built by the current checks/);
        // What the base can still build is compared as before: a function changed without its bump fails.
        edit(root, HANDLER, (t) => `${t}# a fix\n`);
        const fn = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(fn.code, 1, fn.out);
        assert.match(fn.out, /ERROR {2}ingest-v2: changed .* but INGEST_VERSION is still 1\.5\.0/);
    });

    it("removes worktrees an earlier run left behind (no owner, or an owner that is gone), and keeps a running one's", async () => {
        const root = copyProject({ git: true });
        const parent = path.join(root, ".build", "check-versions");
        const gone = childProcess.spawnSync("true").pid;
        for (const [name, owner] of [
            ["base-killed", String(gone)],
            ["base-old-version", undefined],
            ["base-running", String(process.pid === 1 ? 2 : 1)],
        ] as const) {
            git(root, "worktree", "add", "--detach", "--quiet", path.join(parent, name), "HEAD");
            if (owner !== undefined) {
                fs.writeFileSync(path.join(parent, `${name}.pid`), owner);
            }
        }
        assert.strictEqual(git(root, "worktree", "list").trim().split("\n").length, 4);
        const run = await runIn(check, "--base", "HEAD", "--cwd", root);
        assert.strictEqual(run.code, 0, run.out + run.err);
        const left = fs.readdirSync(parent).filter((n) => n.startsWith("base-"));
        assert.deepStrictEqual(left.sort(), ["base-running", "base-running.pid"]);
        assert.strictEqual(git(root, "worktree", "list").trim().split("\n").length, 2);
    });

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        it(`removes its worktree when interrupted (${signal}) and ends as interrupted`, async function () {
            this.timeout(120_000);
            const root = copyProject();
            // A base slow enough to be caught while it builds: 40 MB that do not compress.
            write(root, "python-src/layers/vectora-core/vectora_core/weights.bin", crypto.randomBytes(40 * 1024 * 1024));
            fs.copyFileSync(path.join(REPO, ".gitignore"), path.join(root, ".gitignore"));
            git(root, "init", "-q");
            git(root, "add", "-A");
            git(root, "commit", "-q", "-m", "base");
            const child = childProcess.spawn(
                process.execPath,
                [path.join(REPO, ".build", "cli", "checkVersions.js"), "--base", "HEAD", "--cwd", root],
                {
                    env: { ...process.env, VECTORA_SKIP_DEPS: "1" },
                    stdio: "ignore",
                },
            );
            const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
                child.on("exit", (code, sig) => resolve({ code, signal: sig })),
            );
            const parent = path.join(root, ".build", "check-versions");
            const worktree = () => (fs.existsSync(parent) ? fs.readdirSync(parent).filter((n) => /^base-[^.]+$/.test(n)) : []);
            const deadline = Date.now() + 60_000;
            while (worktree().length === 0 || !fs.existsSync(path.join(parent, worktree()[0], "VERSION"))) {
                assert.ok(Date.now() < deadline, "the worktree never appeared");
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            child.kill(signal);
            assert.deepStrictEqual(await exited, { code: null, signal });
            assert.deepStrictEqual(
                fs.readdirSync(parent).filter((n) => n.startsWith("base-")),
                [],
            );
            assert.strictEqual(git(root, "worktree", "list").trim().split("\n").length, 1);
        });
    }

    it("exits 2 with one line on a missing or unknown --base, and outside a git checkout", async () => {
        const root = copyProject({ git: true });
        const cases: Array<[string[], RegExp]> = [
            [["--cwd", root], /^error: missing --base <git ref>/],
            [["--base", "no-such-branch", "--cwd", root], /^error: --base no-such-branch: not a commit of this repository; fetch it first/],
            [["--base", "HEAD", "--cwd", copyProject()], /^error: .* is not a git checkout; check-versions compares two commits/],
        ];
        for (const [argv, pattern] of cases) {
            const run = await runIn(check, ...argv);
            assert.strictEqual(run.code, 2, run.out + run.err);
            assert.match(run.err, pattern);
            assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
        }
    });

    it("orders versions as semver does, and proposes the next one", () => {
        assert.ok(compareVersions("1.10.0", "1.9.9") > 0);
        assert.ok(compareVersions("2.0.0-rc.1", "2.0.0") < 0);
        assert.ok(compareVersions("2.0.0-rc.2", "2.0.0-rc.10") < 0);
        assert.ok(compareVersions("2.0.0-alpha", "2.0.0-1") > 0);
        assert.strictEqual(compareVersions("1.1", "1.1.0"), 0);
        assert.deepStrictEqual(["1.5.0", "1.1", "2.0.0-rc.1", "2.0.0-beta"].map(nextVersion), [
            "1.5.1",
            "1.2",
            "2.0.0-rc.2",
            "2.0.0-beta.1",
        ]);
    });
});
