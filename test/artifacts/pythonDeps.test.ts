import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO, tempDir } from "../helpers/fixtures";

/**
 * A process that installs the requirements into `cache` with a slow stand-in for pip (it counts its runs in
 * `runs`), then, while the other process may be placing its own copy, reads the installed folder for a while,
 * as a layer build zips it. Prints what it saw.
 */
function installer(cache: string, requirements: string, runs: string): childProcess.ChildProcess {
    const script = `
        const fs = require("fs"), path = require("path");
        const { installDependencies } = require(${JSON.stringify(path.join(REPO, ".build/artifacts/pythonDeps.js"))});
        const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
        const slowPip = (_req, target) => {
            fs.appendFileSync(${JSON.stringify(runs)}, process.pid + "\\n");
            sleep(1500);
            fs.mkdirSync(path.join(target, "python"), { recursive: true });
            fs.writeFileSync(path.join(target, "python", "dep.py"), "x = 1\\n");
            return { ok: true };
        };
        const result = installDependencies(${JSON.stringify(requirements)}, ${JSON.stringify(cache)}, slowPip);
        const seen = [];
        for (let i = 0; i < 20; i++) {
            seen.push(fs.existsSync(path.join(result.dir, "python", "dep.py")));
            sleep(100);
        }
        process.stdout.write(JSON.stringify({ ok: result.ok, dir: result.dir, seen }));
    `;
    return childProcess.spawn(process.execPath, ["-e", script], {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, VECTORA_SKIP_DEPS: "" },
    });
}

function finished(child: childProcess.ChildProcess): Promise<{ ok: boolean; dir: string; seen: boolean[] }> {
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    return new Promise((resolve, reject) =>
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`installer exited ${code}: ${out}`)))),
    );
}

describe("the common-deps install cache", () => {
    it("installs once when two processes ask at the same time, and never removes the folder the other one reads", async () => {
        const dir = tempDir("vectora-deps-");
        const cache = path.join(dir, "cache");
        const requirements = path.join(dir, "requirements.txt");
        const runs = path.join(dir, "runs");
        fs.writeFileSync(requirements, "requests==2.32.3\n");
        const results = await Promise.all([finished(installer(cache, requirements, runs)), finished(installer(cache, requirements, runs))]);
        assert.strictEqual(fs.readFileSync(runs, "utf8").trim().split("\n").length, 1, "pip ran more than once");
        for (const r of results) {
            assert.strictEqual(r.ok, true);
            assert.strictEqual(r.dir, results[0].dir);
            assert.deepStrictEqual(r.seen, Array(20).fill(true), "the installed folder went missing while it was read");
        }
        assert.deepStrictEqual(fs.readdirSync(cache).sort(), [path.basename(results[0].dir)], "a lock or temporary copy was left behind");
    });
});
