import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { overlayPart, parsePart, partSources, prodRefusal, withVersionLine } from "../../cli/restore";
import { evidenceFromExport } from "../../policy/contract/evidence";
import { parseTo, releaseFromSnapshot, releaseFromTags, rollback } from "../../cli/rollback";
import { isInputError } from "../../lib/errors";
import { copyProject, edit, fakePackageIndex, git, tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { standInPulumi, withStandIn, withoutPulumi } from "../helpers/standinPulumi";
import { Release, deployedExport, release } from "../helpers/stackExports";

const COMMIT_A = "a".repeat(40);
const COMMIT_B = "b".repeat(40);

/** A release's digest computed here from its definition (one sha256 over sorted `name version sha256` lines). */
function digestOf(r: Release): string {
    const artifacts: Record<string, { version: string; sha256: string }> = {
        "vectora-core": r.core,
        "common-deps": r.deps,
        ...r.functions,
        canonical: r.canonical,
    };
    const lines = Object.keys(artifacts)
        .sort()
        .map((name) => `${name} ${artifacts[name].version} ${artifacts[name].sha256}\n`);
    return crypto.createHash("sha256").update(lines.join("")).digest("hex");
}

/** A snapshot file of a stack running a release, its stack outputs naming the commit it was deployed from. */
function snapshotOf(env: string, r: Release, commit?: string): string {
    const doc = deployedExport(env, r) as { deployment: { resources: Array<Record<string, unknown>> } };
    if (commit) {
        doc.deployment.resources[0].outputs = { env, source: { commit, dirty: false } };
    }
    return write(tempDir(), `${env}-2026-12-01T10-00-00Z.export.json`, JSON.stringify(doc));
}

/** What a refusal says: an InputError's message. */
function refusal(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        assert.ok(isInputError(e), String(e));
        return e.message;
    }
    assert.fail("expected a refusal");
}

describe("npm run rollback: what it is given", () => {
    it("--to: 64 hex digits are a release digest (any case), anything else a snapshot file", () => {
        assert.deepStrictEqual(parseTo("AB".repeat(32)), { digest: "ab".repeat(32) });
        assert.deepStrictEqual(parseTo("ab".repeat(31)), { file: "ab".repeat(31) });
        assert.deepStrictEqual(parseTo("snapshots/dev-2026.export.json"), { file: "snapshots/dev-2026.export.json" });
    });

    it("--only: a function, canonical, or one file of canonical/; its sources and VERSION key", () => {
        assert.deepStrictEqual(parsePart("ingest-v2"), { kind: "function", name: "ingest-v2" });
        assert.deepStrictEqual(partSources(parsePart("newsletter-v2")), {
            paths: ["python-src/lambdas/newsletter-v2"],
            versionKey: "NEWSLETTER_VERSION",
            artifact: "newsletter-v2",
        });
        assert.deepStrictEqual(partSources(parsePart("canonical")), {
            paths: ["canonical"],
            versionKey: "CANONICAL_VERSION",
            artifact: "canonical",
        });
        assert.deepStrictEqual(partSources(parsePart("canonical/clients/lai_weekly.yaml")), {
            paths: ["canonical/clients/lai_weekly.yaml"],
            artifact: "canonical",
        });
        for (const bad of [
            "",
            "ingest",
            "vectora-core",
            "common-deps",
            "canonical/",
            "canonical/../VERSION",
            "canonical/a//b",
            "canonical/a\nb",
        ]) {
            assert.match(
                refusal(() => parsePart(bad)),
                /^--only .*: not a part of a release; expected ingest-v2, normalize-score-v2, newsletter-v2, canonical or canonical\/<path>$/,
                bad,
            );
        }
    });

    it("takes one VERSION line from the release's VERSION, and nothing else", () => {
        const current = "# versions\nINGEST_VERSION=1.5.1\nNEWSLETTER_VERSION=1.9.0\n";
        const old = "# versions\nINGEST_VERSION=1.5.0\nNEWSLETTER_VERSION=1.8.0\n";
        assert.strictEqual(withVersionLine(current, old, "INGEST_VERSION"), "# versions\nINGEST_VERSION=1.5.0\nNEWSLETTER_VERSION=1.9.0\n");
        assert.strictEqual(
            withVersionLine("INGEST_VERSION=1.5.1", "CANONICAL_VERSION=1.0\n", "CANONICAL_VERSION"),
            "INGEST_VERSION=1.5.1\nCANONICAL_VERSION=1.0\n",
        );
        assert.strictEqual(withVersionLine(current, old, "CANONICAL_VERSION"), undefined);
    });
});

