import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BlobStore } from "../../sandbox/blobStore";
import { tempDir } from "../helpers/fixtures";

describe("the simulated account's blob store", () => {
    it("keeps bytes by their sha256, once, beside the account file", () => {
        const account = path.join(tempDir(), "account.json");
        const blobs = BlobStore.besideAccount(account);
        const hex = crypto.createHash("sha256").update("zip bytes").digest("hex");
        assert.strictEqual(blobs.put(Buffer.from("zip bytes")), hex);
        assert.strictEqual(blobs.put(Buffer.from("zip bytes")), hex);
        assert.deepStrictEqual(fs.readdirSync(path.join(path.dirname(account), "blobs")), [hex]);
        assert.strictEqual(blobs.get(hex)?.toString("utf8"), "zip bytes");
        assert.strictEqual(blobs.get("0".repeat(64)), undefined);
    });

    it("refuses a blob whose bytes no longer match its name, and a name that is not a sha256", () => {
        const blobs = new BlobStore(path.join(tempDir(), "blobs"));
        const hex = blobs.put(Buffer.from("original"));
        fs.writeFileSync(path.join(blobs.dir, hex), "changed on disk");
        assert.throws(() => blobs.get(hex), /the blob's bytes no longer match its sha256; rm -rf \.build\/sandbox to start over/);
        assert.throws(() => blobs.file("../account.json"), /is not a hex sha256/);
    });
});
