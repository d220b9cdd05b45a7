import * as assert from "assert";
import { drift } from "../../cli/drift";
import { differences } from "../../pulumi/previewDiff";
import { UNKNOWN } from "../../pulumi/wire";
import { tempDir } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { withoutPulumi } from "../helpers/standinPulumi";

// The real engine's preview JSON is exercised in test/engine/workflow.test.ts (sandbox:tamper, then drift).
describe("npm run drift", () => {
    it("walks nested values to the leaf that differs, and skips what the preview cannot know yet", () => {
        assert.deepStrictEqual(
            differences(
                { variables: { LOG_LEVEL: "DEBUG", ENV: "stage" }, layers: ["a:1", "b:2"], extra: 1 },
                { variables: { LOG_LEVEL: "INFO", ENV: "stage" }, layers: ["a:1", UNKNOWN] },
            ),
            [
                { path: "extra", cloud: 1, repository: undefined },
                { path: "variables.LOG_LEVEL", cloud: "DEBUG", repository: "INFO" },
            ],
        );
        assert.deepStrictEqual(differences(["a"], ["a", "b"], "layers"), [{ path: "layers", cloud: ["a"], repository: ["a", "b"] }]);
    });

    it("exits 2 with one line on a missing or unknown stack, and without a CLI", async () => {
        for (const [argv, pattern] of [
            [[], /^error: missing --stack; usage: npm run drift -- --stack <dev\|stage\|prod>/],
            [["--stack", "qa"], /^error: unknown stack "qa"/],
        ] as Array<[string[], RegExp]>) {
            const run = await runIn(drift, ...argv, "--cwd", tempDir());
            assert.strictEqual(run.code, 2);
            assert.match(run.err, pattern);
        }
        const missing = await withoutPulumi(() => runIn(drift, "--stack", "stage"));
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /the pulumi CLI is not on PATH, and drift runs pulumi preview --refresh on stack stage through it/);
    });
});
