import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ZipFormatError, readZipEntries } from "../../artifacts/unzip";
import { deterministicZip } from "../../artifacts/zip";
import { tempDir } from "../helpers/fixtures";

/** A zip written by Python's zipfile (another writer than ours): `entries` as [name, text, compression]. */
function pythonZip(entries: Array<[string, string, "stored" | "deflated"]>, symlink?: string): Buffer {
    const file = path.join(tempDir(), "python.zip");
    const script = [
        "import json, sys, zipfile",
        "z = zipfile.ZipFile(sys.argv[1], 'w')",
        "for name, text, how in json.loads(sys.argv[2]):",
        "    z.writestr(name, text, zipfile.ZIP_STORED if how == 'stored' else zipfile.ZIP_DEFLATED)",
        "if sys.argv[3]:",
        "    info = zipfile.ZipInfo(sys.argv[3]); info.create_system = 3; info.external_attr = 0o120777 << 16",
        "    z.writestr(info, 'target')",
        "z.close()",
    ].join("\n");
    const run = childProcess.spawnSync("python3", ["-c", script, file, JSON.stringify(entries), symlink ?? ""], { encoding: "utf8" });
    assert.strictEqual(run.status, 0, run.stderr);
    return fs.readFileSync(file);
}

describe("reading a zip's entries", () => {
    it("reads stored and deflated entries of a zip another tool wrote", () => {
        const zip = pythonZip([
            ["a.txt", "stored text", "stored"],
            ["dir/b.txt", "deflated ".repeat(50), "deflated"],
        ]);
        assert.deepStrictEqual(
            readZipEntries(zip).map((e) => [e.name, e.directory, e.data.toString("utf8")]),
            [
                ["a.txt", false, "stored text"],
                ["dir/b.txt", false, "deflated ".repeat(50)],
            ],
        );
    });

    it("reads our own zips, folders included", async () => {
        const zip = await deterministicZip([{ name: "python/x.py", data: Buffer.from("x = 1\n") }], { level: 6 });
        assert.deepStrictEqual(
            readZipEntries(zip).map((e) => [e.name, e.directory]),
            [
                ["python/", true],
                ["python/x.py", false],
            ],
        );
    });

    it("refuses bytes that are not a zip, damaged bytes, a name that climbs out, and a symbolic link", async () => {
        assert.throws(() => readZipEntries(Buffer.from("{ not a zip at all, just some text }")), ZipFormatError);
        const zip = await deterministicZip([{ name: "a.txt", data: Buffer.from("some stored text") }], { level: 0 });
        const damaged = Buffer.from(zip);
        damaged[30 + "a.txt".length] ^= 0xff; // the first byte of the entry's data
        assert.throws(() => readZipEntries(damaged), /a\.txt: the bytes do not match the recorded size and CRC-32/);
        assert.throws(
            () => readZipEntries(pythonZip([["../evil.py", "x", "stored"]])),
            /"\.\.\/evil\.py": an entry name must be a relative path/,
        );
        assert.throws(() => readZipEntries(pythonZip([["ok.txt", "x", "stored"]], "link")), /link: symbolic links are not supported/);
    });
});
