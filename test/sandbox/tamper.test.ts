import * as assert from "assert";
import type { AccountState } from "../../sandbox/account";
import { applyChanges, findByConsoleName, parseSet } from "../../sandbox/tamper";

function state(): AccountState {
    const r = (type: string, id: string, stack: string, outputs: Record<string, unknown>) => ({ type, id, stack, outputs });
    const resources = [
        r("aws:lambda/function:Function", "vectora-inbox-ingest-v2-stage", "stage", {
            name: "vectora-inbox-ingest-v2-stage",
            environment: { variables: { LOG_LEVEL: "INFO" } },
        }),
        r("aws:lambda/function:Function", "vectora-inbox-ingest-v2-prod", "prod", { name: "vectora-inbox-ingest-v2-prod" }),
        r("aws:lambda/layerVersion:LayerVersion", "arn:...:1", "stage", { layerName: "vectora-inbox-vectora-core-stage", version: "1" }),
        r("aws:lambda/layerVersion:LayerVersion", "arn:...:2", "stage", { layerName: "vectora-inbox-vectora-core-stage", version: "2" }),
        r("aws:s3/bucket:Bucket", "vectora-inbox-data-stage", "stage", { bucket: "vectora-inbox-data-stage" }),
        r("aws:s3/bucketPolicy:BucketPolicy", "vectora-inbox-data-stage", "stage", { bucket: "vectora-inbox-data-stage" }),
    ];
    return { format: 1, layers: {}, objects: {}, resources: Object.fromEntries(resources.map((x) => [`${x.type} ${x.id}`, x])) };
}

describe("sandbox:tamper", () => {
    it("parses --set <path>=<json>, and says how to quote a string", () => {
        assert.deepStrictEqual(parseSet('environment.variables.LOG_LEVEL="DEBUG"'), {
            path: ["environment", "variables", "LOG_LEVEL"],
            value: "DEBUG",
        });
        assert.deepStrictEqual(parseSet("memorySize=2048"), { path: ["memorySize"], value: 2048 });
        assert.throws(
            () => parseSet("LOG_LEVEL=DEBUG"),
            /--set LOG_LEVEL=DEBUG: the value is not JSON; quote strings, for example LOG_LEVEL='"DEBUG"'/,
        );
        assert.throws(() => parseSet("=1"), /expected <property path>=<JSON value>/);
    });

    it("finds a resource by the name a person sees in the console, in one stack, a layer at its newest version", () => {
        assert.strictEqual(findByConsoleName(state(), "prod", "vectora-inbox-ingest-v2-prod").id, "vectora-inbox-ingest-v2-prod");
        assert.strictEqual(findByConsoleName(state(), "stage", "vectora-inbox-vectora-core-stage").id, "arn:...:2");
        assert.strictEqual(findByConsoleName(state(), "stage", "vectora-inbox-data-stage").type, "aws:s3/bucket:Bucket");
        assert.throws(
            () => findByConsoleName(state(), "dev", "vectora-inbox-ingest-v2-stage"),
            /no resource named vectora-inbox-ingest-v2-stage in stack dev .* holds nothing/,
        );
    });

    it("changes nested properties and returns what they held", () => {
        const s = state();
        const fn = findByConsoleName(s, "stage", "vectora-inbox-ingest-v2-stage");
        assert.deepStrictEqual(
            applyChanges(fn, [parseSet('environment.variables.LOG_LEVEL="DEBUG"'), parseSet('tracingConfig.mode="Active"')]),
            ["INFO", undefined],
        );
        assert.deepStrictEqual(fn.outputs.environment, { variables: { LOG_LEVEL: "DEBUG" } });
        assert.deepStrictEqual(fn.outputs.tracingConfig, { mode: "Active" });
    });
});