describe("npm run rollback: the release a snapshot names", () => {
    it("is the release its state runs, from the commit its outputs name", () => {
        const r = release("A");
        const file = snapshotOf("dev", r, COMMIT_A);
        const chosen = releaseFromSnapshot(file, "vectora-inbox", "dev");
        assert.strictEqual(chosen.release.digest, digestOf(r));
        assert.strictEqual(chosen.release.commit, COMMIT_A);
        assert.strictEqual(chosen.release.from, `the snapshot ${file}`);
        assert.deepStrictEqual(
            { version: chosen.artifacts?.["ingest-v2"].version, sha256: chosen.artifacts?.["ingest-v2"].sha256 },
            r.functions["ingest-v2"],
        );
    });

    it("refuses, in one line naming the file, a snapshot without a commit, of another stack, of nothing, or not whole", () => {
        const noCommit = snapshotOf("dev", release("A"));
        assert.match(
            refusal(() => releaseFromSnapshot(noCommit, "vectora-inbox", "dev")),
            /--to .*: the snapshot's outputs name no commit/,
        );
        const stage = snapshotOf("stage", release("A"), COMMIT_A);
        assert.match(
            refusal(() => releaseFromSnapshot(stage, "vectora-inbox", "dev")),
            /holds the state of the stage stack; --to takes the dev stack's/,
        );
        const empty = write(tempDir(), "empty.export.json", JSON.stringify({ version: 3, deployment: {} }));
        assert.match(
            refusal(() => releaseFromSnapshot(empty, "vectora-inbox", "dev")),
            /dev ran nothing when this snapshot was taken/,
        );
        // A function whose Version tag says one version and whose layer is not the stack's: a state a hand change leaves.
        const doc = JSON.parse(fs.readFileSync(snapshotOf("dev", release("A"), COMMIT_A), "utf8"));
        const fn = doc.deployment.resources.find((r: { type: string }) => r.type === "aws:lambda/function:Function");
        fn.outputs.layers = ["arn:aws:lambda:eu-west-3:111111111111:layer:someone-else:1"];
        const odd = write(tempDir(), "odd.export.json", JSON.stringify(doc));
        assert.match(
            refusal(() => releaseFromSnapshot(odd, "vectora-inbox", "dev")),
            /^--to .*odd\.export\.json: the snapshot's state does not hang together/,
        );
        const cut = write(tempDir(), "cut.export.json", '{ "version": 3, "deployment": {');
        assert.match(
            refusal(() => releaseFromSnapshot(cut, "vectora-inbox", "dev")),
            /cut\.export\.json:1:\d+: invalid JSON: .*; expected a snapshot of dev, the JSON printed by `pulumi stack export --stack dev`$/,
        );
    });
});

describe("npm run rollback: the release a stack's own attestations name", () => {
    const A = "a1".repeat(32);
    const B = "b2".repeat(32);
    const C = "c3".repeat(32);
    const tag = (digest: string) => `vectora:smoke:${digest.slice(0, 24)}`;
    const tags = {
        [tag(A)]: `v1 pass 2026-11-01T10:00:00Z ${A} ${COMMIT_A}`,
        [tag(B)]: `v1 pass 2026-11-20T10:00:00Z ${B} ${COMMIT_B}`,
        [tag(C)]: `v1 fail 2026-11-25T10:00:00Z ${C} ${COMMIT_B}`,
        [`vectora:release:${A.slice(0, 16)}:1`]: `ingest-v2 1.5.0 ${"1".repeat(64)}`,
    };

    it("without --to: the newest release passed other than the one running", () => {
        assert.deepStrictEqual(releaseFromTags(tags, "dev", B).release, {
            digest: A,
            commit: COMMIT_A,
            from: "dev's smoke attestation of 2026-11-01T10:00:00Z",
        });
        assert.strictEqual(releaseFromTags(tags, "dev", C).release.digest, B);
        assert.deepStrictEqual(releaseFromTags(tags, "dev", B).artifacts, {
            "ingest-v2": { artifact: "ingest-v2", version: "1.5.0", sha256: "1".repeat(64) },
        });
    });

    it("--to DIGEST: only a release the stack ran and passed", () => {
        assert.strictEqual(releaseFromTags(tags, "stage", B, A).release.commit, COMMIT_A);
        for (const digest of [C, "d4".repeat(32)]) {
            assert.strictEqual(
                refusal(() => releaseFromTags(tags, "stage", B, digest)),
                `--to ${digest}: a digest that stage never ran and passed (no passing vectora:smoke tag of it on stage); ` +
                    "expected a release from npm run smoke's records, or a snapshot file",
            );
        }
    });

    it("refuses when there is nothing else to go back to", () => {
        assert.match(
            refusal(() => releaseFromTags({ [tag(B)]: tags[tag(B)] }, "prod", B)),
            /^prod passed no smoke test on any release other than the one it runs now; nothing to roll back to/,
        );
        assert.match(
            refusal(() => releaseFromTags({}, "prod", B)),
            /nothing to roll back to/,
        );
    });
});

