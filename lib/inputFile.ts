import * as fs from "fs";
import { InputError } from "./errors";

/** How much of a file given on the command line (a state export, stack outputs, a policy config) is read at most. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/** What a file input is, and what the message names when it is not what was expected. */
export interface InputFileOptions {
    /** How to name the file in messages (the path as the user gave it, or relative to the repository). */
    readonly display: string;
    /** The expected form, ending the message: `expected <this>`. */
    readonly expected: string;
    /** Largest size accepted, in bytes (MAX_INPUT_FILE_BYTES unless said). */
    readonly maxBytes?: number;
}

/** What a file that is not a regular file is, in words. */
function kindOf(stat: fs.Stats): string {
    if (stat.isDirectory()) {
        return "a folder";
    }
    if (stat.isFIFO()) {
        return "a named pipe (FIFO)";
    }
    if (stat.isCharacterDevice() || stat.isBlockDevice()) {
        return "a device";
    }
    if (stat.isSocket()) {
        return "a socket";
    }
    return "not a regular file";
}

function megabytes(bytes: number): string {
    return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Refuses anything but a regular file under the size bound, from its stat alone. */
function checkStat(stat: fs.Stats, options: InputFileOptions): void {
    const max = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
    if (!stat.isFile()) {
        throw new InputError(`${options.display}: is ${kindOf(stat)}, not a regular file; expected ${options.expected}`);
    }
    if (stat.size > max) {
        throw new InputError(
            `${options.display}: ${megabytes(stat.size)}, over the ${megabytes(max)} read at most; expected ${options.expected}`,
        );
    }
}

/**
 * Reads a file the user names (a flag's value, or a file of the repository) after checking, from its metadata
 * and before reading a byte, that it is a regular file under the size bound: a named pipe would block the read
 * forever, and /dev/zero would fill the memory until the process dies. The file is opened without blocking and
 * checked again on the open descriptor, so that a file swapped for a pipe in between is refused too. A file that
 * is missing or unreadable throws the file system's own error (ENOENT, EACCES), which callers word.
 */
export function readInputFile(file: string, options: InputFileOptions): Buffer {
    checkStat(fs.statSync(file), options);
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
        const stat = fs.fstatSync(fd);
        checkStat(stat, options);
        const max = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
        // Read what is there, up to one byte past the bound: a file that grows while it is read is still refused.
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
            const chunk = Buffer.alloc(Math.min(1024 * 1024, max + 1 - total));
            const n = fs.readSync(fd, chunk, 0, chunk.length, null);
            if (n === 0) {
                break;
            }
            chunks.push(chunk.subarray(0, n));
            total += n;
            if (total > max) {
                throw new InputError(
                    `${options.display}: grew over the ${megabytes(max)} read at most while it was read; expected ${options.expected}`,
                );
            }
        }
        return Buffer.concat(chunks, total);
    } finally {
        fs.closeSync(fd);
    }
}

/** readInputFile as UTF-8 text. */
export function readInputText(file: string, options: InputFileOptions): string {
    return readInputFile(file, options).toString("utf8");
}
