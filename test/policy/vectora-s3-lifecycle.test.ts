import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, compliantBucket, withProps, without } from "../helpers/resources";

const POLICY = "vectora-s3-lifecycle";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a versioned bucket whose lifecycle expires old versions, failed uploads and delete markers", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(compliantBucket("stage"))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a versioned bucket without a lifecycle (every version kept forever), then passes it with one", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyzeStack(without(compliantBucket("stage"), LIFECYCLE)));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /bucket "vectora-inbox-data-stage" is versioned but its lifecycle is missing: noncurrent versions never expire/,
            );
            assert.match(bad[0].message, /incomplete multipart uploads are not aborted within 7 days; expired delete markers are kept/);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(compliantBucket("stage"))), []);
        });

        it("reports old versions expiring inside the rollback window, and rules that cover only a prefix or are disabled", async () => {
            const pack = await policiesFor("stage");
            const rules = (noncurrentDays: number, extra: Record<string, unknown> = {}) => [
                {
                    id: "noncurrent",
                    status: "Enabled",
                    filter: { prefix: "" },
                    noncurrentVersionExpiration: { noncurrentDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    ...extra,
                },
                { id: "markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
            ];
            const short = of(POLICY, await pack.analyzeStack(withProps(compliantBucket("stage"), LIFECYCLE, { rules: rules(7) })));
            assert.match(
                short[0]?.message ?? "",
                /is incomplete: noncurrent versions expire after 7 days, shorter than the 30-day rollback window/,
            );
            const prefixed = of(
                POLICY,
                await pack.analyzeStack(
                    withProps(compliantBucket("stage"), LIFECYCLE, { rules: rules(30, { filter: { prefix: "logs/" } }) }),
                ),
            );
            assert.match(prefixed[0]?.message ?? "", /noncurrent versions never expire/);
            const disabled = of(
                POLICY,
                await pack.analyzeStack(withProps(compliantBucket("stage"), LIFECYCLE, { rules: rules(30, { status: "Disabled" }) })),
            );
            assert.match(disabled[0]?.message ?? "", /noncurrent versions never expire/);
        });

        it("takes the rollback window from the pack's configuration", async () => {
            const pack = await packFor("prod");
            try {
                await pack.configure({ [POLICY]: { rollbackWindowDays: 90 } });
                assert.match(
                    of(POLICY, await pack.analyzeStack(compliantBucket("prod")))[0]?.message ?? "",
                    /expire after 30 days, shorter than the 90-day/,
                );
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to a stack without versioned buckets", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyzeStack([bucket("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("matches companions to their bucket through property dependencies while the bucket's id is unknown during preview", async () => {
            const pack = await packFor("stage");
            const [b, ...companions] = compliantBucket("stage");
            const linked = companions.map((c) => ({ ...c, props: { ...c.props, bucket: UNKNOWN }, propertyDependencies: { bucket: [b] } }));
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([b, ...linked])), []);
            assert.strictEqual(of(POLICY, await pack.analyzeStack([b, ...without(linked, LIFECYCLE)])).length, 1);
        });
    });
});
