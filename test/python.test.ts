import * as assert from "assert";
import * as childProcess from "child_process";
import * as path from "path";
import { REPO } from "./helpers/fixtures";

describe("the Python handlers", () => {
    it("read ENV and their buckets from the environment and log them (python3 -m unittest)", function () {
        const probe = childProcess.spawnSync("python3", ["--version"]);
        if (probe.status !== 0) {
            this.skip(); // the handlers' own tests need a Python; the Node tests above do not
        }
        const result = childProcess.spawnSync("python3", ["-m", "unittest", "discover", "-s", path.join(REPO, "python-src/tests"), "-v"], {
            encoding: "utf8",
            env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stderr, /Ran 19 tests/);
    });
});
