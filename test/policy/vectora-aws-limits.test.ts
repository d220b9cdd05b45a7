import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer } from "../helpers/resources";

describe("vectora-aws-limits", () => {
    const POLICY = "vectora-aws-limits";

    describe("compliant", () => {
        it("passes the program's function, and a layer description of 256 characters", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("stage", "vectora-core", `1.0.0-${"r".repeat(213)}`))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports too many layers, a large environment and a long name (advisory), and passes the program's function", async () => {
            const pack = await policiesFor("stage");
            const arn = (i: number) => `arn:aws:lambda:eu-west-3:1:layer:vectora-inbox-l${i}-stage:1`;
            const heavy = fn("stage", "ingest-v2", {
                name: `vectora-inbox-${"x".repeat(60)}-stage`,
                layers: [1, 2, 3, 4, 5, 6].map(arn),
                environment: { variables: { ENV: "stage", PROMPT: "p".repeat(5000) } },
            });
            const bad = of(POLICY, await pack.analyze(heavy));
            assert.ok(bad.every((v) => v.level === "advisory"));
            assert.deepStrictEqual(
                bad.map((v) => /(is \d+ characters|has 6 layers|bytes of environment)/.exec(v.message)?.[1]),
                ["is 80 characters", "has 6 layers", "bytes of environment"],
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
        });

        it("reports a layer description over 256 characters (a long pre-release) and passes one of 256", async () => {
            const pack = await policiesFor("stage");
            // "vectora-core " + version + " sha256:<16>" is 37 characters around the version.
            const long = of(POLICY, await pack.analyze(layer("stage", "vectora-core", `1.0.0-${"r".repeat(214)}`)));
            assert.match(long[0]?.message ?? "", /description is 257 characters; Lambda allows 256/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(layer("stage", "vectora-core", `1.0.0-${"r".repeat(213)}`))), []);
        });

        it("reports an invalid bucket name", async () => {
            const pack = await policiesFor("stage");
            assert.match(
                of(POLICY, await pack.analyze(bucket("stage", "data", { bucket: "Vectora_Inbox-stage" })))[0]?.message ?? "",
                /must use only lowercase letters/,
            );
        });
    });

    describe("not applicable", () => {
        it("does not apply to types without limits", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze({ type: "aws:s3/bucketObjectv2:BucketObjectv2", name: "o", props: {} })));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a name unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            assert.match(of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { name: UNKNOWN })))[0]?.message ?? "", /during preview/);
        });
    });
});
