import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { engineCacheDir, ensureEngine, languageHostSources } from "../../pulumi/cliBuild";
import { onPath } from "../../lib/executables";
import { REPO, tempDir } from "../helpers/fixtures";

/** A project root holding only sandbox/engine (the Go module) and a cached engine whose CLI is a stand-in. */
function cachedEngine(): { root: string; cache: string } {
    const root = tempDir("vectora-engine-cache-");
    fs.cpSync(path.join(REPO, "sandbox", "engine"), path.join(root, "sandbox", "engine"), { recursive: true });
    const cache = engineCacheDir(root);
    fs.mkdirSync(cache, { recursive: true });
    for (const name of ["pulumi", "pulumi-language-nodejs"]) {
        fs.writeFileSync(path.join(cache, name), "#!/bin/sh\necho stand-in\n", { mode: 0o755 });
    }
    return { root, cache };
}

/** ensureEngine with go on PATH and no pulumi there, collecting what it logs. */
function ensure(root: string): string[] {
    const go = onPath("go");
    assert.ok(go, "these tests need go on PATH, as the engine suite does");
    const saved = process.env.PATH;
    process.env.PATH = path.dirname(fs.realpathSync(go));
    const logged: string[] = [];
    try {
        ensureEngine(root, (line) => logged.push(line));
    } finally {
        process.env.PATH = saved;
    }
    return logged;
}

describe("the sandbox's engine cache", function () {
    this.timeout(300_000);
    // The stand-in CLI goes to a cache of its own, never the machine's.
    const saved = process.env.VECTORA_ENGINE_CACHE;
    before(() => {
        process.env.VECTORA_ENGINE_CACHE = tempDir("vectora-engine-cache-root-");
    });
    after(() => {
        if (saved === undefined) {
            delete process.env.VECTORA_ENGINE_CACHE;
        } else {
            process.env.VECTORA_ENGINE_CACHE = saved;
        }
    });

    it("rebuilds the cached language host when its sources change, and only then, keeping the cached CLI", () => {
        const { root, cache } = cachedEngine();
        const host = path.join(cache, "pulumi-language-nodejs");
        // A cache that does not say what its host was built from (one built before this check): rebuilt once.
        assert.deepStrictEqual(ensure(root), ["rebuilding pulumi-language-nodejs: the cache does not record its sources"]);
        assert.ok(!fs.readFileSync(host).toString("latin1").startsWith("#!/bin/sh"), "the stand-in host is replaced by a Go build");
        assert.strictEqual(fs.readFileSync(path.join(cache, "pulumi"), "utf8"), "#!/bin/sh\necho stand-in\n", "the CLI is kept");
        const stamp = () => fs.readFileSync(path.join(cache, "pulumi-language-nodejs.sources.sha256"), "utf8").trim();
        assert.strictEqual(stamp(), languageHostSources(root));
        // Unchanged sources: nothing to do.
        assert.deepStrictEqual(ensure(root), []);
        // A changed source, whatever its modification time: rebuilt, and the record follows.
        const before = stamp();
        const main = path.join(root, "sandbox", "engine", "languagehost", "main.go");
        fs.appendFileSync(main, "\n// a change\n");
        fs.utimesSync(main, new Date("2001-01-01"), new Date("2001-01-01"));
        assert.deepStrictEqual(ensure(root), ["rebuilding pulumi-language-nodejs: sandbox/engine/languagehost changed"]);
        assert.notStrictEqual(stamp(), before);
        assert.deepStrictEqual(ensure(root), []);
    });
});
