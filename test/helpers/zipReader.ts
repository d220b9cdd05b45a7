import * as assert from "assert";
import * as zlib from "zlib";

/** One entry read back from a zip. */
export interface Entry {
    name: string;
    mode: number;
    data: Buffer;
}

/**
 * A reader of the zip's central directory, written independently of artifacts/zip.ts (no shared code), that
 * inflates each entry: what the tests use to look inside built artifacts.
 */
export function readZip(zip: Buffer): Entry[] {
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const count = zip.readUInt16LE(end + 10);
    let offset = zip.readUInt32LE(end + 16);
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
        assert.strictEqual(zip.readUInt32LE(offset), 0x02014b50);
        const method = zip.readUInt16LE(offset + 10);
        const csize = zip.readUInt32LE(offset + 20);
        const nameLength = zip.readUInt16LE(offset + 28);
        const extraLength = zip.readUInt16LE(offset + 30);
        const commentLength = zip.readUInt16LE(offset + 32);
        const mode = zip.readUInt32LE(offset + 38) >>> 16;
        const local = zip.readUInt32LE(offset + 42);
        const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
        const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const body = zip.subarray(dataStart, dataStart + csize);
        entries.push({ name, mode, data: method === 8 ? zlib.inflateRawSync(body) : Buffer.from(body) });
        offset += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}
