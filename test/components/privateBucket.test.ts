import * as assert from "assert";
import { PrivateBucket } from "../../components/privateBucket";
import { find, registrations } from "../helpers/components";

describe("PrivateBucket", () => {
    const declare = (protect?: boolean) => () =>
        void new PrivateBucket("data", { bucketName: "vectora-inbox-data-prod", tags: { Env: "prod" }, protect });

    it("is a bucket with all four public access blocks, ACLs disabled, SSE-S3, versioning and a TLS-only policy", async () => {
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

    it("sets the policy after the public access block, which AWS checks a new policy against", async () => {
        const all = await registrations(declare());
        assert.ok(find(all, "aws:s3/bucketPolicy:BucketPolicy", "data-tls-only").dependencies.includes("data-public-access"));
    });

    it("protects the bucket itself only when asked", async () => {
        assert.strictEqual(find(await registrations(declare(true)), "aws:s3/bucket:Bucket", "data").protect, true);
        assert.strictEqual(find(await registrations(declare()), "aws:s3/bucket:Bucket", "data").protect, false);
    });
});
