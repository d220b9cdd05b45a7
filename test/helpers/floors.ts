import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { git } from "./fixtures";

/**
 * The floors of the code, lowest first (README, "Layout"). A room is a folder, or a few files of the root; a file
 * may import only from its own room and from rooms on lower floors, never from a room beside it or above it. The
 * policy pack is a tower of its own: nothing under policy/ imports from outside it, its rooms stand
 * contract < support < policies < index.ts, and the rest of the code may import only its contract (the top floor,
 * tests included, anything).
 */
export const FLOORS: ReadonlyArray<{ readonly floor: number; readonly rooms: readonly Room[] }> = [
    { floor: 0, rooms: [{ name: "policy/contract", paths: ["policy/contract"] }] },
    { floor: 1, rooms: [{ name: "lib", paths: ["lib"] }] },
    { floor: 2, rooms: [{ name: "config", paths: ["config"] }] },
    {
        floor: 3,
        rooms: [
            { name: "artifacts", paths: ["artifacts"] },
            { name: "functions", paths: ["functions"] },
        ],
    },
    { floor: 4, rooms: [{ name: "components", paths: ["components"] }] },
    {
        floor: 5,
        rooms: [
            { name: "program", paths: ["program.ts", "index.ts"] },
            { name: "pulumi", paths: ["pulumi"] },
        ],
    },
    {
        floor: 6,
        rooms: [
            { name: "inventory", paths: ["inventory"] },
            { name: "simulation", paths: ["simulation"] },
            // The report writers (SARIF, JUnit, --format and --output) the commands choose from, below the commands.
            { name: "cli/formats", paths: ["cli/formats"] },
        ],
    },
    {
        floor: 7,
        rooms: [
            { name: "cli", paths: ["cli"] },
            { name: "sandbox", paths: ["sandbox"] },
        ],
    },
    // The top floor may import anything, its rooms one another included.
    {
        floor: 8,
        rooms: [
            { name: "bench", paths: ["bench"] },
            { name: "test", paths: ["test"] },
            { name: "scripts", paths: ["scripts"] },
        ],
    },
];

/** The pack's own rooms above its contract, lowest first. */
export const PACK_ROOMS: readonly Room[] = [
    { name: "policy/contract", paths: ["policy/contract"] },
    { name: "policy/support", paths: ["policy/support"] },
    { name: "policy/policies", paths: ["policy/policies"] },
    { name: "policy/index.ts", paths: ["policy/index.ts"] },
];

export interface Room {
    readonly name: string;
    /** Folders (everything under them) or single files, relative to the repository root. */
    readonly paths: readonly string[];
}

const TOP_FLOOR = Math.max(...FLOORS.map((f) => f.floor));

/** Where a file stands: its room and floor (the pack's upper rooms have none), or undefined outside every room. */
export function placeOf(file: string): { room: string; floor?: number; pack?: number } | undefined {
    const inside = (room: Room) => room.paths.some((p) => file === p || file.startsWith(`${p}/`));
    const pack = PACK_ROOMS.findIndex(inside);
    for (const { floor, rooms } of FLOORS) {
        const room = rooms.find(inside);
        if (room) {
            return { room: room.name, floor, ...(pack >= 0 ? { pack } : {}) };
        }
    }
    return pack >= 0 ? { room: PACK_ROOMS[pack].name, pack } : undefined;
}

/** Every TypeScript source of the repository: tracked, or new and not ignored (declaration files excepted). */
export function trackedSources(root: string): string[] {
    return git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.ts")
        .split("\0")
        .filter((f) => f !== "" && !f.endsWith(".d.ts"));
}

/** One import of a file: what it names and the repository file it resolves to (undefined for a package). */
export interface Import {
    readonly from: string;
    readonly specifier: string;
    readonly to?: string;
    readonly line: number;
}

/** Every module a source file names: static imports and re-exports, `import()`, `require()` and `import("x")` types. */
export function specifiers(file: string, text: string): Array<{ specifier: string; line: number }> {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const found: Array<{ specifier: string; line: number }> = [];
    const add = (node: ts.Node | undefined) => {
        if (node && ts.isStringLiteralLike(node)) {
            found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
        }
    };
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
            add(node.moduleSpecifier);
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
            add(node.moduleReference.expression);
        } else if (ts.isCallExpression(node)) {
            const callee = node.expression;
            if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) {
                add(node.arguments[0]);
            }
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
            add(node.argument.literal);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** The imports of every tracked source, resolved to repository files where they are relative. */
export function importsOf(root: string, files: readonly string[]): Import[] {
    const known = new Set(files);
    const resolve = (from: string, specifier: string): string | undefined => {
        if (!specifier.startsWith(".")) {
            return undefined;
        }
        const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
        const candidate = [`${base}.ts`, `${base}/index.ts`, base].find((c) => known.has(c) || fs.existsSync(path.join(root, c)));
        return candidate ?? base;
    };
    return files.flatMap((from) =>
        specifiers(from, fs.readFileSync(path.join(root, from), "utf8")).map(({ specifier, line }) => ({
            from,
            specifier,
            line,
            to: resolve(from, specifier),
        })),
    );
}

/** Why an import breaks the floors, or undefined when it stands. */
export function floorProblem(i: Import): string | undefined {
    if (i.to === undefined) {
        return undefined;
    }
    const from = placeOf(i.from);
    const to = placeOf(i.to);
    if (!from || !to) {
        return `${!from ? i.from : i.to} is in no room of the floors`;
    }
    const fromPack = i.from.startsWith("policy/");
    const toPack = i.to.startsWith("policy/");
    if (fromPack || toPack) {
        if (fromPack && !toPack) {
            return `the pack imports ${i.to} from outside policy/ (the pack must stand alone)`;
        }
        if (fromPack && (to.pack as number) > (from.pack as number)) {
            return `${from.room} imports ${to.room}, above it in the pack`;
        }
        if (!fromPack && to.pack !== 0 && from.floor !== TOP_FLOOR) {
            return `${from.room} imports ${to.room}: outside the pack, only policy/contract may be imported`;
        }
        return undefined;
    }
    const [f, t] = [from.floor as number, to.floor as number];
    if (t > f) {
        return `${from.room} (floor ${f}) imports ${to.room} (floor ${t}), which is above it`;
    }
    if (t === f && from.room !== to.room && f !== TOP_FLOOR) {
        return `${from.room} and ${to.room} share floor ${f}: rooms of one floor do not import each other`;
    }
    return undefined;
}

/** The import cycles between files (each a list of files that import one another), by Tarjan's algorithm. */
export function cycles(imports: readonly Import[]): string[][] {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
        if (i.to !== undefined && i.to.endsWith(".ts")) {
            edges.set(i.from, (edges.get(i.from) ?? new Set()).add(i.to));
        }
    }
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    let next = 0;
    const connect = (v: string): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        for (const w of edges.get(v) ?? []) {
            if (!index.has(w)) {
                connect(w);
                low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
            }
        }
        if (low.get(v) === index.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop() as string;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1 || edges.get(v)?.has(v)) {
                found.push(component.sort());
            }
        }
    };
    for (const v of [...edges.keys()].sort()) {
        if (!index.has(v)) {
            connect(v);
        }
    }
    return found;
}
