import * as fs from "fs";
import * as path from "path";

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
