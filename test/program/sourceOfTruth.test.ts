import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { changedPaths } from "../../artifacts/gitSource";
import { HANDLERS, copyProject, fakePackageIndex, git, hideChanges, tempDir, write } from "../helpers/fixtures";
import { evaluate, expectRejected, inputs, ofType, outputs } from "../helpers/program";
import { readZip } from "../helpers/zipReader";

/** The names inside an artifact's zip, found through the build manifest (its zip path is relative to the root). */
function zipNames(root: string, manifest: { artifacts: Record<string, { zip: string }> }, artifact: string): string[] {
    return readZip(fs.readFileSync(path.resolve(root, manifest.artifacts[artifact].zip))).map((e) => e.name);
}

describe("the repository is the single source of truth", () => {
    it("builds and syncs only what git tracks: an .env, an ignored log and an editor backup never ship", async () => {
        const root = copyProject({ git: true });
        assert.match(fs.readFileSync(path.join(root, ".gitignore"), "utf8"), /^\*\.log$/m, "the repository ignores *.log");
        write(root, "python-src/lambdas/ingest-v2/.env", "PUBMED_API_KEY=secret\n");
        write(root, "python-src/lambdas/ingest-v2/debug.log", "trace\n");
        write(root, "canonical/scopes/x.yaml~", "backup: true\n");
        const buildDir = tempDir("vectora-build-");
        const ev = await evaluate(root, "stage", { buildDir });
        const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, "manifest.json"), "utf8"));
        const names = zipNames(root, manifest, "ingest-v2");
        assert.ok(names.includes("handler.py"), names.join(", "));
        assert.ok(!names.some((n) => n.endsWith(".env") || n.endsWith("debug.log")), names.join(", "));
        const keys = ofType(ev, "aws:s3/bucketObjectv2:BucketObjectv2").map((r) => inputs(r).key);
        assert.ok(keys.includes("canonical/scopes/company_scopes.yaml"));
        assert.ok(!keys.some((k: string) => k.endsWith("~")), keys.join(", "));
        // Untracked files cannot change what is built, so the build is still the clean commit.
        assert.deepStrictEqual([manifest.commit, manifest.dirty], [git(root, "rev-parse", "HEAD"), false]);
        assert.deepStrictEqual(outputs(ev).source, { commit: git(root, "rev-parse", "HEAD"), dirty: false });
    });

    for (const [linked, display] of [
        ["python-src/lambdas/ingest-v2", "python-src/lambdas/ingest-v2"],
        ["python-src/lambdas", "python-src/lambdas/ingest-v2"],
        ["canonical", "canonical"],
    ]) {
        it(`refuses ${linked} committed as a symbolic link to a folder outside the repository`, async () => {
            const root = copyProject({ git: true });
            const outside = tempDir("vectora-outside-");
            fs.cpSync(path.join(root, linked), outside, { recursive: true });
            write(outside, ".env", "SECRET=1\n");
            fs.rmSync(path.join(root, linked), { recursive: true });
            fs.symlinkSync(outside, path.join(root, linked));
            git(root, "add", "-A");
            git(root, "commit", "-q", "-m", "link a source folder");
            // Dev builds the working tree, which follows the link and finds it leads outside.
            await expectRejected(
                root,
                "dev",
                new RegExp(`^${display}: a symbolic link on its path leads outside the repository \\(to .*vectora-outside-`),
                { deps: fakePackageIndex },
            );
            // Stage and prod build the commit, which holds the link itself.
            const commit = git(root, "rev-parse", "HEAD").slice(0, 12);
            await expectRejected(
                root,
                "stage",
                new RegExp(`^${linked}: is a symbolic link in commit ${commit}(, on the path to ${display})?; commit the files themselves`),
                {
                    deps: fakePackageIndex,
                },
            );
        });
    }

    it("builds stage from the commit: changes hidden by index flags or a clean filter, and an untracked link, never ship", async () => {
        const root = copyProject({ git: true });
        const handlers = HANDLERS;
        const committed = handlers.map((h) => git(root, "show", `HEAD:${h}`));
        hideChanges(root);
        assert.strictEqual(git(root, "status", "--porcelain", "--untracked-files=no"), "", "git status sees no change");
        for (const stack of ["stage", "prod"]) {
            const buildDir = tempDir("vectora-build-");
            await evaluate(root, stack, { buildDir, source: "unread" });
            const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, "manifest.json"), "utf8"));
            for (const [i, artifact] of ["ingest-v2", "normalize-score-v2", "newsletter-v2"].entries()) {
                const entries = readZip(fs.readFileSync(path.resolve(root, manifest.artifacts[artifact].zip)));
                // The handler, its smoke event and the build-info file the build writes; no hidden change, no link.
                assert.deepStrictEqual(
                    entries.map((e) => e.name),
                    ["handler.py", "smoke-event.json", "vectora-build.json"],
                    `${stack} ${artifact}`,
                );
                assert.strictEqual(entries[0].data.toString("utf8"), `${committed[i]}\n`, `${stack} ${artifact} holds the commit's bytes`);
            }
        }
        // Dev builds the working tree, hidden changes included (and says so when it deploys), but never an untracked link.
        const buildDir = tempDir("vectora-build-");
        await evaluate(root, "dev", { buildDir });
        const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, "manifest.json"), "utf8"));
        const ingest = readZip(fs.readFileSync(path.resolve(root, manifest.artifacts["ingest-v2"].zip)));
        assert.deepStrictEqual(
            ingest.map((e) => e.name),
            ["handler.py", "smoke-event.json", "vectora-build.json"],
        );
        assert.match(ingest[0].data.toString("utf8"), /# hidden by assume-unchanged\n$/);
    });

    it("refuses a symbolic link or a submodule committed inside a source folder for stage and prod, naming it", async () => {
        const root = copyProject({ git: true });
        fs.symlinkSync("handler.py", path.join(root, "python-src/lambdas/ingest-v2/alias.py"));
        git(root, "add", "-A");
        git(root, "commit", "-q", "-m", "a link");
        let commit = git(root, "rev-parse", "HEAD").slice(0, 12);
        await expectRejected(
            root,
            "stage",
            new RegExp(`^python-src/lambdas/ingest-v2/alias\\.py: is a symbolic link in commit ${commit}; commit the file itself`),
            {
                source: "unread",
            },
        );
        git(root, "rm", "-q", "python-src/lambdas/ingest-v2/alias.py");
        git(root, "update-index", "--add", "--cacheinfo", `160000,${git(root, "rev-parse", "HEAD")},python-src/lambdas/ingest-v2/vendor`);
        git(root, "commit", "-q", "-m", "a submodule");
        commit = git(root, "rev-parse", "HEAD").slice(0, 12);
        await expectRejected(
            root,
            "prod",
            new RegExp(`^python-src/lambdas/ingest-v2/vendor: is a submodule in commit ${commit}; commit its files`),
            {
                source: "unread",
            },
        );
    });

    it("refuses a stage or prod deploy from a tree that differs from its commit, naming the files; a preview goes on", async () => {
        const root = copyProject({ git: true });
        const handler = "python-src/lambdas/ingest-v2/handler.py";
        fs.appendFileSync(path.join(root, handler), "# hand edit\n");
        fs.rmSync(path.join(root, "canonical/scopes/technology_scopes.yaml"));
        const commit = git(root, "rev-parse", "HEAD").slice(0, 12);
        for (const stack of ["stage", "prod"]) {
            await expectRejected(
                root,
                stack,
                new RegExp(
                    `^refusing to deploy ${stack}: the working tree differs from commit ${commit} in ` +
                        `canonical/scopes/technology_scopes\\.yaml, python-src/lambdas/ingest-v2/handler\\.py; commit`,
                ),
                { preview: false, deps: fakePackageIndex },
            );
        }
        const preview = await evaluate(root, "stage");
        assert.deepStrictEqual(outputs(preview).source, { commit: git(root, "rev-parse", "HEAD"), dirty: true });
    });

    it("lets dev deploy a dirty tree, and says so", async () => {
        const root = copyProject({ git: true });
        fs.appendFileSync(path.join(root, "python-src/lambdas/ingest-v2/handler.py"), "# trying something\n");
        const warnings: string[] = [];
        const ev = await evaluate(root, "dev", { preview: false, deps: fakePackageIndex, warnings });
        assert.strictEqual(outputs(ev).source.dirty, true);
        assert.ok(
            warnings.some((w) =>
                /^deploying dev from a working tree that is not a clean commit \([0-9a-f]{12} with changes in python-src\/lambdas\/ingest-v2\/handler\.py\)/.test(
                    w,
                ),
            ),
            warnings.join("\n"),
        );
    });

    it("refuses stage and prod deploys outside a git checkout, and says so", async () => {
        await expectRejected(
            copyProject(),
            "prod",
            /^refusing to deploy prod: .* is not a git checkout, so the deploy could not be traced to a commit/,
            { preview: false, deps: fakePackageIndex },
        );
    });

    it("reads git's porcelain paths, renames included", () => {
        assert.deepStrictEqual(changedPaths(" M a.py\0R  new.yaml\0old.yaml\0D  gone.txt\0"), ["a.py", "gone.txt", "new.yaml"]);
    });
});
