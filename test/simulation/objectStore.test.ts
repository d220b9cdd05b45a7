import * as assert from "assert";
import { deleteObject, findObject, objectContentSha256, storeObject } from "../../simulation/objectStore";
import { ASSET_SIG, SIG } from "../../pulumi/wire";

/** sha256("hello"), written out. */
const HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

describe("the simulated S3's object versions", () => {
    it("reads the current version of a key, or a named one, as S3 does", () => {
        const store = {};
        storeObject(store, "b", "k", { versionId: "v1", sha256: "aa" });
        storeObject(store, "b", "k", { versionId: "v2", sha256: "bb" });
        assert.deepStrictEqual(findObject(store, "b", "k"), { versionId: "v2", sha256: "bb" });
        assert.deepStrictEqual(findObject(store, "b", "k", "v1"), { versionId: "v1", sha256: "aa" });
    });

    it("answers NoSuchKey for a key never written and NoSuchVersion for an unknown version of a known key", () => {
        const store = {};
        storeObject(store, "b", "k", { versionId: "v1", sha256: "aa" });
        assert.strictEqual(findObject(store, "b", "other"), "NoSuchKey");
        assert.strictEqual(findObject(store, "b", "other", "v1"), "NoSuchKey");
        assert.strictEqual(findObject(store, "b", "k", "v9"), "NoSuchVersion");
    });

    it("hides a deleted key behind its delete marker, and still reads its older versions by id", () => {
        const store = {};
        storeObject(store, "b", "k", { versionId: "v1", sha256: "aa" });
        storeObject(store, "b", "k", { versionId: "v2", deleteMarker: true });
        assert.strictEqual(findObject(store, "b", "k"), "NoSuchKey");
        assert.deepStrictEqual(findObject(store, "b", "k", "v1"), { versionId: "v1", sha256: "aa" });
    });

    it("deletes every version of an object the provider deletes, as the provider's delete does", () => {
        const store = {};
        storeObject(store, "b", "k", { versionId: "v1", sha256: "aa" });
        storeObject(store, "b", "k", { versionId: "v2", sha256: "bb" });
        deleteObject(store, "b", "k");
        assert.strictEqual(findObject(store, "b", "k", "v1"), "NoSuchKey");
    });

    it("hashes what a write sends: the engine's hash of a file asset, a text asset, content, base64 content, or nothing", () => {
        assert.strictEqual(objectContentSha256({ source: { [SIG]: ASSET_SIG, path: "x.zip", hash: "ff".repeat(32) } }), "ff".repeat(32));
        assert.strictEqual(objectContentSha256({ source: { [SIG]: ASSET_SIG, text: "hello" } }), HELLO);
        assert.strictEqual(objectContentSha256({ content: "hello" }), HELLO);
        assert.strictEqual(objectContentSha256({ contentBase64: "aGVsbG8=" }), HELLO);
        assert.strictEqual(objectContentSha256({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    });
});
