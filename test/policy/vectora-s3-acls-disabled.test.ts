import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { canonicalManifest, compliantBucket, fn, withProps, without } from "../helpers/resources";

const POLICY = "vectora-s3-acls-disabled";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes buckets with ACLs disabled and private objects", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([...compliantBucket("stage"), canonicalManifest("stage", "1.1", "a".repeat(64))])),
                [],
            );
        });
    });

    describe("non-compliant", () => {
        it("reports a bucket without ownership controls, or with ACLs still enabled, then passes it with BucketOwnerEnforced", async () => {
            const pack = await policiesFor("stage");
            const missing = of(POLICY, await pack.analyzeStack(without(compliantBucket("stage"), OWNERSHIP)));
            assert.strictEqual(missing.length, 1);
            assert.strictEqual(missing[0].level, "mandatory");
            assert.match(
                missing[0].message,
                /bucket "vectora-inbox-data-stage" does not disable ACLs; add an aws\.s3\.BucketOwnershipControls/,
            );
            const preferred = withProps(compliantBucket("stage"), OWNERSHIP, { rule: { objectOwnership: "BucketOwnerPreferred" } });
            assert.strictEqual(of(POLICY, await pack.analyzeStack(preferred)).length, 1);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(compliantBucket("stage"))), []);
        });

        it("reports a BucketAcl resource and a public-read object, then passes without them", async () => {
            const pack = await policiesFor("stage");
            const acl = {
                type: "aws:s3/bucketAcl:BucketAcl",
                name: "data-acl",
                props: { bucket: "vectora-inbox-data-stage", acl: "public-read" },
            };
            const object = {
                ...canonicalManifest("stage", "1.1", "a".repeat(64)),
                props: { bucket: "vectora-inbox-config-stage", key: "x", acl: "public-read" },
            };
            const messages = of(POLICY, await pack.analyzeStack([...compliantBucket("stage"), acl, object])).map((v) => v.message);
            assert.strictEqual(messages.length, 2, messages.join("\n"));
            assert.match(messages[0], /aws:s3\/bucketAcl:BucketAcl "data-acl" sets a bucket ACL/);
            assert.match(messages[1], /object "x" has the ACL public-read; objects are private/);
            const fixed = { ...object, props: { ...object.props, acl: "private" } };
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([...compliantBucket("stage"), fixed])), []);
        });
    });

    describe("not applicable", () => {
        it("does not apply to a stack without buckets, objects or ACLs", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyzeStack([fn("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on ownership controls unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            const result = of(POLICY, await pack.analyzeStack(withProps(compliantBucket("stage"), OWNERSHIP, { rule: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
