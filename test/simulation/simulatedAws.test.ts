import * as assert from "assert";
import {
    computedKeys,
    freshAccountClock,
    lambdaDate,
    replacesOnChange,
    simulateCreate,
    simulateUpdate,
} from "../../simulation/simulatedAws";

const FN = "aws:lambda/function:Function";
const LAYER = "aws:lambda/layerVersion:LayerVersion";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";

describe("the simulated AWS", () => {
    it("numbers the versions of each layer as AWS does: 1, 2, ... per layer name", () => {
        const clock = freshAccountClock(() => new Date("2026-11-01T00:00:00Z"));
        const core = (n: number) =>
            simulateCreate(LAYER, { layerName: "vectora-inbox-vectora-core-stage" }, "eu-west-3", clock).id.endsWith(`:${n}`);
        assert.ok(core(1) && core(2));
        const deps = simulateCreate(LAYER, { layerName: "vectora-inbox-common-deps-stage" }, "eu-west-3", clock);
        assert.strictEqual(deps.id, "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-common-deps-stage:1");
        assert.strictEqual(deps.outputs.layerArn, "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-common-deps-stage");
        assert.strictEqual(deps.outputs.createdDate, "2026-11-01T00:00:00.000+0000");
    });

    it("keeps a function's ARN on update and moves its last-modified date", () => {
        let now = new Date("2026-11-01T00:00:00Z");
        const clock = freshAccountClock(() => now);
        const created = simulateCreate(FN, { name: "vectora-inbox-ingest-v2-dev", memorySize: 512 }, "eu-west-3", clock);
        assert.strictEqual(created.outputs.arn, "arn:aws:lambda:eu-west-3:123456789012:function:vectora-inbox-ingest-v2-dev");
        now = new Date("2026-11-02T00:00:00Z");
        const updated = simulateUpdate(FN, created.outputs, { name: "vectora-inbox-ingest-v2-dev", memorySize: 1024 }, "eu-west-3", clock);
        assert.strictEqual(updated.arn, created.outputs.arn);
        assert.strictEqual(updated.memorySize, 1024);
        assert.strictEqual(updated.lastModified, lambdaDate(now));
    });

    it("gives every write of an object a new 32-character version id", () => {
        const clock = freshAccountClock();
        const first = simulateCreate(OBJECT, { bucket: "b", key: "k" }, "eu-west-3", clock);
        const second = simulateUpdate(OBJECT, first.outputs, { bucket: "b", key: "k" }, "eu-west-3", clock);
        assert.match(String(first.outputs.versionId), /^[0-9a-f]{32}$/);
        assert.notStrictEqual(second.versionId, first.outputs.versionId);
    });

    it("replaces what AWS cannot change in place, and nothing else", () => {
        assert.ok(replacesOnChange(LAYER, "description") && replacesOnChange(LAYER, "s3Key"));
        assert.ok(!replacesOnChange(LAYER, "skipDestroy"));
        assert.ok(replacesOnChange(FN, "name") && !replacesOnChange(FN, "environment"));
        assert.ok(replacesOnChange(OBJECT, "key") && !replacesOnChange(OBJECT, "source"));
        assert.ok(!replacesOnChange("aws:unknown/thing:Thing", "anything"));
    });

    it("knows which outputs AWS computes, so they are never compared with inputs", () => {
        assert.deepStrictEqual([...computedKeys(FN)].sort(), ["arn", "invokeArn", "lastModified", "qualifiedArn", "version"]);
        assert.deepStrictEqual([...computedKeys(LAYER)].sort(), ["arn", "createdDate", "layerArn", "version"]);
    });
});
