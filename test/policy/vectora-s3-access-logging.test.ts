import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import type { TestResource } from "../helpers/pack";
import { bucket, compliantBucket } from "../helpers/resources";

const POLICY = "vectora-s3-access-logging";

function logging(env: string, role: string, targetBucket = `vectora-inbox-access-logs-${env}`): TestResource {
    return {
        type: "aws:s3/bucketLogging:BucketLogging",
        name: `${role}-access-logging`,
        props: { bucket: `vectora-inbox-${role}-${env}`, targetBucket, targetPrefix: `vectora-inbox-${role}-${env}/` },
    };
}

/** Prod's three logged buckets, each logging to prod's log bucket, and the log bucket itself. */
function prodBuckets(): TestResource[] {
    return [
        ...compliantBucket("prod", "access-logs"),
        ...["config", "data", "newsletters"].flatMap((role) => [...compliantBucket("prod", role), logging("prod", role)]),
    ];
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes prod's buckets logging to prod's log bucket (which itself does not log)", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(prodBuckets())), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a prod bucket that stopped logging, then passes it logging again", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyzeStack(prodBuckets().filter((r) => r.name !== "data-access-logging")));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /bucket "vectora-inbox-data-prod" does not log access; add an aws\.s3\.BucketLogging with targetBucket "vectora-inbox-access-logs-prod"/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(prodBuckets())), []);
        });

        it("reports logs sent to another bucket, and a log bucket the stack does not declare", async () => {
            const pack = await policiesFor("prod");
            const elsewhere = prodBuckets().map((r) =>
                r.name === "data-access-logging" ? logging("prod", "data", "vectora-inbox-access-logs-stage") : r,
            );
            assert.match(
                of(POLICY, await pack.analyzeStack(elsewhere))[0]?.message ?? "",
                /logs access to "vectora-inbox-access-logs-stage"; its logs go to this environment's own log bucket/,
            );
            const noTarget = prodBuckets().filter(
                (r) => !(r.props.bucket === "vectora-inbox-access-logs-prod" && r.type === "aws:s3/bucket:Bucket"),
            );
            assert.strictEqual(
                of(POLICY, await pack.analyzeStack(noTarget)).filter((v) => /which this stack does not declare/.test(v.message)).length,
                3,
            );
        });
    });

    describe("not applicable", () => {
        it("is waived when CloudTrail data events record the access, and applies to stage when configured", async () => {
            const pack = await packFor("stage");
            const stage = ["config", "data", "newsletters"].flatMap((role) => compliantBucket("stage", role));
            assert.ok(notApplicable(POLICY, await pack.analyzeStack(stage)));
            try {
                await pack.configure({ [POLICY]: { environments: ["stage", "prod"] } });
                assert.strictEqual(of(POLICY, await pack.analyzeStack(stage)).length, 3);
                await pack.configure({ [POLICY]: { environments: ["stage", "prod"], cloudTrailDataEvents: true } });
                assert.ok(notApplicable(POLICY, await pack.analyzeStack(stage)));
            } finally {
                await pack.configure();
            }
        });

        it("does not apply to a prod stack without the logged buckets", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyzeStack([bucket("prod", "lambda-code")])));
        });
    });

    describe("unknown during preview", () => {
        it("accepts a logging whose bucket and target are unknown during preview, linked by property dependencies", async () => {
            const pack = await packFor("prod");
            const stack = prodBuckets();
            const logBucket = stack.find((r) => r.props.bucket === "vectora-inbox-access-logs-prod" && r.type === "aws:s3/bucket:Bucket");
            const linked = stack.map((r) => {
                if (r.type !== "aws:s3/bucketLogging:BucketLogging") {
                    return r;
                }
                const source = stack.find((b) => b.type === "aws:s3/bucket:Bucket" && b.props.bucket === r.props.bucket);
                const deps = { bucket: [source as TestResource], targetBucket: [logBucket as TestResource] };
                return { ...r, props: { ...r.props, bucket: UNKNOWN, targetBucket: UNKNOWN }, propertyDependencies: deps };
            });
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(linked)), []);
        });
    });
});
