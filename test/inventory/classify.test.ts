import * as assert from "assert";
import * as crypto from "crypto";
import { AccountListing, classify, hashCandidates } from "../../inventory/classify";

/** The sha256 of some bytes, in hex and in Lambda's base64 form. */
function digest(text: string): { hex: string; base64: string } {
    const hash = crypto.createHash("sha256").update(text);
    return { hex: hash.copy().digest("hex"), base64: hash.digest("base64") };
}

const ARN = "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-stage";
const BUCKET = "vectora-inbox-lambda-code-stage";

/** The stage bucket holding two versions of one layer zip, the layer's version 1 holding bytes that match neither by Lambda's record. */
function listing(description: string, fnTags?: Record<string, string>): AccountListing {
    const first = digest("zip as published");
    const second = digest("zip rebuilt by hand");
    return {
        layers: [
            {
                name: "vectora-inbox-vectora-core-stage",
                region: "eu-west-3",
                versions: [
                    { arn: `${ARN}:1`, version: 1, description, created: "", content: { sha256: digest("other bytes").base64, size: 10 } },
                ],
            },
        ],
        functions: [
            {
                name: "vectora-inbox-ingest-v2-stage",
                region: "eu-west-3",
                version: "$LATEST",
                aliases: [],
                layers: [],
                content: { sha256: digest("function bytes as Lambda holds them").base64, size: 20 },
                ...(fnTags ? { tags: fnTags } : {}),
            },
        ],
        bucket: {
            name: BUCKET,
            objects: [
                { key: "layers/vectora-core-1.2.7.zip", versionId: "v1", latest: false, size: 30, lastModified: "", sha256: first.base64 },
                { key: "layers/vectora-core-1.2.7.zip", versionId: "v2", latest: true, size: 30, lastModified: "", sha256: second.base64 },
                {
                    key: "lambdas/ingest-v2-1.5.0.zip",
                    versionId: "f1",
                    latest: true,
                    size: 40,
                    lastModified: "",
                    sha256: digest("ingest zip").base64,
                },
            ],
        },
    };
}

function classOf(found: ReturnType<typeof classify>, id: string): string | undefined {
    return found.items.find((i) => i.id === `s3://${BUCKET}/${id}`)?.class;
}

describe("inventory: zips kept by content", () => {
    it("keeps the object version whose bytes a kept layer version's description names, not the key's current one", () => {
        const found = classify("stage", listing(`vectora-core 1.2.7 sha256:${digest("zip as published").hex.slice(0, 16)}`));
        assert.strictEqual(classOf(found, "layers/vectora-core-1.2.7.zip#v1"), "current");
        assert.strictEqual(classOf(found, "layers/vectora-core-1.2.7.zip#v2"), "stale");
        // With a description that names other bytes, neither version is kept.
        const other = classify("stage", listing(`vectora-core 1.2.7 sha256:${"0".repeat(16)}`));
        assert.strictEqual(classOf(other, "layers/vectora-core-1.2.7.zip#v1"), "stale");
    });

    it("keeps the zip whose bytes a function's ArtifactSha256 tag names", () => {
        const tags = { Component: "ingest-v2", Version: "1.5.0", ArtifactSha256: digest("ingest zip").hex };
        assert.strictEqual(classOf(classify("stage", listing("x", tags)), "lambdas/ingest-v2-1.5.0.zip#f1"), "in use");
        assert.strictEqual(
            classOf(classify("stage", listing("x", { ...tags, ArtifactSha256: "f".repeat(64) })), "lambdas/ingest-v2-1.5.0.zip#f1"),
            "stale",
        );
    });

    it("reads only the zips that could match: the sizes kept things hold, the keys their descriptions and tags name", () => {
        const candidates = hashCandidates(
            "stage",
            listing("vectora-core 1.2.7 sha256:0123456789abcdef", { Component: "ingest-v2", Version: "1.5.0" }),
        );
        assert.deepStrictEqual([...candidates.sizes].sort(), [10, 20]);
        assert.deepStrictEqual([...candidates.keys].sort(), ["lambdas/ingest-v2-1.5.0.zip", "layers/vectora-core-1.2.7.zip"]);
    });
});
