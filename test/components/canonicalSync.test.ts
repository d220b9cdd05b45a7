import * as assert from "assert";
import { CanonicalSync } from "../../components/canonicalSync";
import type { CanonicalSet } from "../../config/canonical";
import { tempDir, write } from "../helpers/fixtures";
import { find, registrations } from "../helpers/components";

describe("CanonicalSync", () => {
    const dir = tempDir();
    const file = (rel: string, sha256: string) => ({
        path: rel,
        abs: write(dir, rel, rel),
        key: `canonical/${rel}`,
        size: rel.length,
        sha256,
        contentType: "application/yaml",
    });
    const canonical: CanonicalSet = {
        version: "1.1",
        sha256: "9".repeat(64),
        files: [file("scopes/a.yaml", "a".repeat(64)), file("clients/c.yaml", "c".repeat(64))],
        clients: ["c"],
    };
    const declare = () => void new CanonicalSync("canonical", { bucket: "vectora-inbox-config-stage", canonical, tags: { Env: "stage" } });

    it("puts every file at canonical/<path> with its type, sha256 and the canonical version", async () => {
        const objects = (await registrations(declare)).filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2");
        assert.deepStrictEqual(
            objects.map((o) => `${o.name} -> ${o.inputs.key}`).sort(),
            [
                "canonical/scopes/a.yaml -> canonical/scopes/a.yaml",
                "canonical/clients/c.yaml -> canonical/clients/c.yaml",
                "canonical-manifest -> manifests/canonical.json",
            ].sort(),
        );
        const a = objects.find((o) => o.name === "canonical/scopes/a.yaml")?.inputs;
        assert.strictEqual(a.bucket, "vectora-inbox-config-stage");
        assert.strictEqual(a.contentType, "application/yaml");
        assert.deepStrictEqual(a.metadata, { "canonical-version": "1.1", sha256: "a".repeat(64) });
        assert.ok(objects.every((o) => o.parent === "canonical"));
    });

    it("writes a manifest of the set that prod's gate reads: its version and sha256, and each file's", async () => {
        const manifest = find(await registrations(declare), "aws:s3/bucketObjectv2:BucketObjectv2", "canonical-manifest").inputs;
        assert.deepStrictEqual(manifest.metadata, { "canonical-version": "1.1", "canonical-sha256": "9".repeat(64) });
        assert.deepStrictEqual(JSON.parse(manifest.content), {
            version: "1.1",
            sha256: "9".repeat(64),
            files: { "scopes/a.yaml": "a".repeat(64), "clients/c.yaml": "c".repeat(64) },
        });
    });
});
