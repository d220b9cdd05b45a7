import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { vectoraPolicies } from "../../policy/policies";
import { placeOf, trackedSources } from "../helpers/floors";
import { REPO } from "../helpers/fixtures";

/** `vectora-naming-env-suffix` -> `vectoraNamingEnvSuffix`. */
function camelCase(id: string): string {
    return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** What @pulumi/policy takes for a policy: a name, a level, and a resource or stack validation. */
function isPolicy(value: unknown): value is { name: string } {
    const v = value as Record<string, unknown> | null;
    return (
        typeof v === "object" &&
        v !== null &&
        typeof v.name === "string" &&
        typeof v.enforcementLevel === "string" &&
        (typeof v.validateResource === "function" || typeof v.validateStack === "function")
    );
}

/** The names a source file exports: declarations, variables and `export { a as b }`. */
function exportedNames(file: string, text: string): string[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const names: string[] = [];
    const exported = (node: ts.Node) =>
        ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    for (const node of source.statements) {
        if (ts.isVariableStatement(node) && exported(node)) {
            for (const d of node.declarationList.declarations) {
                if (ts.isIdentifier(d.name)) {
                    names.push(d.name.text);
                }
            }
        } else if (
            (ts.isFunctionDeclaration(node) ||
                ts.isClassDeclaration(node) ||
                ts.isInterfaceDeclaration(node) ||
                ts.isTypeAliasDeclaration(node) ||
                ts.isEnumDeclaration(node)) &&
            exported(node) &&
            node.name
        ) {
            names.push(node.name.text);
        } else if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
            names.push(...node.exportClause.elements.map((e) => e.name.text));
        }
    }
    return names;
}

describe("names that explain themselves", () => {
    const policyDir = path.join(REPO, "policy", "policies");
    const policyFiles = fs.readdirSync(policyDir).filter((f) => f.endsWith(".ts") && f !== "index.ts");

    it("gives every policy a file named after its id, exporting it under the camelCase of its id, and nothing else a policy", () => {
        const wrong: string[] = [];
        for (const file of policyFiles) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const module = require(path.join(REPO, ".build", "policy", "policies", file.replace(/\.ts$/, ".js"))) as Record<
                string,
                unknown
            >;
            const policies = Object.entries(module).filter(([, value]) => isPolicy(value));
            const id = file.replace(/\.ts$/, "");
            const found = policies.map(([name, value]) => `${name} = ${(value as { name: string }).name}`);
            if (found.length !== 1 || found[0] !== `${camelCase(id)} = ${id}`) {
                wrong.push(`${file}: exports ${found.join(", ") || "no policy"}; expected ${camelCase(id)} = ${id}`);
            }
        }
        assert.deepStrictEqual(wrong, []);
        assert.deepStrictEqual(
            vectoraPolicies.map((p) => `${p.name}.ts`).sort(),
            [...policyFiles].sort(),
            "the pack serves exactly one policy per file",
        );
    });

    it("exports no one-letter name anywhere", () => {
        const short = trackedSources(REPO).flatMap((file) =>
            exportedNames(file, fs.readFileSync(path.join(REPO, file), "utf8"))
                .filter((name) => name.length < 2)
                .map((name) => `${file}: ${name}`),
        );
        assert.deepStrictEqual(short, []);
    });

    it("gives no two files of the product the same name (index.ts excepted)", () => {
        const product = trackedSources(REPO).filter((f) => {
            const place = placeOf(f);
            return place !== undefined && !["test", "bench", "scripts"].includes(place.room);
        });
        const byName = new Map<string, string[]>();
        for (const file of product.filter((f) => path.basename(f) !== "index.ts")) {
            byName.set(path.basename(file), [...(byName.get(path.basename(file)) ?? []), file]);
        }
        assert.deepStrictEqual(
            [...byName.values()].filter((files) => files.length > 1),
            [],
        );
    });

    it("reads exports as the checks above need them", () => {
        assert.deepStrictEqual(
            exportedNames(
                "x.ts",
                "export const A = 1, bb = 2;\nexport function f() {}\nexport type T = 1;\nconst c = 1;\nexport { c as C };",
            ),
            ["A", "bb", "f", "T", "C"],
        );
        assert.strictEqual(camelCase("vectora-s3-tls-only"), "vectoraS3TlsOnly");
    });
});
