import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, layer, role, tags } from "../helpers/resources";

const POLICY = "vectora-tags-required";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a bucket, a role and a function with the standard tags", async () => {
            const pack = await policiesFor("stage");
            for (const r of [bucket("stage"), role("stage"), fn("stage")]) {
                assert.deepStrictEqual(of(POLICY, await pack.analyze(r)), [], r.type);
            }
        });
    });

    describe("non-compliant", () => {
        it("reports a bucket without tags and one tagged for another environment, then passes it tagged", async () => {
            const pack = await policiesFor("stage");
            const bare = of(POLICY, await pack.analyze(bucket("stage", "data", { tags: undefined })));
            assert.strictEqual(bare[0]?.level, "mandatory");
            assert.match(
                bare[0].message,
                /aws:s3\/bucket:Bucket "data" has no Project tag \(Project=vectora-inbox\), no Env tag \(Env=stage\), no ManagedBy tag \(ManagedBy=pulumi\)/,
            );
            const other = of(POLICY, await pack.analyze(bucket("stage", "data", { tags: tags("prod") })));
            assert.match(other[0]?.message ?? "", /has Env=prod \(expected stage\);/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucket("stage", "data", { tags: tags("stage") }))), []);
        });

        it("reports a function without its artifact tags, or with a short sha", async () => {
            const pack = await policiesFor("stage");
            const plain = of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { tags: tags("stage") })));
            assert.match(plain[0]?.message ?? "", /has no Component tag, no Version tag, no ArtifactSha256 tag;/);
            const short = of(
                POLICY,
                await pack.analyze(
                    fn("stage", "ingest-v2", {
                        tags: { ...tags("stage"), Component: "ingest-v2", Version: "1.5.0", ArtifactSha256: "abc123" },
                    }),
                ),
            );
            assert.match(short[0]?.message ?? "", /ArtifactSha256=abc123 \(expected \^\[0-9a-f\]\{64\}\$\)/);
        });

        it("reports a tag value longer than AWS accepts, and an object with more tags than S3 allows", async () => {
            const pack = await policiesFor("stage");
            const long = of(POLICY, await pack.analyze(bucket("stage", "data", { tags: { ...tags("stage"), Owner: "x".repeat(257) } })));
            assert.match(long[0]?.message ?? "", /the Owner tag is 257 characters \(AWS allows 256\)/);
            const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, "v"]));
            const object = {
                type: "aws:s3/bucketObjectv2:BucketObjectv2",
                name: "scope",
                props: { bucket: "vectora-inbox-config-stage", key: "a.yaml", tags: { ...tags("stage"), ...many } },
            };
            assert.match(of(POLICY, await pack.analyze(object))[0]?.message ?? "", /11 tags \(S3 allows 10 per object\)/);
        });
    });

    describe("not applicable", () => {
        it("does not apply to types that take no tags", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(layer("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("says it cannot run on tags unknown during preview (advisory)", async () => {
            const pack = await packFor("stage");
            const unknown = of(POLICY, await pack.analyze(bucket("stage", "data", { tags: UNKNOWN })));
            assert.deepStrictEqual(
                unknown.map((v) => v.level),
                ["advisory"],
            );
            assert.match(unknown[0].message, /during preview/);
        });
    });
});
