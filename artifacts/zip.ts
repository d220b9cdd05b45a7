import * as zlib from "zlib";
import { compareCodeUnits } from "../lib/sourceTree";
import { forEachLimited } from "../lib/parallel";

/** A file to put in a zip: its path inside the archive (`/`-separated) and its bytes. */
export interface ZipEntry {
    readonly name: string;
    readonly data: Buffer;
}

export interface ZipOptions {
    /** zlib level 0-9; fixed so that the same bytes always compress the same way. */
    readonly level: number;
    /** How many entries are compressed at once on libuv's thread pool. */
    readonly concurrency?: number;
}

// Every entry gets the same timestamp and mode: the zip must not depend on when or how files were
// checked out. 1980-01-01 00:00 is the earliest MS-DOS date, written as date 0x21, time 0.
const DOS_DATE = 0x21;
const DOS_TIME = 0;
const FILE_MODE = 0o100644;
const DIR_MODE = 0o040755;
const MSDOS_DIRECTORY = 0x10;
const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 30;
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

interface Prepared {
    readonly name: Buffer;
    readonly flags: number;
    readonly method: number;
    readonly needed: number;
    readonly crc: number;
    readonly size: number;
    readonly body: Buffer;
    readonly attributes: number;
}

function deflate(data: Buffer, level: number): Promise<Buffer> {
    return new Promise((resolve, reject) => zlib.deflateRaw(data, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}

/** Parent folders of every file (`a/`, `a/b/`), so that any unzip tool recreates them with a sane mode. */
function directoriesOf(names: readonly string[]): string[] {
    const dirs = new Set<string>();
    for (const name of names) {
        for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) {
            dirs.add(name.slice(0, i + 1));
        }
    }
    return [...dirs];
}

async function prepare(name: string, data: Buffer | undefined, level: number): Promise<Prepared> {
    const nameBytes = Buffer.from(name, "utf8");
    const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : UTF8_NAMES;
    if (data === undefined) {
        return {
            name: nameBytes,
            flags,
            method: 0,
            needed: 20,
            crc: 0,
            size: 0,
            body: Buffer.alloc(0),
            attributes: ((DIR_MODE << 16) | MSDOS_DIRECTORY) >>> 0,
        };
    }
    const compressed = level > 0 && data.length > 0 ? await deflate(data, level) : undefined;
    const useDeflate = compressed !== undefined && compressed.length < data.length;
    return {
        name: nameBytes,
        flags,
        method: useDeflate ? 8 : 0,
        needed: useDeflate ? 20 : 10,
        crc: zlib.crc32(data),
        size: data.length,
        body: useDeflate ? compressed : data,
        attributes: (FILE_MODE << 16) >>> 0,
    };
}

async function prepareAll(items: ReadonlyArray<[string, Buffer | undefined]>, options: ZipOptions): Promise<Prepared[]> {
    const out = new Array<Prepared>(items.length);
    await forEachLimited(items, options.concurrency ?? 8, async ([name, data], index) => {
        out[index] = await prepare(name, data, options.level);
    });
    return out;
}

/**
 * The fields local and central headers share, from "version needed" to the name length, written at `at`.
 * Extra-field lengths stay zero: no extra fields, so nothing machine-specific gets in.
 */
function writeEntryFields(h: Buffer, at: number, p: Prepared): void {
    h.writeUInt16LE(p.needed, at);
    h.writeUInt16LE(p.flags, at + 2);
    h.writeUInt16LE(p.method, at + 4);
    h.writeUInt16LE(DOS_TIME, at + 6);
    h.writeUInt16LE(DOS_DATE, at + 8);
    h.writeUInt32LE(p.crc, at + 10);
    h.writeUInt32LE(p.body.length, at + 14);
    h.writeUInt32LE(p.size, at + 18);
    h.writeUInt16LE(p.name.length, at + 22);
}

function localHeader(p: Prepared): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(h, 4, p);
    return h;
}

function centralHeader(p: Prepared, offset: number): Buffer {
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(h, 6, p);
    // comment length, disk number, internal attributes: zero
    h.writeUInt32LE(p.attributes, 38);
    h.writeUInt32LE(offset, 42);
    return h;
}

/**
 * Builds a zip whose bytes depend only on the entry names and contents: entries sorted by name, one
 * fixed timestamp and mode, a fixed compression level, no extra fields. The same sources therefore give
 * the same sha256 on any machine, in any time zone, whatever the files' mtimes or permissions.
 */
export async function deterministicZip(entries: readonly ZipEntry[], options: ZipOptions): Promise<Buffer> {
    const files = new Map<string, Buffer>();
    for (const entry of entries) {
        if (entry.name === "" || entry.name.startsWith("/") || entry.name.endsWith("/") || entry.name.split("/").includes("..")) {
            throw new Error(`invalid zip entry name "${entry.name}"`);
        }
        if (files.has(entry.name)) {
            throw new Error(`duplicate zip entry "${entry.name}"`);
        }
        files.set(entry.name, entry.data);
    }
    const names = [...files.keys(), ...directoriesOf([...files.keys()])].sort(compareCodeUnits);
    if (names.length > MAX_ENTRIES) {
        throw new Error(`${names.length} zip entries exceed the ${MAX_ENTRIES} a zip without zip64 can hold`);
    }
    const prepared = await prepareAll(
        names.map((n) => [n, files.get(n)] as [string, Buffer | undefined]),
        options,
    );
    const chunks: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const p of prepared) {
        if (p.size > MAX_SIZE || offset > MAX_SIZE) {
            throw new Error("zip larger than 4 GiB: zip64 is not supported");
        }
        central.push(centralHeader(p, offset), p.name);
        const header = localHeader(p);
        chunks.push(header, p.name, p.body);
        offset += header.length + p.name.length + p.body.length;
    }
    const centralSize = central.reduce((sum, b) => sum + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(prepared.length, 8);
    end.writeUInt16LE(prepared.length, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...chunks, ...central, end]);
}
