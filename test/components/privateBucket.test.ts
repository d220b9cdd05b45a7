import * as assert from "assert";
import { PrivateBucket } from "../../components/privateBucket";
import { find, registrations } from "../helpers/components";

describe("PrivateBucket", () => {
    const declare = (protect?: boolean) => () =>
        void new PrivateBucket("data", {
            bucketName: "vectora-inbox-data-prod",
            tags: { Env: "prod" },
            lifecycle: { noncurrentDays: 90 },
            protect,
        });

    it("is a bucket with all four public access blocks, ACLs disabled, SSE-S3, versioning, a lifecycle and a TLS-only policy", async () => {
        const all = await registrations(declare());
        // Registrations reach the engine in the order their inputs resolve, not the order of the code.
        assert.deepStrictEqual(
            all.map((r) => `${r.type} ${r.name} <- ${r.parent ?? "-"}`).sort(),
            [
                "vectora:storage:PrivateBucket data <- -",
                "aws:s3/bucket:Bucket data <- data",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock data-public-access <- data",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls data-ownership <- data",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration data-encryption <- data",
                "aws:s3/bucketVersioning:BucketVersioning data-versioning <- data",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration data-lifecycle <- data",
                "aws:s3/bucketPolicy:BucketPolicy data-tls-only <- data",
            ].sort(),
        );
        assert.deepStrictEqual(find(all, "aws:s3/bucket:Bucket", "data").inputs, {
            bucket: "vectora-inbox-data-prod",
            forceDestroy: false,
            tags: { Env: "prod" },
        });
        const block = find(all, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access").inputs;
        assert.deepStrictEqual(block, {
            bucket: "vectora-inbox-data-prod",
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepStrictEqual(find(all, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership").inputs.rule, {
            objectOwnership: "BucketOwnerEnforced",
        });
        assert.deepStrictEqual(find(all, "aws:s3/bucketVersioning:BucketVersioning", "data-versioning").inputs.versioningConfiguration, {
            status: "Enabled",
        });
        const policy = JSON.parse(find(all, "aws:s3/bucketPolicy:BucketPolicy", "data-tls-only").inputs.policy);
        assert.deepStrictEqual(policy.Statement[0], {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::vectora-inbox-data-prod", "arn:aws:s3:::vectora-inbox-data-prod/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("expires noncurrent versions after the rollback window, aborts uploads within 7 days, removes expired delete markers", async () => {
        const all = await registrations(declare());
        const lifecycle = find(all, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-lifecycle");
        assert.deepStrictEqual(lifecycle.inputs.rules, [
            {
                id: "noncurrent-versions-and-uploads",
                status: "Enabled",
                filter: { prefix: "" },
                noncurrentVersionExpiration: { noncurrentDays: 90 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            { id: "expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
        ]);
        // Noncurrent-version rules need versioning in place.
        assert.ok(lifecycle.dependencies.includes("data-versioning"));
    });

    it("logs access to the log bucket it is given, after that bucket exists, under its own prefix", async () => {
        const all = await registrations(() => {
            const logs = new PrivateBucket("access-logs", {
                bucketName: "vectora-inbox-access-logs-prod",
                tags: {},
                lifecycle: { noncurrentDays: 90, expireAfterDays: 365 },
                policyGrants: [
                    { Sid: "Delivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" },
                ],
            });
            new PrivateBucket("data", {
                bucketName: "vectora-inbox-data-prod",
                tags: {},
                lifecycle: { noncurrentDays: 90 },
                accessLogs: { targetBucket: logs.bucketName, after: logs },
            });
        });
        const logging = find(all, "aws:s3/bucketLogging:BucketLogging", "data-access-logs");
        assert.deepStrictEqual(logging.inputs, {
            bucket: "vectora-inbox-data-prod",
            targetBucket: "vectora-inbox-access-logs-prod",
            targetPrefix: "vectora-inbox-data-prod/",
        });
        assert.ok(logging.dependencies.includes("access-logs"), logging.dependencies.join(", "));
        // The log bucket's own lifecycle expires the logs; its policy grants the delivery and still refuses plain HTTP.
        const rules = find(all, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "access-logs-lifecycle").inputs.rules;
        assert.deepStrictEqual(rules[1], { id: "expire-current", status: "Enabled", filter: { prefix: "" }, expiration: { days: 365 } });
        const policy = JSON.parse(find(all, "aws:s3/bucketPolicy:BucketPolicy", "access-logs-tls-only").inputs.policy);
        assert.deepStrictEqual(
            policy.Statement.map((s: { Sid: string }) => s.Sid),
            ["Delivery", "DenyInsecureTransport"],
        );
        assert.strictEqual(all.filter((r) => r.type === "aws:s3/bucketLogging:BucketLogging").length, 1, "the log bucket logs nowhere");
    });

    it("sets the policy after the public access block, which AWS checks a new policy against", async () => {
        const all = await registrations(declare());
        assert.ok(find(all, "aws:s3/bucketPolicy:BucketPolicy", "data-tls-only").dependencies.includes("data-public-access"));
    });

    it("protects the bucket itself only when asked", async () => {
        assert.strictEqual(find(await registrations(declare(true)), "aws:s3/bucket:Bucket", "data").protect, true);
        assert.strictEqual(find(await registrations(declare()), "aws:s3/bucket:Bucket", "data").protect, false);
    });
});
