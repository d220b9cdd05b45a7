import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { fn, secureBucket } from "../helpers/resources";

const POLICY = "vectora-s3-private-encrypted-versioned";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes buckets declared with their three companions", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([...secureBucket("stage", "data"), ...secureBucket("stage", "config")])),
                [],
            );
        });
    });

    describe("non-compliant", () => {
        it("reports a bucket without its public access block, then passes it with the block", async () => {
            const pack = await policiesFor("stage");
            const [b, block, encryption, versioning] = secureBucket("stage");
            const bad = of(POLICY, await pack.analyzeStack([b, encryption, versioning]));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(bad[0].message, /bucket "vectora-inbox-data-stage" has no public access block/);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([b, block, encryption, versioning])), []);
        });

        it("reports a public access block with a setting off", async () => {
            const pack = await policiesFor("stage");
            const [b, block, encryption, versioning] = secureBucket("stage");
            const open = { ...block, props: { ...block.props, restrictPublicBuckets: false } };
            const bad = of(POLICY, await pack.analyzeStack([b, open, encryption, versioning]));
            assert.match(bad[0]?.message ?? "", /its public access block leaves restrictPublicBuckets unset or false/);
        });

        it("reports missing encryption and suspended versioning", async () => {
            const pack = await policiesFor("stage");
            const [b, block, , versioning] = secureBucket("stage");
            const suspended = { ...versioning, props: { ...versioning.props, versioningConfiguration: { status: "Suspended" } } };
            const bad = of(POLICY, await pack.analyzeStack([b, block, suspended]));
            assert.deepStrictEqual(
                bad.map((v) => /has no (\w+)/.exec(v.message)?.[1]),
                ["default", "versioning"],
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
        it("cannot run on a bucket name unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            const [b, ...rest] = secureBucket("stage");
            const result = of(POLICY, await pack.analyzeStack([{ ...b, props: { bucket: UNKNOWN } }, ...rest]));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
