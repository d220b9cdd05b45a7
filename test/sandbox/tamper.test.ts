import * as assert from "assert";
import type { AccountState } from "../../sandbox/account";
import { applyChanges, findByConsoleName, parseSet, uploadByHand } from "../../sandbox/tamper";
import { freshAccountClock, simulateCreate } from "../../simulation/simulatedAws";

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
    return {
        format: 1,
        layers: {},
        objects: {},
        objectVersions: {},
        resources: Object.fromEntries(resources.map((x) => [`${x.type} ${x.id}`, x])),
    };
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

    it("uploads a new version when the content of an object changes by hand, and leaves a function on the bytes it was given", () => {
        const clock = freshAccountClock();
        const code = { s3Bucket: "vectora-inbox-lambda-code-stage", s3Key: "lambdas/ingest-v2-1.5.0.zip" };
        const object = simulateCreate(
            "aws:s3/bucketObjectv2:BucketObjectv2",
            { bucket: code.s3Bucket, key: code.s3Key, content: "hello" },
            "eu-west-3",
            clock,
        );
        const fn = simulateCreate("aws:lambda/function:Function", { name: "f", ...code }, "eu-west-3", clock);
        const resource = { type: "aws:s3/bucketObjectv2:BucketObjectv2", id: code.s3Key, stack: "stage", outputs: { ...object.outputs } };
        const changes = [parseSet('content="tampered bytes"')];
        applyChanges(resource, changes);
        uploadByHand(resource, changes, clock);
        assert.notStrictEqual(resource.outputs.versionId, object.outputs.versionId);
        // What S3 now serves at the key, by its hash (sha256 of "tampered bytes", written out).
        assert.deepStrictEqual(clock.getObject(code.s3Bucket, code.s3Key), {
            versionId: resource.outputs.versionId,
            sha256: "c90a090615d6c77dfdc45a02d9d18c7cebe71c0d2213efbc7dd50f7e9ea2dbd5",
        });
        assert.strictEqual(fn.outputs.codeSha256, "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
    });

    it("does not upload anything when a hand change leaves an object's content as it was", () => {
        const clock = freshAccountClock();
        const object = simulateCreate(
            "aws:s3/bucketObjectv2:BucketObjectv2",
            { bucket: "b", key: "k", content: "hello" },
            "eu-west-3",
            clock,
        );
        const resource = { type: "aws:s3/bucketObjectv2:BucketObjectv2", id: "k", stack: "stage", outputs: { ...object.outputs } };
        const changes = [parseSet('contentType="text/plain"')];
        applyChanges(resource, changes);
        uploadByHand(resource, changes, clock);
        assert.strictEqual(resource.outputs.versionId, object.outputs.versionId);
    });
});
