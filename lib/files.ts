import * as fs from "fs";
import * as path from "path";
import { InputError } from "./errors";

/**
 * Puts a file or folder in place in one step: `fill` writes it at a temporary path beside `target`, then one
 * rename publishes it, so that a reader (another preview, a concurrent build) never sees half of it. When
 * `fill` returns false, or throws, the temporary copy is removed and `target` is left as it was.
 */
export function atomicPlace(target: string, fill: (tmp: string) => boolean): boolean {
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
        if (!fill(tmp)) {
            return false;
        }
        // A rename replaces a file, not a non-empty folder.
        if (fs.statSync(tmp).isDirectory()) {
            fs.rmSync(target, { recursive: true, force: true });
        }
        fs.renameSync(tmp, target);
        return true;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** Writes a file through atomicPlace. */
export function atomicWrite(file: string, data: string | Buffer): void {
    atomicPlace(file, (tmp) => {
        fs.writeFileSync(tmp, data);
        return true;
    });
}

/** How long to wait for a lock, when to take it over, and what to say. */
export interface LockOptions {
    /** A lock older than this is taken over: its holder died. */
    readonly staleMs: number;
    /** Waiting longer than this fails with `timedOut`'s error. */
    readonly waitMs: number;
    readonly pollMs: number;
    /** Called once, when the lock is found taken. */
    readonly onWait?: () => void;
    readonly timedOut: (lock: string) => Error;
}

function sleep(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `fn` holding `lock`, a file created exclusively, so that two processes never run it at once: one that
 * finds the lock taken waits for it (synchronously, as the callers are synchronous).
 */
export function withLock<T>(lock: string, options: LockOptions, fn: () => T): T {
    const started = Date.now();
    let waited = false;
    for (;;) {
        try {
            fs.closeSync(fs.openSync(lock, "wx"));
            break;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
                throw e;
            }
            const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
            if (age > options.staleMs) {
                fs.rmSync(lock, { force: true });
            } else if (Date.now() - started > options.waitMs) {
                throw options.timedOut(lock);
            } else {
                if (!waited) {
                    options.onWait?.();
                    waited = true;
                }
                sleep(options.pollMs);
            }
        }
    }
    try {
        return fn();
    } finally {
        fs.rmSync(lock, { force: true });
    }
}

/**
 * Fills the cache folder `target` once: under a lock, since another process placing its own copy would remove the
 * folder this one already reads from (test files run in parallel workers; two previews may run at once). A
 * process that waited finds `ready()` true and returns at once. Returns whether the folder is ready.
 */
export function placeOnce(target: string, ready: () => boolean, fill: (tmp: string) => boolean, options: LockOptions): boolean {
    if (ready()) {
        return true;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    return withLock(`${target}.lock`, options, () => ready() || (atomicPlace(target, fill) && ready()));
}

/**
 * Makes sure `dir` is a folder to write into, creating it (and its parents) when missing. Anything else there
 * (a file, a named pipe, a path through a file) or a folder the user cannot create is one InputError naming the
 * flag that gave it, before the command does anything else.
 */
export function ensureOutputDir(dir: string, flag: string): void {
    const refuse = (why: string) => new InputError(`${flag} ${dir}: ${why}; expected a folder to write into (created when missing)`);
    try {
        fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EEXIST" || code === "ENOTDIR") {
            throw refuse(code === "EEXIST" ? "is a file, not a folder" : "a part of the path is a file");
        }
        if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
            throw refuse("cannot be created (permission denied)");
        }
        throw e;
    }
    if (!fs.statSync(dir).isDirectory()) {
        throw refuse("is a file, not a folder");
    }
}
