import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { compliantBucket, fn, tlsPolicyDocument, withProps, without } from "../helpers/resources";

const POLICY = "vectora-s3-tls-only";
const POLICY_TYPE = "aws:s3/bucketPolicy:BucketPolicy";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes buckets whose policy denies requests without TLS", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([...compliantBucket("stage"), ...compliantBucket("stage", "config")])),
                [],
            );
        });
    });

    describe("non-compliant", () => {
        it("reports a bucket without a policy, then passes it with the TLS-only policy", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyzeStack(without(compliantBucket("stage"), POLICY_TYPE)));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /bucket "vectora-inbox-data-stage" has no bucket policy; add an aws\.s3\.BucketPolicy that denies "s3:\*"/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(compliantBucket("stage"))), []);
        });

        it("reports a policy that only covers the bucket and not its objects, or that lacks the TLS condition", async () => {
            const pack = await policiesFor("stage");
            const name = "vectora-inbox-data-stage";
            const bucketOnly = JSON.stringify({
                Statement: [
                    {
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: `arn:aws:s3:::${name}`,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            });
            const noCondition = JSON.stringify({
                Statement: [
                    { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`] },
                ],
            });
            for (const policy of [bucketOnly, noCondition]) {
                const bad = of(POLICY, await pack.analyzeStack(withProps(compliantBucket("stage"), POLICY_TYPE, { policy })));
                assert.match(bad[0]?.message ?? "", /its bucket policy does not deny requests without TLS/, policy);
            }
            // A wildcard resource that covers both is as good as naming them.
            const wildcard = JSON.stringify({
                Statement: [
                    {
                        Effect: "Deny",
                        Principal: { AWS: "*" },
                        Action: ["s3:*"],
                        Resource: `arn:aws:s3:::${name}*`,
                        Condition: { Bool: { "aws:SecureTransport": ["false"] } },
                    },
                ],
            });
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack(withProps(compliantBucket("stage"), POLICY_TYPE, { policy: wildcard }))),
                [],
            );
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack(withProps(compliantBucket("stage"), POLICY_TYPE, { policy: tlsPolicyDocument(name) }))),
                [],
            );
        });
    });

    describe("not applicable", () => {
        it("does not apply to a stack without buckets", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyzeStack([fn("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a bucket policy unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            const result = of(POLICY, await pack.analyzeStack(withProps(compliantBucket("stage"), POLICY_TYPE, { policy: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
