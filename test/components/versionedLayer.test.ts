import * as assert from "assert";
import { VersionedLayer } from "../../components/versionedLayer";
import { builtArtifact, find, registrations } from "../helpers/components";

describe("VersionedLayer", () => {
    const sha = "0123456789abcdef".repeat(4);
    const artifact = builtArtifact("vectora-core", "1.2.3", sha);
    const declare = () =>
        void new VersionedLayer("vectora-core", {
            layerName: "vectora-inbox-vectora-core-stage",
            artifact,
            codeBucket: "vectora-inbox-lambda-code-stage",
            tags: { Env: "stage" },
        });

    it("uploads the zip to layers/<component>-<version>.zip with its version and sha256", async () => {
        const zip = find(await registrations(declare), "aws:s3/bucketObjectv2:BucketObjectv2", "vectora-core-zip");
        assert.strictEqual(zip.parent, "vectora-core");
        assert.strictEqual(zip.inputs.bucket, "vectora-inbox-lambda-code-stage");
        assert.strictEqual(zip.inputs.key, "layers/vectora-core-1.2.3.zip");
        assert.deepStrictEqual(zip.inputs.metadata, { version: "1.2.3", sha256: sha });
        assert.deepStrictEqual(zip.inputs.tags, { Env: "stage", Component: "vectora-core", Version: "1.2.3" });
    });

    it("publishes a version that says which component, version and bytes it holds, and keeps old versions", async () => {
        const all = await registrations(declare);
        const layer = find(all, "aws:lambda/layerVersion:LayerVersion", "vectora-core").inputs;
        assert.strictEqual(layer.layerName, "vectora-inbox-vectora-core-stage");
        assert.strictEqual(layer.description, "vectora-core 1.2.3 sha256:0123456789abcdef");
        assert.deepStrictEqual(layer.compatibleRuntimes, ["python3.12"]);
        assert.strictEqual(layer.s3Key, "layers/vectora-core-1.2.3.zip");
        assert.strictEqual(layer.sourceCodeHash, Buffer.from(sha, "hex").toString("base64"));
        assert.strictEqual(layer.skipDestroy, true);
        assert.ok(find(all, "aws:lambda/layerVersion:LayerVersion", "vectora-core").dependencies.includes("vectora-core-zip"));
    });
});
