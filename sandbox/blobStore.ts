import * as fs from "fs";
import * as path from "path";
import { atomicWrite } from "../lib/files";
import { sha256Hex } from "../lib/hashing";

/**
 * The bytes the simulated account holds, by content: `blobs/<hex sha256>` beside the account file. The account
 * itself keeps, for every S3 object version, the sha256 of its bytes (simulation/objectStore.ts); the simulated
 * provider puts the bytes here when it stores an object, and a Lambda function or layer runs the bytes whose hash
 * Lambda recorded (its CodeSha256) when its code was set: since a blob is named by its content and never removed,
 * a function keeps its code after the object it came from is overwritten or deleted, as Lambda keeps its own copy.
 * `rm -rf .build/sandbox` forgets them with the account.
 */
export class BlobStore {
    constructor(public readonly dir: string) {}

    /** The store beside an account file (`<dir of the account>/blobs`). */
    static besideAccount(accountFile: string): BlobStore {
        return new BlobStore(path.join(path.dirname(accountFile), "blobs"));
    }

    /** Where the blob of a hex sha256 lives (it may not exist). */
    file(sha256: string): string {
        if (!/^[0-9a-f]{64}$/.test(sha256)) {
            throw new Error(`blob store: ${JSON.stringify(sha256)} is not a hex sha256`);
        }
        return path.join(this.dir, sha256);
    }

    /** Stores bytes (once: the same bytes are the same blob) and returns their hex sha256. */
    put(data: Buffer): string {
        const sha256 = sha256Hex(data);
        const file = this.file(sha256);
        if (!fs.existsSync(file)) {
            fs.mkdirSync(this.dir, { recursive: true });
            atomicWrite(file, data);
        }
        return sha256;
    }

    /** The bytes of a blob, checked against their name; undefined when the store does not hold them. */
    get(sha256: string): Buffer | undefined {
        let data: Buffer;
        try {
            data = fs.readFileSync(this.file(sha256));
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") {
                return undefined;
            }
            throw e;
        }
        if (sha256Hex(data) !== sha256) {
            throw new Error(`${this.file(sha256)}: the blob's bytes no longer match its sha256; rm -rf .build/sandbox to start over`);
        }
        return data;
    }
}
