import * as assert from "assert";
import { FLOORS, PACK_ROOMS, cycles, floorProblem, importsOf, placeOf, trackedSources } from "../helpers/floors";
import { REPO } from "../helpers/fixtures";

describe("the floors: who may import whom", () => {
    const files = trackedSources(REPO);
    const imports = importsOf(REPO, files);

    it("places every TypeScript file in a room of a floor (a new folder must be given one)", () => {
        assert.deepStrictEqual(
            files.filter((f) => placeOf(f) === undefined),
            [],
        );
    });

    it("has no import that climbs a floor, crosses to a room beside it, or leaves or enters the pack but by its contract", () => {
        const problems = imports.flatMap((i) => {
            const problem = floorProblem(i);
            return problem ? [`${i.from}:${i.line} imports "${i.specifier}": ${problem}`] : [];
        });
        assert.deepStrictEqual(problems, []);
    });

    it("has no import cycle between files", () => {
        assert.deepStrictEqual(cycles(imports), []);
    });

    it("reads every kind of import, and refuses a climb, a crossing, a pack that reaches out and a cycle", () => {
        const seen = importsOf(REPO, ["simulation/evaluate.ts", "cli/preview.ts", "policy/support/props.ts"]);
        assert.ok(
            seen.some((i) => i.from === "cli/preview.ts" && i.specifier === "../simulation/evaluate"),
            "import() is read",
        );
        assert.ok(
            seen.some((i) => i.from === "simulation/evaluate.ts" && i.to === "pulumi/projectFiles.ts"),
            "static imports resolve",
        );
        const at = (from: string, to: string) => floorProblem({ from, to, specifier: to, line: 1 });
        assert.match(at("lib/files.ts", "config/canonical.ts") ?? "", /lib \(floor 1\) imports config \(floor 2\), which is above it/);
        assert.match(at("cli/promote.ts", "sandbox/workspace.ts") ?? "", /cli and sandbox share floor 7/);
        assert.match(at("policy/policies/vectora-aws-limits.ts", "lib/errors.ts") ?? "", /the pack must stand alone/);
        assert.match(at("policy/support/props.ts", "policy/policies/vectora-aws-limits.ts") ?? "", /above it in the pack/);
        assert.match(at("program.ts", "policy/support/props.ts") ?? "", /only policy\/contract may be imported/);
        assert.match(at("newroom/x.ts", "lib/errors.ts") ?? "", /newroom\/x\.ts is in no room/);
        assert.strictEqual(at("test/helpers/pack.ts", "bench/bench.ts"), undefined);
        assert.strictEqual(at("program.ts", "policy/contract/naming.ts"), undefined);
        assert.strictEqual(at("test/helpers/pack.ts", "policy/policies/index.ts"), undefined);
        assert.deepStrictEqual(
            cycles([
                { from: "a.ts", to: "b.ts", specifier: "./b", line: 1 },
                { from: "b.ts", to: "a.ts", specifier: "./a", line: 1 },
            ]),
            [["a.ts", "b.ts"]],
        );
    });

    it("lists each room once", () => {
        const names = [...FLOORS.flatMap((f) => f.rooms.map((r) => r.name)), ...PACK_ROOMS.slice(1).map((r) => r.name)];
        assert.deepStrictEqual(names, [...new Set(names)]);
    });
});
