import * as fs from "fs";

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
