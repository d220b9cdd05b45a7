import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";
import { REPO, tempDir } from "./fixtures";

/**
 * The handler's own tree digest of a zip, computed apart from the TypeScript under test: Python's zipfile unpacks the
 * zip (another reader than artifacts/unzip.ts) and vectora_core.smoke's tree_sha256 hashes `sub` of the unpacked
 * folder, leaving out `exclude`, as the handler does on Lambda.
 */
export function pythonTree(zip: string, sub: string, exclude: readonly string[] = []): string {
    const script = [
        "import sys, zipfile",
        "from vectora_core.smoke import tree_sha256",
        "zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
        "print(tree_sha256(sys.argv[2] + '/' + sys.argv[3], sys.argv[4:]))",
    ].join("\n");
    const run = childProcess.spawnSync("python3", ["-B", "-c", script, zip, tempDir("vectora-unzipped-"), sub, ...exclude], {
        encoding: "utf8",
        env: { ...process.env, PYTHONPATH: path.join(REPO, "python-src/layers/vectora-core") },
    });
    assert.strictEqual(run.status, 0, run.stderr || String(run.error));
    return run.stdout.trim();
}
