import * as assert from "assert";
import { notApplicable, of, packFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn } from "../helpers/resources";

describe("vectora-s3-prod-data-protected", () => {
    const POLICY = "vectora-s3-prod-data-protected";
    it("reports an unprotected prod data bucket (advisory), and passes it protected", async () => {
        const pack = await packFor("prod");
        const bad = of(POLICY, await pack.analyze(bucket("prod", "data")));
        assert.strictEqual(bad[0]?.level, "advisory");
        assert.match(bad[0].message, /bucket vectora-inbox-data-prod holds prod data but is not protected; declare it with \{ protect: true \}/);
        assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("prod", "data", {}, true))), []);
    });
    it("reports forceDestroy on a prod data bucket", async () => {
        const pack = await packFor("prod");
        const bad = of(POLICY, await pack.analyze(bucket("prod", "newsletters", { forceDestroy: true }, true)));
        assert.match(bad[0]?.message ?? "", /has forceDestroy: true/);
    });
    it("cannot run on a bucket name unknown during preview and says so (advisory)", async () => {
        const result = of(POLICY, await (await packFor("prod")).analyze(bucket("prod", "data", { bucket: UNKNOWN })));
        assert.strictEqual(result[0]?.level, "advisory");
        assert.match(result[0].message, /during preview/);
    });
    it("does not apply to the config bucket, to other stacks, or to other types", async () => {
        assert.ok(notApplicable(POLICY, await (await packFor("prod")).analyze(bucket("prod", "config"))));
        assert.ok(notApplicable(POLICY, await (await packFor("stage")).analyze(bucket("stage", "data"))));
        assert.ok(notApplicable(POLICY, await (await packFor("prod")).analyze(fn("prod"))));
    });
});

describe("vectora-logs-retention-set", () => {
    const POLICY = "vectora-logs-retention-set";
    const logGroup = (env: string, retentionInDays?: unknown) => ({
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "ingest-v2-logs",
        props: { name: `/aws/lambda/vectora-inbox-ingest-v2-${env}`, ...(retentionInDays === undefined ? {} : { retentionInDays }) },
    });
    it("reports a log group kept forever (advisory), and passes it with a retention", async () => {
        const pack = await packFor("dev");
        const bad = of(POLICY, await pack.analyze(logGroup("dev")));
        assert.strictEqual(bad[0]?.level, "advisory");
        assert.match(bad[0].message, /keeps logs forever; set retentionInDays/);
        assert.deepStrictEqual(of(POLICY, await pack.analyze(logGroup("dev", 14))), []);
    });
    it("reports a prod retention shorter than 90 days", async () => {
        const pack = await packFor("prod");
        assert.match(of(POLICY, await pack.analyze(logGroup("prod", 30)))[0]?.message ?? "", /keeps prod logs 30 days; keep them at least 90 days/);
        assert.deepStrictEqual(of(POLICY, await pack.analyze(logGroup("prod", 90))), []);
    });
    it("does not apply to other types, and cannot run on an unknown retention", async () => {
        const pack = await packFor("dev");
        assert.ok(notApplicable(POLICY, await pack.analyze(bucket("dev"))));
        assert.match(of(POLICY, await pack.analyze(logGroup("dev", UNKNOWN)))[0]?.message ?? "", /during preview/);
    });
});

describe("vectora-aws-limits", () => {
    const POLICY = "vectora-aws-limits";
    it("reports too many layers, a large environment and a long name (advisory), and passes the program's function", async () => {
        const pack = await packFor("stage");
        const arn = (i: number) => `arn:aws:lambda:eu-west-3:1:layer:vectora-inbox-l${i}-stage:1`;
        const heavy = fn("stage", "ingest-v2", {
            name: `vectora-inbox-${"x".repeat(60)}-stage`,
            layers: [1, 2, 3, 4, 5, 6].map(arn),
            environment: { variables: { ENV: "stage", PROMPT: "p".repeat(5000) } },
        });
        const bad = of(POLICY, await pack.analyze(heavy));
        assert.ok(bad.every((v) => v.level === "advisory"));
        assert.deepStrictEqual(bad.map((v) => /(is \d+ characters|has 6 layers|bytes of environment)/.exec(v.message)?.[1]), ["is 80 characters", "has 6 layers", "bytes of environment"]);
        assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
    });
    it("reports an invalid bucket name", async () => {
        const pack = await packFor("stage");
        assert.match(of(POLICY, await pack.analyze(bucket("stage", "data", { bucket: "Vectora_Inbox-stage" })))[0]?.message ?? "", /must use only lowercase letters/);
    });
    it("cannot run on a name unknown during preview and says so (advisory)", async () => {
        const pack = await packFor("stage");
        assert.match(of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { name: UNKNOWN })))[0]?.message ?? "", /during preview/);
    });
    it("does not apply to types without limits", async () => {
        const pack = await packFor("stage");
        assert.ok(notApplicable(POLICY, await pack.analyze({ type: "aws:s3/bucketObjectv2:BucketObjectv2", name: "o", props: {} })));
    });
});
