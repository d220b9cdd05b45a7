import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";

/**
 * The folder holding Pulumi.yaml, searched upwards from `start`: the same whether the program runs as
 * `index.ts` under the CLI or compiled under `.build/`.
 */
export function findProjectRoot(start: string): string {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no Pulumi.yaml in ${start} or any folder above it`);
        }
    }
}

/** The project folder: `--cwd` when given (like `pulumi --cwd`), else the folder above holding Pulumi.yaml. */
export function projectRoot(cwd: string | undefined): string {
    if (cwd !== undefined) {
        const dir = path.resolve(cwd);
        if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
            throw new InputError(`--cwd ${cwd}: no Pulumi.yaml there; expected the repository folder`);
        }
        return dir;
    }
    try {
        return findProjectRoot(process.cwd());
    } catch {
        throw new InputError(`no Pulumi.yaml in ${process.cwd()} or above; run from the repository or pass --cwd`);
    }
}