describe("npm run rollback --only: a part of a release on top of HEAD", () => {
    it("takes the part's files (a file it did not have goes) and its VERSION line from the release's commit, and commits", () => {
        const root = copyProject({ git: true });
        const a = git(root, "rev-parse", "HEAD");
        const handler = "python-src/lambdas/ingest-v2/handler.py";
        const before = fs.readFileSync(path.join(root, handler), "utf8");
        edit(root, handler, (t) => `${t}# B\n`);
        write(root, "python-src/lambdas/ingest-v2/extra.py", "X = 1\n");
        edit(root, "python-src/lambdas/newsletter-v2/handler.py", (t) => `${t}# B\n`);
        edit(root, "VERSION", (t) =>
            t.replace("INGEST_VERSION=1.5.0", "INGEST_VERSION=1.5.1").replace("NEWSLETTER_VERSION=1.8.0", "NEWSLETTER_VERSION=1.8.1"),
        );
        git(root, "add", "-A");
        git(root, "commit", "-q", "-m", "B");
        overlayPart(root, a, parsePart("ingest-v2"));
        assert.strictEqual(fs.readFileSync(path.join(root, handler), "utf8"), before);
        assert.ok(!fs.existsSync(path.join(root, "python-src/lambdas/ingest-v2/extra.py")));
        assert.match(fs.readFileSync(path.join(root, "python-src/lambdas/newsletter-v2/handler.py"), "utf8"), /# B\n$/);
        const version = fs.readFileSync(path.join(root, "VERSION"), "utf8");
        assert.match(version, /^INGEST_VERSION=1\.5\.0$/m);
        assert.match(version, /^NEWSLETTER_VERSION=1\.8\.1$/m);
        assert.strictEqual(git(root, "status", "--porcelain"), "");
        assert.strictEqual(git(root, "log", "-1", "--format=%s"), `rollback: ingest-v2 from ${a} on top of HEAD`);
    });

    it("refuses a file the release's commit does not have", () => {
        const root = copyProject({ git: true });
        const a = git(root, "rev-parse", "HEAD");
        assert.match(
            refusal(() => overlayPart(root, a, parsePart("canonical/clients/nobody.yaml"))),
            /^--only canonical\/clients\/nobody\.yaml: commit [0-9a-f]{12} has no canonical\/clients\/nobody\.yaml/,
        );
    });
});

describe("npm run rollback: bad input is one line, exit 2, before any CLI is needed", () => {
    const cases: Array<[string, string[], RegExp]> = [
        ["an unknown stack", ["--stack", "qa"], /^error: unknown stack "qa"; usage: npm run rollback -- --stack <dev\|stage\|prod>/],
        ["no stack", [], /^error: missing --stack; usage: /],
        ["a bad --only", ["--stack", "dev", "--only", "vectora-core"], /^error: --only "vectora-core": not a part of a release/],
        [
            "a snapshot that does not exist",
            ["--stack", "dev", "--to", "/nonexistent/dev.export.json"],
            /^error: \/nonexistent\/dev\.export\.json: .*expected/,
        ],
    ];
    for (const [name, argv, pattern] of cases) {
        it(name, async () => {
            const run = await withoutPulumi(() => runIn(rollback, ...argv));
            assert.strictEqual(run.code, 2, run.err + run.out);
            assert.match(run.err, pattern);
            assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
            assert.strictEqual(run.out, "");
        });
    }

    it("answers --help with the usage line and what --to and --only take", async () => {
        const run = await runIn(rollback, "--help");
        assert.strictEqual(run.code, 0);
        assert.match(run.out, /^usage: npm run rollback -- --stack <dev\|stage\|prod> \[--to FILE\|DIGEST\] \[--only <part>\]/);
        assert.match(run.out, /new combination of artifacts: dev takes it directly/);
    });
});

describe("npm run rollback --only on prod: the gate asked before the deploy", () => {
    const DAY = 24 * 3600 * 1000;
    const now = Date.parse("2026-12-01T12:00:00Z");
    const r = release("combination");
    const deploys = { "vectora-core": r.core, "common-deps": r.deps, ...r.functions, canonical: r.canonical };
    const digest = digestOf(r);
    const smokeTag = `vectora:smoke:${digest.slice(0, 24)}`;
    /** The release tags of r, written here artifact by artifact in name order. */
    const releaseTags = Object.fromEntries(
        Object.keys(deploys)
            .sort()
            .map((name, i) => [
                `vectora:release:${digest.slice(0, 16)}:${i + 1}`,
                `${name} ${deploys[name as keyof typeof deploys].version} ${deploys[name as keyof typeof deploys].sha256}`,
            ]),
    );
    const stageRuns = (since: string) => evidenceFromExport(deployedExport("stage", r, { core: 1, deps: 1 }, since), "stage");
    const longAgo = new Date(now - 20 * DAY).toISOString();

    it("takes a release prod itself ran and passed, whatever stage runs", () => {
        const prodTags = { [smokeTag]: `v1 pass 2026-11-01T10:00:00Z ${digest} ${COMMIT_A}`, ...releaseTags };
        const stage = evidenceFromExport(deployedExport("stage", release("other")), "stage");
        assert.strictEqual(prodRefusal(deploys, prodTags, stage, {}, now), undefined);
    });

    it("takes a promotion from stage that runs it, passed its smoke test there, and soaked", () => {
        const stageTags = { [smokeTag]: `v1 pass ${new Date(now - 19 * DAY).toISOString()} ${digest} ${COMMIT_A}` };
        assert.strictEqual(prodRefusal(deploys, {}, stageRuns(longAgo), stageTags, now), undefined);
    });

    it("refuses, with the gate's first reason: stage runs something else, never tested it, or ran it too briefly", () => {
        const other = evidenceFromExport(deployedExport("stage", release("other")), "stage");
        assert.match(
            prodRefusal(deploys, {}, other, {}, now) ?? "",
            /^prod would deploy canonical 1\.1 with sha256 [0-9a-f]{64} but stage runs 1\.1 with sha256 [0-9a-f]{64}: same version, other bytes/,
        );
        assert.match(prodRefusal(deploys, {}, stageRuns(longAgo), {}, now) ?? "", /which has no smoke test on record there/);
        const yesterday = new Date(now - DAY).toISOString();
        const tested = { [smokeTag]: `v1 pass ${new Date(now - DAY / 2).toISOString()} ${digest} ${COMMIT_A}` };
        assert.match(
            prodRefusal(deploys, {}, stageRuns(yesterday), tested, now) ?? "",
            /^stage has run .* only since .*prod waits until it has run 14 days$/,
        );
    });
});

describe("npm run rollback: the commit must build exactly the release", () => {
    it("refuses, exit 2 with nothing deployed and no worktree left, a snapshot whose commit builds another release", async function () {
        this.timeout(120_000);
        const root = copyProject({ git: true });
        const head = git(root, "rev-parse", "HEAD");
        // dev ran a release with other bytes than this commit builds, yet its outputs name this commit.
        const snap = snapshotOf("dev", release("not this commit"), head);
        const standIn = standInPulumi();
        fs.writeFileSync(path.join(standIn.data, "dev.export.json"), fs.readFileSync(snap));
        const buildDir = tempDir("vectora-rollback-build-");
        const run = await withStandIn(standIn, {}, () =>
            runIn(
                (argv, io) => rollback(argv, io, { deps: fakePackageIndex, buildDir }),
                "--stack",
                "dev",
                "--to",
                snap,
                "--yes",
                "--cwd",
                root,
            ),
        );
        assert.strictEqual(run.code, 2, run.err + run.out);
        assert.match(
            run.err,
            new RegExp(
                `^error: commit ${head.slice(0, 12)} \\(from the snapshot .*\\) builds release [0-9a-f]{16} for dev, not ` +
                    `${digestOf(release("not this commit")).slice(0, 16)}: it cannot restore that release .*; nothing was deployed$`,
                "m",
            ),
        );
        assert.ok(!standIn.calls().some((c) => c[0] === "up"), JSON.stringify(standIn.calls()));
        assert.strictEqual(git(root, "worktree", "list").split("\n").length, 1);
        assert.deepStrictEqual(fs.readdirSync(path.join(root, ".build", "rollback")), []);
        assert.ok(!fs.existsSync(path.join(root, "snapshots")), "no snapshot: nothing was about to be deployed");
    });
});
