import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { audit } from "../../cli/audit";
import { checkVersions } from "../../cli/checkVersions";
import { cleanup } from "../../cli/cleanup";
import { compare } from "../../cli/compare";
import { drift } from "../../cli/drift";
import { inventory } from "../../cli/inventory";
import { preview } from "../../cli/preview";
import { promote } from "../../cli/promote";
import { rollback } from "../../cli/rollback";
import { smoke } from "../../cli/smoke";
import { snapshot } from "../../cli/snapshot";
import type { Io } from "../../lib/command";
import { sandboxTamper } from "../../sandbox/tamperCommand";
import { BAD_FLAG_VALUES, BAD_INPUTS } from "../helpers/badInputs";
import { REPO, copyProject, edit, tempDir, write } from "../helpers/fixtures";
import { CommandRun, runIn } from "../helpers/io";
import { simulatedSourceExport } from "../helpers/program";
import { stackExport } from "../helpers/stackExports";

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
            /: is a folder, not a regular file; expected the JSON printed by `pulumi stack export --stack stage`/,
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
        assert.strictEqual(JSON.parse(run.out).outputs.versions.VECTORA_CORE_VERSION, "1.2.4");
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

type Main = (argv: readonly string[], io: Io) => Promise<number>;

/** A command, and the values of its other flags while one flag gets a bad value (only bad values are ever run). */
interface CommandUnderTest {
    readonly name: string;
    readonly main: Main;
    readonly base: (scratch: string) => Record<string, string | true>;
    /** Positional arguments (compare's two output files), each given the FILE forms in turn. */
    readonly positionals?: (scratch: string) => string[];
}

/** The kind of a value placeholder in a usage line, or undefined for free text (`<name>`, `<path>=<json>`). */
function kindOf(placeholder: string | undefined): string | undefined {
    if (placeholder === undefined) {
        return undefined;
    }
    if (placeholder === "snapshots" || placeholder === "DIR") {
        return "DIR";
    }
    if (placeholder === "SECONDS" || placeholder === "N") {
        return "N";
    }
    if (placeholder === "FILE") {
        return "FILE";
    }
    if (placeholder === "<git ref>") {
        return "REF";
    }
    return /^<[a-z]+(\|[a-z]+)+>$/.test(placeholder) ? "CHOICE" : undefined;
}

/** The flags a usage line names, with the kind of their value (undefined: a boolean or free text). */
function flagsOf(usage: string): Array<{ flag: string; kind?: string }> {
    return (
        [...usage.matchAll(/--([a-z][a-z-]*)(?: (<[^>]+>|[A-Z]+\b|snapshots))?/g)]
            .filter((m) => m[1] !== "help")
            // A file the command writes is not a file it reads: its bad forms are its own.
            .map((m) => ({ flag: `--${m[1]}`, kind: m[1] === "output" && m[2] === "FILE" ? "OUT" : kindOf(m[2]) }))
    );
}

