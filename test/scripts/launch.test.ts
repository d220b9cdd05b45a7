import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO, tempDir, write } from "../helpers/fixtures";

/** A command that prints one word (declaring the little of Node it uses: no @types/node to load, a quick tsc). */
function hello(word: string): string {
    return `declare const process: { stdout: { write(text: string): void } };\nprocess.stdout.write("${word}\\n");\n`;
}

/**
 * A small project laid out as this one (tsconfig.json, policy/tsconfig.json, package-lock.json) with the real
 * launcher, so that its sources can be changed without touching the repository's.
 */
function project(): string {
    const root = tempDir("vectora-launch-");
    fs.mkdirSync(path.join(root, "scripts"));
    fs.copyFileSync(path.join(REPO, "scripts", "launch.mjs"), path.join(root, "scripts", "launch.mjs"));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"));
    const options = { target: "ES2022", module: "commonjs", strict: true, types: [] };
    write(
        root,
        "tsconfig.json",
        JSON.stringify({ compilerOptions: { ...options, outDir: ".build", rootDir: "." }, include: ["cli/**/*.ts"] }),
    );
    write(
        root,
        "policy/tsconfig.json",
        JSON.stringify({ compilerOptions: { ...options, outDir: "bin", rootDir: "." }, include: ["*.ts"] }),
    );
    write(root, "policy/index.ts", "export const PACK = 1;\n");
    write(root, "package-lock.json", "{}\n");
    write(root, "cli/hello.ts", hello("one"));
    return root;
}

function run(root: string): { out: string; err: string } {
    const result = childProcess.spawnSync(process.execPath, [path.join(root, "scripts", "launch.mjs"), "run", "cli/hello"], {
        cwd: root,
        encoding: "utf8",
    });
    assert.strictEqual(result.status, 0, result.stderr);
    return { out: result.stdout, err: result.stderr };
}

describe("scripts/launch.mjs: the launcher compares content, not times", function () {
    this.timeout(180_000);

    it("compiles what changed even when its modification time is older than the last build, and nothing otherwise", () => {
        const root = project();
        assert.deepStrictEqual(run(root), { out: "one\n", err: "compiling first (no previous build)\n" });
        assert.deepStrictEqual(run(root), { out: "one\n", err: "" });
        // A file restored (git checkout, a copied tree) with an old time: the build is older by time, not by content.
        const source = write(root, "cli/hello.ts", hello("two"));
        fs.utimesSync(source, new Date("2001-01-01"), new Date("2001-01-01"));
        assert.deepStrictEqual(run(root), {
            out: "two\n",
            err: "compiling first (a source, a tsconfig or package-lock.json changed since the last build)\n",
        });
        // Touched but unchanged: no build.
        fs.utimesSync(source, new Date(), new Date());
        assert.deepStrictEqual(run(root), { out: "two\n", err: "" });
        // A compiled file removed: rebuilt.
        fs.rmSync(path.join(root, ".build", "cli", "hello.js"));
        assert.deepStrictEqual(run(root), { out: "two\n", err: "compiling first (.build/cli/hello.js is missing)\n" });
    });
});
