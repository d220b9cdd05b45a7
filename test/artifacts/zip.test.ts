import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { deterministicZip } from "../../artifacts/zip";
import { tempDir } from "../helpers/fixtures";
import { readZip } from "../helpers/zipReader";

const FILES = [
    { name: "python/vectora_core/settings.py", data: Buffer.from("import os\n".repeat(200)) },
    { name: "python/vectora_core/__init__.py", data: Buffer.from("") },
    { name: "python/données/été.txt", data: Buffer.from("non-ASCII name\n") },
    { name: "handler.py", data: Buffer.from("def lambda_handler(e, c):\n    return e\n") },
];

describe("deterministic zip", () => {
    it("gives the same bytes whatever the order of the entries", async () => {
        const a = await deterministicZip(FILES, { level: 6 });
        const b = await deterministicZip([...FILES].reverse(), { level: 6, concurrency: 1 });
        assert.ok(a.equals(b));
    });

    it("holds every file with its content, parent folders, fixed modes, sorted names", async () => {
        const entries = readZip(await deterministicZip(FILES, { level: 6 }));
        assert.deepStrictEqual(
            entries.map((e) => e.name),
            [
                "handler.py",
                "python/",
                "python/données/",
                "python/données/été.txt",
                "python/vectora_core/",
                "python/vectora_core/__init__.py",
                "python/vectora_core/settings.py",
            ],
        );
        for (const file of FILES) {
            const entry = entries.find((e) => e.name === file.name);
            assert.ok(entry && entry.data.equals(file.data), file.name);
            assert.strictEqual(entry.mode, 0o100644);
        }
        assert.strictEqual(entries.find((e) => e.name === "python/")?.mode, 0o040755);
    });

    it("changes when one byte of one file changes", async () => {
        const a = await deterministicZip(FILES, { level: 6 });
        const b = await deterministicZip(
            [...FILES.slice(1), { name: FILES[0].name, data: Buffer.from("import os\n".repeat(199) + "import sys\n") }],
            { level: 6 },
        );
        assert.ok(!a.equals(b));
    });

    it("is accepted by Info-ZIP's unzip, names and CRCs included", async function () {
        if (childProcess.spawnSync("unzip", ["-v"]).status !== 0) {
            this.skip();
        }
        const file = path.join(tempDir(), "a.zip");
        fs.writeFileSync(file, await deterministicZip(FILES, { level: 9 }));
        const result = childProcess.spawnSync("unzip", ["-t", file], { encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /No errors detected/);
    });

    it("refuses entry names that escape the archive or repeat", async () => {
        await assert.rejects(deterministicZip([{ name: "../x", data: Buffer.alloc(1) }], { level: 6 }), /invalid zip entry name/);
        await assert.rejects(deterministicZip([FILES[0], FILES[0]], { level: 6 }), /duplicate zip entry/);
    });
});
