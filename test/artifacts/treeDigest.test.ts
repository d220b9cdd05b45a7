import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BuildContext, buildArtifact } from "../../artifacts/build";
import { treeSha256, zipTreeSha256 } from "../../artifacts/treeDigest";
import { deterministicZip } from "../../artifacts/zip";
import { copyProject, fakePackageIndex, tempDir } from "../helpers/fixtures";
import { pythonTree } from "../helpers/handlerDigest";

const sha = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

describe("the tree digest", () => {
    it("is the sha256 of the sorted `<path>\\0<sha256>\\n` lines of the files under the prefix, folders left out", async () => {
        const zip = await deterministicZip(
            [
                { name: "python/vectora_core/b.py", data: Buffer.from("B") },
                { name: "python/vectora_core/sub/a.py", data: Buffer.from("A") },
                { name: "python/other.py", data: Buffer.from("O") },
            ],
            { level: 6 },
        );
        // Written out by hand: "b.py" sorts before "sub/a.py".
        const expected = sha(`b.py\0${sha("B")}\nsub/a.py\0${sha("A")}\n`);
        assert.strictEqual(zipTreeSha256(zip, "python/vectora_core/"), expected);
        assert.strictEqual(zipTreeSha256(zip, "python/", ["vectora_core"]), sha(`other.py\0${sha("O")}\n`));
        assert.strictEqual(
            zipTreeSha256(zip),
            treeSha256([
                { path: "python/other.py", sha256: sha("O") },
                { path: "python/vectora_core/sub/a.py", sha256: sha("A") },
                { path: "python/vectora_core/b.py", sha256: sha("B") },
            ]),
        );
    });

    it("sorts by the paths' UTF-8 bytes, as Python sorts them, not by UTF-16 code units", () => {
        // U+FF21 (one UTF-16 unit, EF BC A1) and U+1F600 (a surrogate pair, F0 9F 98 80): JavaScript's default sort
        // puts the emoji first, byte order puts it last.
        const wide = "\uff21.py";
        const emoji = "\u{1f600}.py";
        assert.strictEqual(
            treeSha256([
                { path: emoji, sha256: sha("e") },
                { path: wide, sha256: sha("w") },
            ]),
            sha(`${wide}\0${sha("w")}\n${emoji}\0${sha("e")}\n`),
        );
    });

    it("is the handler's own digest of the same zip unpacked, for a real function zip and both real layer zips", async function () {
        this.timeout(120_000);
        const root = copyProject();
        const ctx: BuildContext = { root, buildDir: tempDir("vectora-build-"), deps: fakePackageIndex };
        const fn = await buildArtifact(ctx, "ingest-v2", "1.5.0");
        const core = await buildArtifact(ctx, "vectora-core", "1.2.3");
        const deps = await buildArtifact(ctx, "common-deps", "1.0.5");
        assert.strictEqual(zipTreeSha256(fs.readFileSync(fn.zipPath)), pythonTree(fn.zipPath, "."));
        assert.strictEqual(
            zipTreeSha256(fs.readFileSync(core.zipPath), "python/vectora_core/"),
            pythonTree(core.zipPath, "python/vectora_core"),
        );
        assert.strictEqual(
            zipTreeSha256(fs.readFileSync(deps.zipPath), "python/", ["vectora_core"]),
            pythonTree(deps.zipPath, "python", ["vectora_core"]),
        );
        // And the digest says something: another byte anywhere changes it (the zip is read before the rebuild, which
        // publishes the new one at the same path).
        const before = zipTreeSha256(fs.readFileSync(fn.zipPath));
        fs.appendFileSync(path.join(root, "python-src/lambdas/ingest-v2/handler.py"), "# changed\n");
        const changed = await buildArtifact(ctx, "ingest-v2", "1.5.0");
        assert.notStrictEqual(zipTreeSha256(fs.readFileSync(changed.zipPath)), before);
    });

    it("refuses a prefix that is not a folder", async () => {
        const zip = await deterministicZip([{ name: "a.py", data: Buffer.from("") }], { level: 6 });
        assert.throws(() => zipTreeSha256(zip, "python"), /prefix "python" must end with "\/"/);
    });
});
