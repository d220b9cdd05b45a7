import * as zlib from "zlib";

/**
 * Reads a zip's entries from its central directory, as Lambda unpacks a function or layer package: the smoke test
 * hashes what a zip holds (artifacts/treeDigest.ts) and the sandbox unpacks the bytes its account holds. Every
 * entry's size and CRC-32 are checked, so a damaged zip is refused rather than read as other bytes.
 */

/** One entry of a zip: its name inside the archive, whether it is a folder, and its bytes. */
export interface UnzippedEntry {
    readonly name: string;
    readonly directory: boolean;
    readonly data: Buffer;
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const END_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** Unix file types in the upper bits of the external attributes (zip's "made by Unix" hosts). */
const TYPE_MASK = 0o170000;
const SYMLINK = 0o120000;
const DIRECTORY = 0o040000;

/** A zip this reader cannot read, in words; callers add which zip it is. */
export class ZipFormatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ZipFormatError";
    }
}

function endOfCentralDirectory(zip: Buffer): number {
    const earliest = Math.max(0, zip.length - END_SIZE - MAX_COMMENT);
    for (let at = zip.length - END_SIZE; at >= earliest; at--) {
        if (zip.readUInt32LE(at) === END_SIGNATURE && at + END_SIZE + zip.readUInt16LE(at + 20) === zip.length) {
            return at;
        }
    }
    throw new ZipFormatError("not a zip (no end of central directory record)");
}

function inflate(body: Buffer, method: number, name: string): Buffer {
    if (method === 0) {
        return Buffer.from(body);
    }
    if (method === 8) {
        return zlib.inflateRawSync(body);
    }
    throw new ZipFormatError(`${name}: compression method ${method} is not supported (stored or deflated only)`);
}

/**
 * Every entry of a zip, in the order of its central directory. Refused (ZipFormatError): no end record, zip64, an
 * encrypted entry, a compression other than stored or deflate, an entry whose bytes do not match its recorded size
 * or CRC-32, a symbolic link, and a name that is absolute or climbs out (`..`) of where it is unpacked.
 */
export function readZipEntries(zip: Buffer): UnzippedEntry[] {
    if (zip.length < END_SIZE) {
        throw new ZipFormatError("not a zip (too short)");
    }
    const end = endOfCentralDirectory(zip);
    const count = zip.readUInt16LE(end + 10);
    const size = zip.readUInt32LE(end + 12);
    let offset = zip.readUInt32LE(end + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
        throw new ZipFormatError("zip64 archives are not supported");
    }
    const entries: UnzippedEntry[] = [];
    for (let i = 0; i < count; i++) {
        if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE) {
            throw new ZipFormatError(`central directory entry ${i + 1} of ${count} is damaged`);
        }
        const flags = zip.readUInt16LE(offset + 8);
        const method = zip.readUInt16LE(offset + 10);
        const crc = zip.readUInt32LE(offset + 16);
        const compressedSize = zip.readUInt32LE(offset + 20);
        const uncompressedSize = zip.readUInt32LE(offset + 24);
        const nameLength = zip.readUInt16LE(offset + 28);
        const extraLength = zip.readUInt16LE(offset + 30);
        const commentLength = zip.readUInt16LE(offset + 32);
        const madeBy = zip.readUInt16LE(offset + 4) >> 8;
        const mode = madeBy === 3 ? zip.readUInt32LE(offset + 38) >>> 16 : 0;
        const local = zip.readUInt32LE(offset + 42);
        const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
        offset += 46 + nameLength + extraLength + commentLength;
        if (flags & 1) {
            throw new ZipFormatError(`${name}: encrypted entries are not supported`);
        }
        if (name === "" || name.startsWith("/") || name.includes("\\") || name.split("/").includes("..")) {
            throw new ZipFormatError(`${JSON.stringify(name)}: an entry name must be a relative path that stays inside the archive`);
        }
        if ((mode & TYPE_MASK) === SYMLINK) {
            throw new ZipFormatError(`${name}: symbolic links are not supported`);
        }
        const directory = name.endsWith("/") || (mode & TYPE_MASK) === DIRECTORY;
        if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE) {
            throw new ZipFormatError(`${name}: local header is damaged`);
        }
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        if (start + compressedSize > zip.length) {
            throw new ZipFormatError(`${name}: the entry runs past the end of the zip`);
        }
        const data = directory ? Buffer.alloc(0) : inflate(zip.subarray(start, start + compressedSize), method, name);
        if (!directory && (data.length !== uncompressedSize || zlib.crc32(data) !== crc)) {
            throw new ZipFormatError(`${name}: the bytes do not match the recorded size and CRC-32`);
        }
        entries.push({ name, directory, data });
    }
    return entries;
}
