import * as assert from "assert";
import { drift } from "../../cli/drift";
import { differences } from "../../pulumi/previewDiff";
import { UNKNOWN } from "../../pulumi/wire";
import { tempDir } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { standInPulumi, withStandIn, withoutPulumi } from "../helpers/standinPulumi";
import { Json } from "../helpers/io";
import { REPO, write } from "../helpers/fixtures";
import { junitSchemaErrors, readJunit, sarifSchemaErrors } from "../helpers/reportSchemas";

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

    describe("--format", () => {
        const FN = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2";
        const BUCKET = "urn:pulumi:stage::vectora-inbox::vectora:storage:PrivateBucket$aws:s3/bucket:Bucket::config";
        // What `pulumi preview --refresh --expect-no-changes --json` prints after a hand change of LOG_LEVEL (its exit is 255).
        const PREVIEW = {
            steps: [
                { op: "same", urn: BUCKET, newState: { type: "aws:s3/bucket:Bucket", inputs: {} } },
                {
                    op: "update",
                    urn: FN,
                    diffReasons: ["environment"],
                    oldState: { type: "aws:lambda/function:Function", outputs: { environment: { variables: { LOG_LEVEL: "DEBUG" } } } },
                    newState: { type: "aws:lambda/function:Function", inputs: { environment: { variables: { LOG_LEVEL: "INFO" } } } },
                },
            ],
        };
        const run = async (...argv: string[]) => {
            const standIn = standInPulumi();
            write(standIn.data, "stage.preview.json", JSON.stringify(PREVIEW));
            return withStandIn(standIn, { STANDIN_PREVIEW_EXIT: "255" }, () => runIn(drift, "--stack", "stage", "--cwd", REPO, ...argv));
        };

        it("writes the drifted resource as a SARIF result at the component that declares it", async () => {
            const result = await run("--format", "sarif");
            assert.strictEqual(result.code, 1, result.err);
            const log = JSON.parse(result.out);
            assert.deepStrictEqual(sarifSchemaErrors(log), []);
            assert.deepStrictEqual(
                log.runs[0].results.map((r: Json) => [
                    r.ruleId,
                    r.level,
                    r.message.text,
                    r.locations[0].physicalLocation.artifactLocation.uri,
                ]),
                [
                    [
                        "vectora-drift",
                        "error",
                        "aws:lambda/function:Function ingest-v2 differs from the repository (pulumi up would update): " +
                            'environment.variables.LOG_LEVEL: "DEBUG" -> "INFO"',
                        "components/vectoraFunction.ts",
                    ],
                ],
            );
        });

        it("writes JUnit with one case per previewed resource, the drifted one failed", async () => {
            const result = await run("--format", "junit");
            assert.strictEqual(result.code, 1, result.err);
            assert.deepStrictEqual(await junitSchemaErrors(result.out), []);
            assert.deepStrictEqual(
                readJunit(result.out).suites.map((s) => s.cases.map((c) => [c.name, c.failureType ?? "passed"])),
                [
                    [
                        [BUCKET, "passed"],
                        [FN, "mandatory"],
                    ],
                ],
            );
        });

        it("keeps its JSON shape with its format version", async () => {
            const doc = JSON.parse((await run("--json")).out);
            assert.deepStrictEqual(Object.keys(doc), ["formatVersion", "stack", "drift"]);
            assert.strictEqual(doc.drift[0].urn, FN);
        });
    });
});