describe("every flag of every command: each bad form of its value is one line, exit 2, never a hang or an exit 3", function () {
    this.timeout(600_000);
    const scratch = tempDir("vectora-flags-");
    const FIXTURE = path.join(REPO, "test/fixtures/stage-incident.export.json");
    let devState = "";
    before(async () => {
        // dev's state as this checkout would deploy it: promote then reads --target-state after its checks.
        process.env.VECTORA_SKIP_DEPS = "1";
        try {
            devState = write(scratch, "dev.export.json", JSON.stringify(await simulatedSourceExport(REPO, "stage")));
        } finally {
            delete process.env.VECTORA_SKIP_DEPS;
        }
    });
    const object = (s: string, name: string) => write(s, name, '{ "env": "stage" }\n');
    const COMMANDS: CommandUnderTest[] = [
        { name: "preview", main: preview, base: () => ({ "--stack": "prod", "--policy-pack": PACK, "--cwd": REPO }) },
        { name: "audit", main: audit, base: () => ({ "--state": FIXTURE, "--cwd": REPO }) },
        {
            name: "compare",
            main: compare,
            base: () => ({ "--cwd": REPO }),
            positionals: (s) => [object(s, "a.json"), object(s, "b.json")],
        },
        {
            name: "promote",
            main: promote,
            base: (s) => ({
                "--to": "stage",
                "--dry-run": true,
                "--source-state": devState,
                "--target-state": write(s, "t.export.json", JSON.stringify(stackExport("stage", []))),
                "--cwd": REPO,
            }),
        },
        { name: "rollback", main: rollback, base: () => ({ "--stack": "dev", "--cwd": REPO }) },
        { name: "snapshot", main: snapshot, base: (s) => ({ "--stack": "dev", "--dir": path.join(s, "snapshots"), "--cwd": REPO }) },
        { name: "drift", main: drift, base: () => ({ "--stack": "dev", "--cwd": REPO }) },
        { name: "smoke", main: smoke, base: () => ({ "--stack": "dev", "--cwd": REPO }) },
        { name: "check-versions", main: checkVersions, base: () => ({ "--base": "HEAD", "--cwd": REPO }) },
        { name: "inventory", main: inventory, base: () => ({ "--env": "stage", "--cwd": REPO }) },
        { name: "cleanup", main: cleanup, base: () => ({ "--env": "stage", "--cwd": REPO }) },
        {
            name: "sandbox:tamper",
            main: sandboxTamper,
            base: () => ({ "--stack": "dev", "--resource": "nothing", "--delete": true, "--cwd": REPO }),
        },
    ];

    for (const command of COMMANDS) {
        it(`${command.name}: every flag its usage line names`, async () => {
            const usage = (await runIn(command.main, "--help")).out;
            const flags = flagsOf(usage).filter((f) => f.kind !== undefined);
            assert.ok(flags.length > 0, usage);
            const failures: string[] = [];
            const tried: string[] = [];
            const saved = { ...process.env };
            // Should anything reach AWS or pip, it fails fast instead of waiting: none of these runs may get that far.
            Object.assign(process.env, { VECTORA_SKIP_DEPS: "1", AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_REGION: "eu-west-3" });
            try {
                const cases: Array<{ label: string; argv: string[] }> = [];
                for (const { flag, kind } of flags) {
                    for (const bad of BAD_FLAG_VALUES[kind as string]) {
                        const args = { ...command.base(scratch), [flag]: bad.value(scratch) };
                        const argv = Object.entries(args).flatMap(([k, v]) => (v === true ? [k] : [k, v]));
                        cases.push({ label: `${flag} ${kind}: ${bad.name}`, argv: [...(command.positionals?.(scratch) ?? []), ...argv] });
                    }
                }
                for (const [index] of (command.positionals?.(scratch) ?? []).entries()) {
                    for (const bad of BAD_FLAG_VALUES.FILE.filter((b) => b.name !== "a file that does not exist")) {
                        const positionals = [...(command.positionals?.(scratch) ?? [])];
                        positionals[index] = bad.value(scratch);
                        const argv = Object.entries(command.base(scratch)).flatMap(([k, v]) => (v === true ? [k] : [k, v]));
                        cases.push({ label: `argument ${index + 1} FILE: ${bad.name}`, argv: [...positionals, ...argv] });
                    }
                }
                for (const { label, argv } of cases) {
                    tried.push(label);
                    const run = await runIn(command.main, ...argv);
                    const lines = run.err.split("\n").filter((l) => l !== "");
                    if (run.code !== 2 || lines.length !== 1 || !lines[0].startsWith("error: ") || run.out !== "") {
                        failures.push(`${label}: exit ${run.code}, stderr ${JSON.stringify(run.err.slice(0, 300))}`);
                    }
                }
            } finally {
                for (const key of Object.keys(process.env)) {
                    if (!(key in saved)) {
                        delete process.env[key];
                    }
                }
                Object.assign(process.env, saved);
            }
            assert.deepStrictEqual(failures, [], `${command.name} (${tried.length} bad values tried)`);
        });
    }
});
