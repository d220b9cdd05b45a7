import * as fs from "fs";
import * as path from "path";
import { InputError } from "../lib/errors";
import { findProjectRoot } from "./projectRoot";

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
