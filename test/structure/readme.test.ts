import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FLOORS, PACK_ROOMS, placeOf } from "../helpers/floors";
import { REPO, git } from "../helpers/fixtures";

/** One row of the README's layout table: its floor cell, the paths it names first, and every path in it. */
interface LayoutRow {
    readonly floor: string;
    readonly paths: string[];
    readonly mentioned: string[];
}

/** `Pulumi.{dev,stage,prod}.yaml` -> the three names. */
function expandBraces(text: string): string[] {
    const match = /^(.*)\{([^}]*)\}(.*)$/.exec(text);
    return match ? match[2].split(",").flatMap((part) => expandBraces(`${match[1]}${part}${match[3]}`)) : [text];
}

/** The code spans of a cell, as paths (a folder without its trailing slash). */
function pathsIn(cell: string): string[] {
    return [...cell.matchAll(/`([^`]+)`/g)].flatMap((m) => expandBraces(m[1])).map((p) => p.replace(/\/$/, ""));
}

function layoutTable(): LayoutRow[] {
    const text = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const section = text.slice(text.indexOf("\n## Layout\n"), text.indexOf("\n## ", text.indexOf("\n## Layout\n") + 1));
    const rows = section.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Floor |"));
    return rows.map((line) => {
        const [floor, paths, what] = line.split(" | ").map((cell) => cell.replace(/^\| ?/, "").replace(/ ?\|$/, ""));
        return { floor, paths: pathsIn(paths), mentioned: [...pathsIn(paths), ...pathsIn(what)] };
    });
}

describe("the README's layout table", () => {
    const rows = layoutTable();
    const named = new Set(rows.flatMap((r) => r.paths));

    it("names every top-level folder and file git tracks", () => {
        const top = new Set(
            git(REPO, "ls-files")
                .split("\n")
                .map((f) => f.split("/")[0]),
        );
        assert.deepStrictEqual([...top].filter((entry) => !named.has(entry)).sort(), []);
    });

    it("names only paths that exist", () => {
        assert.deepStrictEqual(
            [...named].filter((p) => !fs.existsSync(path.join(REPO, p))),
            [],
        );
    });

    it("names every room of the floors, each on its floor", () => {
        const mentioned = new Set(rows.flatMap((r) => r.mentioned));
        const rooms = [...FLOORS.flatMap((f) => f.rooms), ...PACK_ROOMS].flatMap((room) => room.paths);
        assert.deepStrictEqual(
            rooms.filter((p) => !mentioned.has(p)),
            [],
        );
        const misplaced = rows
            .filter((r) => /^\d+$/.test(r.floor))
            .flatMap((r) => r.paths.filter((p) => placeOf(p)?.floor !== Number(r.floor)).map((p) => `${p} is not on floor ${r.floor}`));
        assert.deepStrictEqual(misplaced, []);
    });
});
