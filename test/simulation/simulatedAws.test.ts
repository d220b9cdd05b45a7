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
        assert.strictEqual(created.outputs.codeSha256, undefined, "no code location, no code hash");
        assert.strictEqual(created.outputs.arn, "arn:aws:lambda:eu-west-3:123456789012:function:vectora-inbox-ingest-v2-dev");
        now = new Date("2026-11-02T00:00:00Z");
        const updated = simulateUpdate(FN, created.outputs, { name: "vectora-inbox-ingest-v2-dev", memorySize: 1024 }, "eu-west-3", clock);
        assert.strictEqual(updated.arn, created.outputs.arn);
        assert.strictEqual(updated.memorySize, 1024);
        assert.strictEqual(updated.lastModified, lambdaDate(now));
    });

    it("gives every upload of an object a new 32-character version id, and keeps it when only its tags change", () => {
        const clock = freshAccountClock();
        const first = simulateCreate(OBJECT, { bucket: "b", key: "k", content: "one" }, "eu-west-3", clock);
        const second = simulateUpdate(OBJECT, first.outputs, { bucket: "b", key: "k", content: "two" }, "eu-west-3", clock);
        const retagged = simulateUpdate(
            OBJECT,
            second,
            { bucket: "b", key: "k", content: "two", tags: { Env: "dev" } },
            "eu-west-3",
            clock,
        );
        assert.match(String(first.outputs.versionId), /^[0-9a-f]{32}$/);
        assert.notStrictEqual(second.versionId, first.outputs.versionId);
        assert.strictEqual(retagged.versionId, second.versionId);
    });

    it("replaces what AWS cannot change in place, and nothing else", () => {
        assert.ok(replacesOnChange(LAYER, "description") && replacesOnChange(LAYER, "s3Key"));
        // Upstream marks even skip_destroy ForceNew (layer_version.go, v6).
        assert.ok(replacesOnChange(LAYER, "skipDestroy"));
        assert.ok(replacesOnChange(FN, "packageType") && !replacesOnChange(FN, "memorySize"));
        assert.ok(replacesOnChange(FN, "name") && !replacesOnChange(FN, "environment"));
        assert.ok(replacesOnChange(OBJECT, "key") && !replacesOnChange(OBJECT, "source"));
        assert.ok(!replacesOnChange("aws:unknown/thing:Thing", "anything"));
    });

    it("knows which outputs AWS computes, so they are never compared with inputs", () => {
        assert.deepStrictEqual([...computedKeys(FN)].sort(), [
            "architectures",
            "arn",
            "codeSha256",
            "ephemeralStorage",
            "invokeArn",
            "lastModified",
            "loggingConfig",
            "qualifiedArn",
            "qualifiedInvokeArn",
            "tracingConfig",
            "version",
        ]);
        assert.deepStrictEqual([...computedKeys(LAYER)].sort(), ["arn", "codeSha256", "createdDate", "layerArn", "version"]);
    });
});

describe("the simulated Lambda's code hashes (CodeSha256)", () => {
    /** sha256 of "hello" and of "tampered bytes", base64 of the raw digests, written out. */
    const HELLO_B64 = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
    const TAMPERED_B64 = "yQoJBhXWx339xFoC2dGMfOvnHA0iE++8fdUPfp6i29U=";
    const code = { s3Bucket: "vectora-inbox-lambda-code-dev", s3Key: "lambdas/ingest-v2-1.5.0.zip" };
    const upload = (clock: ReturnType<typeof freshAccountClock>, content: string) =>
        simulateCreate(OBJECT, { bucket: code.s3Bucket, key: code.s3Key, content }, "eu-west-3", clock).outputs.versionId as string;
    const fn = (extra: Record<string, unknown>) => ({ name: "vectora-inbox-ingest-v2-dev", ...code, ...extra });

    it("hashes the bytes of the S3 object version a function names, not the sourceCodeHash the program claims", () => {
        const clock = freshAccountClock();
        const version = upload(clock, "hello");
        upload(clock, "tampered bytes");
        const created = simulateCreate(FN, fn({ s3ObjectVersion: version, sourceCodeHash: "not-what-s3-holds" }), "eu-west-3", clock);
        assert.strictEqual(created.outputs.codeSha256, HELLO_B64);
        assert.strictEqual(created.outputs.sourceCodeHash, "not-what-s3-holds", "the claim is kept as an input, as the provider keeps it");
    });

    it("hashes the current version when the function names none", () => {
        const clock = freshAccountClock();
        upload(clock, "hello");
        upload(clock, "tampered bytes");
        assert.strictEqual(simulateCreate(FN, fn({}), "eu-west-3", clock).outputs.codeSha256, TAMPERED_B64);
    });

    it("hashes a layer version's package the same way", () => {
        const clock = freshAccountClock();
        const version = upload(clock, "hello");
        const layer = simulateCreate(
            LAYER,
            { layerName: "vectora-inbox-vectora-core-dev", ...code, s3ObjectVersion: version },
            "eu-west-3",
            clock,
        );
        assert.strictEqual(layer.outputs.codeSha256, HELLO_B64);
    });

    it("fails a create whose object or version does not exist, as Lambda does, naming the operation", () => {
        const clock = freshAccountClock();
        assert.throws(
            () => simulateCreate(FN, fn({}), "eu-west-3", clock),
            /^Error: creating Lambda Function \(vectora-inbox-ingest-v2-dev\): InvalidParameterValueException: Error occurred while GetObject\. S3 Error Code: NoSuchKey\. S3 Error Message: The specified key does not exist\.$/,
        );
        upload(clock, "hello");
        assert.throws(
            () => simulateCreate(LAYER, { layerName: "l", ...code, s3ObjectVersion: "0".repeat(32) }, "eu-west-3", clock),
            /^Error: publishing Lambda Layer \(l\) Version: .*S3 Error Code: NoSuchVersion\. S3 Error Message: The specified version does not exist\.$/,
        );
    });

    it("keeps a function's hash through configuration changes, even after its object changed, and takes new bytes with new code", () => {
        const clock = freshAccountClock();
        const first = upload(clock, "hello");
        const created = simulateCreate(FN, fn({ s3ObjectVersion: first, memorySize: 512 }), "eu-west-3", clock);
        const second = upload(clock, "tampered bytes");
        const configOnly = simulateUpdate(FN, created.outputs, fn({ s3ObjectVersion: first, memorySize: 1024 }), "eu-west-3", clock);
        assert.strictEqual(configOnly.codeSha256, HELLO_B64);
        const newCode = simulateUpdate(FN, configOnly, fn({ s3ObjectVersion: second, memorySize: 1024 }), "eu-west-3", clock);
        assert.strictEqual(newCode.codeSha256, TAMPERED_B64);
    });

    it("fails an update of the code whose object version does not exist", () => {
        const clock = freshAccountClock();
        const created = simulateCreate(FN, fn({ s3ObjectVersion: upload(clock, "hello") }), "eu-west-3", clock);
        assert.throws(
            () => simulateUpdate(FN, created.outputs, fn({ s3ObjectVersion: "f".repeat(32) }), "eu-west-3", clock),
            /updating Lambda Function \(vectora-inbox-ingest-v2-dev\) code: .*NoSuchVersion/,
        );
    });
});
