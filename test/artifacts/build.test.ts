import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ARTIFACT_SOURCES, BuildContext, buildArtifact } from "../../artifacts/build";
import { ARTIFACT_NAMES } from "../../policy/contract/naming";
import { copyProject, fakePackageIndex, noPackageIndex, tempDir, write } from "../helpers/fixtures";
import { readZip } from "../helpers/zipReader";

function context(root: string, deps = noPackageIndex): BuildContext {
    return { root, buildDir: tempDir("vectora-build-"), deps };
}

/** Every file under a folder, deepest first, so that it can be re-created in another order. */
function files(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .map((f) => path.join(dir, f))
        .filter((f) => fs.statSync(f).isFile());
}

function listZip(zipPath: string): string[] {
    return readZip(fs.readFileSync(zipPath)).map((e) => e.name);
}

describe("artifact builds", () => {
    it("give the same sha256 for every artifact after touching, chmod-ing and re-creating the sources", async () => {
        const root = copyProject();
        const first = await Promise.all(ARTIFACT_NAMES.map((n) => buildArtifact(context(root), n, "1.0.0")));
        for (const file of files(path.join(root, "python-src"))) {
            const content = fs.readFileSync(file);
            fs.rmSync(file);
            fs.writeFileSync(file, content, { mode: 0o600 });
            fs.chmodSync(file, 0o755);
            fs.utimesSync(file, new Date("2031-05-06T07:08:09Z"), new Date("2031-05-06T07:08:09Z"));
        }
        const second = await Promise.all(ARTIFACT_NAMES.map((n) => buildArtifact(context(root), n, "1.0.0")));
        for (let i = 0; i < first.length; i++) {
            assert.strictEqual(second[i].cached, false, "a fresh build folder must really compress again");
            assert.strictEqual(second[i].sha256, first[i].sha256, first[i].name);
        }
    });

    it("gives the same sha256 in another time zone", async () => {
        const root = copyProject();
        const here = await buildArtifact(context(root), "vectora-core", "1.2.3");
        const where = JSON.stringify({ root, buildDir: tempDir() });
        const script =
            `require(${JSON.stringify(require.resolve("../../artifacts/build"))})` +
            `.buildArtifact({...${where},deps:()=>({ok:false,reason:"x"})},"vectora-core","1.2.3").then(a=>console.log(a.sha256))`;
        const there = childProcess.spawnSync(process.execPath, ["-e", script], {
            encoding: "utf8",
            env: { ...process.env, TZ: "Pacific/Chatham" },
        });
        assert.strictEqual(there.stdout.trim(), here.sha256, there.stderr);
    });

    it("puts the layer code under python/ and leaves out __pycache__ and *.pyc", async () => {
        const root = copyProject();
        write(root, "python-src/layers/vectora-core/vectora_core/__pycache__/settings.cpython-312.pyc", "x");
        write(root, "python-src/layers/vectora-core/vectora_core/stale.pyc", "x");
        const artifact = await buildArtifact(context(root), "vectora-core", "1.2.3");
        const names = listZip(artifact.zipPath);
        assert.ok(names.includes("python/vectora_core/__init__.py"), names.join(","));
        assert.ok(
            names.every((n) => n.startsWith("python/") && !n.includes("__pycache__") && !n.endsWith(".pyc")),
            names.join(","),
        );
        assert.strictEqual(artifact.key, "layers/vectora-core-1.2.3.zip");
        assert.strictEqual(path.basename(artifact.zipPath), "vectora-core-1.2.3.zip");
    });

    it("puts a function's handler at the root of its zip", async () => {
        const artifact = await buildArtifact(context(copyProject()), "ingest-v2", "1.5.0");
        assert.deepStrictEqual(listZip(artifact.zipPath), ["handler.py", "smoke-event.json", "vectora-build.json"]);
        assert.strictEqual(artifact.key, "lambdas/ingest-v2-1.5.0.zip");
    });

    it("reuses the compressed zip when the content is unchanged, and only then", async () => {
        const root = copyProject();
        const ctx = context(root);
        const first = await buildArtifact(ctx, "vectora-core", "1.2.3");
        const again = await buildArtifact(ctx, "vectora-core", "1.2.3");
        assert.strictEqual(first.cached, false);
        assert.strictEqual(again.cached, true);
        assert.strictEqual(again.sha256, first.sha256);
        fs.appendFileSync(path.join(root, ARTIFACT_SOURCES["vectora-core"].dir, "vectora_core/logs.py"), "# changed\n");
        const changed = await buildArtifact(ctx, "vectora-core", "1.2.3");
        assert.strictEqual(changed.cached, false);
        assert.notStrictEqual(changed.sha256, first.sha256);
    });

    it("marks common-deps as not built when pip cannot reach an index, with pip's reason", async () => {
        const artifact = await buildArtifact(context(copyProject()), "common-deps", "1.0.5");
        assert.strictEqual(artifact.complete, false);
        assert.match(artifact.note ?? "", /no package index/);
        assert.deepStrictEqual(listZip(artifact.zipPath), [
            "python/",
            "python/common-deps/",
            "python/common-deps/vectora-build.json",
            "python/requirements.txt",
        ]);
    });

    it("builds common-deps with the installed packages when pip succeeds", async () => {
        const artifact = await buildArtifact(context(copyProject(), fakePackageIndex), "common-deps", "1.0.5");
        assert.strictEqual(artifact.complete, true);
        const names = listZip(artifact.zipPath);
        assert.ok(names.includes("python/yaml/__init__.py") && names.includes("python/requests/__init__.py"), names.join(","));
        assert.ok(!names.some((n) => n.endsWith(".pyc")), names.join(","));
    });

    it("refuses a requirement that is not pinned, naming the line", async () => {
        const root = copyProject();
        write(
            root,
            "python-src/layers/common-deps/requirements.txt",
            `PyYAML==6.0.2 \\\n    --hash=sha256:${"a".repeat(64)}\nrequests>=2\n`,
        );
        await assert.rejects(
            buildArtifact(context(root), "common-deps", "1.0.5"),
            /^InputError: python-src\/layers\/common-deps\/requirements\.txt:3: "requests>=2" is not pinned; expected NAME==VERSION/,
        );
    });

    it("refuses a missing source folder", async () => {
        const root = copyProject();
        fs.rmSync(path.join(root, "python-src/lambdas/newsletter-v2"), { recursive: true });
        await assert.rejects(
            buildArtifact(context(root), "newsletter-v2", "1.8.0"),
            /^InputError: python-src\/lambdas\/newsletter-v2: folder not found/,
        );
    });

    it("refuses an empty source folder (byte-code alone counts as empty)", async () => {
        const root = copyProject();
        fs.rmSync(path.join(root, "python-src/lambdas/ingest-v2"), { recursive: true });
        write(root, "python-src/lambdas/ingest-v2/__pycache__/handler.cpython-312.pyc", "x");
        await assert.rejects(
            buildArtifact(context(root), "ingest-v2", "1.5.0"),
            /^InputError: python-src\/lambdas\/ingest-v2: folder is empty .* expected at least handler\.py/,
        );
    });

    it("refuses a function without handler.py", async () => {
        const root = copyProject();
        fs.renameSync(path.join(root, "python-src/lambdas/ingest-v2/handler.py"), path.join(root, "python-src/lambdas/ingest-v2/main.py"));
        await assert.rejects(
            buildArtifact(context(root), "ingest-v2", "1.5.0"),
            /^InputError: python-src\/lambdas\/ingest-v2: missing handler\.py/,
        );
    });

    it("refuses a layer over Lambda's 250 MB unzipped limit before reading it", async () => {
        const root = copyProject();
        const big = path.join(root, "python-src/layers/vectora-core/vectora_core/model.bin");
        fs.writeFileSync(big, "");
        fs.truncateSync(big, 300 * 1024 * 1024); // sparse: no disk used, no bytes read
        await assert.rejects(
            buildArtifact(context(root), "vectora-core", "1.2.3"),
            /^InputError: python-src\/layers\/vectora-core: vectora-core is 300\.0 MB unzipped; Lambda allows 250\.0 MB/,
        );
    });

    it("refuses a symbolic link that points outside the source folder", async () => {
        const root = copyProject();
        const outside = write(tempDir(), "secret.py", "KEY = 'x'\n");
        fs.symlinkSync(outside, path.join(root, "python-src/lambdas/ingest-v2/secret.py"));
        await assert.rejects(
            buildArtifact(context(root), "ingest-v2", "1.5.0"),
            /^InputError: python-src\/lambdas\/ingest-v2\/secret\.py: symbolic link points outside python-src\/lambdas\/ingest-v2/,
        );
    });

    it("writes into every zip a build-info file naming the artifact and its version, where no other artifact writes", async () => {
        const root = copyProject();
        const read = async (name: (typeof ARTIFACT_NAMES)[number], version: string) => {
            const artifact = await buildArtifact(context(root), name, version);
            const entries = readZip(fs.readFileSync(artifact.zipPath)).filter((e) => e.name.endsWith("vectora-build.json"));
            return entries.map((e) => [e.name, JSON.parse(e.data.toString("utf8")) as unknown]);
        };
        assert.deepStrictEqual(await read("ingest-v2", "1.5.0"), [["vectora-build.json", { artifact: "ingest-v2", version: "1.5.0" }]]);
        assert.deepStrictEqual(await read("vectora-core", "1.2.3"), [
            ["python/vectora_core/vectora-build.json", { artifact: "vectora-core", version: "1.2.3" }],
        ]);
        assert.deepStrictEqual(await read("common-deps", "1.0.5"), [
            ["python/common-deps/vectora-build.json", { artifact: "common-deps", version: "1.0.5" }],
        ]);
        const other = await buildArtifact(context(root), "ingest-v2", "1.5.1");
        assert.notStrictEqual(other.sha256, (await buildArtifact(context(root), "ingest-v2", "1.5.0")).sha256);
    });

    it("refuses a source file where the build writes its build-info file", async () => {
        const root = copyProject();
        write(root, "python-src/layers/vectora-core/vectora_core/vectora-build.json", "{}");
        await assert.rejects(
            buildArtifact(context(root), "vectora-core", "1.2.3"),
            /^InputError: python-src\/layers\/vectora-core\/vectora_core\/vectora-build\.json: the build writes this file itself/,
        );
    });
});
