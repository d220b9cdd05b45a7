import * as fs from "fs";
import * as path from "path";

/** True for a file the user may run. */
export function executable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** The first executable of this name on PATH. */
export function onPath(name: string, envPath = process.env.PATH ?? ""): string | undefined {
    return envPath
        .split(path.delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => path.join(dir, name))
        .find(executable);
}
