import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { audit } from "../../cli/audit";
import { preview } from "../../cli/preview";
import { BAD_INPUTS } from "../helpers/badInputs";
import { REPO, copyProject, edit, tempDir, write } from "../helpers/fixtures";
import { CommandRun, runIn } from "../helpers/io";

const PACK = path.join(REPO, "policy");

/** The offline preview of a broken copy of the project, with pip skipped (CI has no package index). */
async function previewOf(root: string, stack = "stage", ...extra: string[]): Promise<CommandRun> {
    process.env.VECTORA_SKIP_DEPS = "1";
    try {
        return await runIn(preview, "--stack", stack, "--cwd", root, "--policy-pack", PACK, ...extra);
    } finally {
        delete process.env.VECTORA_SKIP_DEPS;
    }
}

/** Bad input: exit 2, one line on stderr naming what is wrong, no stack trace, nothing on stdout. */
function assertRejected(run: CommandRun, pattern: RegExp): void {
    assert.strictEqual(run.code, 2, run.err || run.out.slice(0, 300));
    assert.match(run.err, pattern);
    assert.strictEqual(run.err.trim().split("\n").length, 1, run.err);
    assert.ok(!/^\s+at /m.test(run.err), run.err);
    assert.strictEqual(run.out, "");
}

describe("npm run preview: every bad input is one clear line, exit 2", () => {
    for (const bad of BAD_INPUTS) {
        it(bad.name, async () => {
            const root = copyProject();
            bad.breakIt(root);
            assertRejected(
                await previewOf(root, bad.stack ?? "stage"),
                new RegExp(`^error: ${bad.message.source.replace(/^\^/, "")}`, "m"),
            );
        });
    }

    it("an unreadable source state file (a folder), and preview/audit inputs that are empty, truncated or of another format", async () => {
        const dir = tempDir();
        const exportText = fs.readFileSync(path.join(REPO, "test/fixtures/stage-incident.export.json"), "utf8");
        assertRejected(
            await previewOf(REPO, "prod", "--source-state", dir),
            /cannot read \(EISDIR\); expected the JSON printed by `pulumi stack export --stack stage`/,
        );
        assertRejected(
            await runIn(audit, "--state", write(dir, "empty.json", "")),
            /empty\.json: file is empty; expected the JSON printed by `pulumi stack export/,
        );
        assertRejected(
            await runIn(audit, "--state", write(dir, "cut.json", exportText.slice(0, exportText.length / 2))),
            /cut\.json:\d+:\d+: invalid JSON: unexpected end of file/,
        );
        assertRejected(
            await runIn(audit, "--state", write(dir, "v4.json", exportText.replace('"version": 3', '"version": 4'))),
            /deployment format version 4; expected version 3/,
        );
        assertRejected(
            await runIn(audit, "--state", write(dir, "other.json", exportText.replace(/::vectora-inbox::/g, "::billing::"))),
            /is a stack export of project billing/,
        );
    });
});

/**
 * The preview in its own process, as another user when this one is root (root reads any file, so a file
 * made unreadable would not be): the copy is opened to that user except for what the test takes away.
 */
function previewAsOtherUser(root: string): CommandRun {
    const other = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = childProcess.spawnSync(
        process.execPath,
        [path.join(REPO, ".build/cli/preview.js"), "--stack", "stage", "--cwd", root, "--policy-pack", PACK],
        { encoding: "utf8", env: { ...process.env, VECTORA_SKIP_DEPS: "1", HOME: root }, ...other },
    );
    return { code: run.status ?? -1, out: run.stdout, err: run.stderr };
}

describe("npm run preview: an unreadable input is one clear line, exit 2", () => {
    for (const [what, rel, message] of [
        ["a canonical file", "canonical/scopes/company_scopes.yaml", "cannot read (permission denied)"],
        ["a canonical folder", "canonical/prompts", "cannot list (permission denied)"],
        ["a handler", "python-src/lambdas/ingest-v2/handler.py", "cannot read (permission denied)"],
        ["the stack config", "Pulumi.stage.yaml", "cannot read (permission denied)"],
        ["the common-deps lock file", "python-src/layers/common-deps/requirements.txt", "cannot read (permission denied)"],
    ]) {
        it(what, () => {
            const root = copyProject();
            childProcess.execFileSync("chmod", ["-R", "a+rwX", root]);
            fs.chmodSync(path.join(root, rel), 0);
            const escaped = `${rel}: ${message}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            assertRejected(
                previewAsOtherUser(root),
                new RegExp(`^error: ${escaped}; expected it readable by the user running the command$`, "m"),
            );
        });
    }
});

describe("npm run preview: odd but valid inputs are handled", () => {
    it("a VERSION with a UTF-8 BOM and CRLF line endings", async () => {
        const root = copyProject();
        edit(root, "VERSION", (t) => `\uFEFF${t.replace(/\n/g, "\r\n")}`);
        const run = await previewOf(root, "dev", "--json");
        assert.strictEqual(run.code, 0, run.err);
        assert.strictEqual(JSON.parse(run.out).outputs.versions.VECTORA_CORE_VERSION, "1.2.3");
    });

    it("canonical names with spaces and non-ASCII characters, and a binary file", async () => {
        const root = copyProject();
        write(root, "canonical/prompts/résumé hebdo.yaml", "id: résumé\n");
        write(root, "canonical/assets/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
        write(root, "canonical/assets/model.weights", Buffer.from([0, 255, 1, 254]));
        const run = await previewOf(root, "dev", "--json");
        assert.strictEqual(run.code, 0, run.err);
        const objects = Object.fromEntries(
            JSON.parse(run.out)
                .resources.filter((r: { type: string }) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2")
                .map((r: { inputs: { key: string; contentType: string } }) => [r.inputs.key, r.inputs.contentType]),
        );
        assert.strictEqual(objects["canonical/prompts/résumé hebdo.yaml"], "application/yaml");
        assert.strictEqual(objects["canonical/assets/logo.png"], "image/png");
        assert.strictEqual(objects["canonical/assets/model.weights"], "application/octet-stream");
    });
});
