import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { vectoraPolicies } from "../../policy/policies";
import { REPO } from "../helpers/fixtures";

/** The groups of a policy's test, in the order they are written: compliant first, then each way to fail. */
const GROUPS = ["compliant", "non-compliant", "not applicable", "unknown during preview"];

/** A test as `mocha --dry-run --reporter json` lists it. */
interface ListedTest {
    readonly title: string;
    readonly fullTitle: string;
    readonly file: string;
}

/** Every test of the compiled policy tests, listed by mocha without running one. */
function listPolicyTests(): ListedTest[] {
    const dir = path.join(REPO, ".build", "test", "policy");
    const files = fs
        .readdirSync(dir)
        .filter((f) => /^vectora-.*\.test\.js$/.test(f))
        .map((f) => path.join(dir, f));
    const run = childProcess.spawnSync(
        process.execPath,
        [require.resolve("mocha/bin/mocha.js"), "--no-config", "--dry-run", "--reporter", "json", ...files],
        { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    assert.strictEqual(run.status, 0, run.stderr);
    return (JSON.parse(run.stdout) as { tests: ListedTest[] }).tests;
}

describe("the policy tests' shape", () => {
    let tests: ListedTest[];
    before(() => (tests = listPolicyTests()));
    /** Whether the policy's own file shows it in that group. */
    const has = (id: string, group: string) =>
        tests.some((t) => path.basename(t.file, ".test.js") === id && t.fullTitle.startsWith(`${id} ${group} `));

    it("nests every test of a policy under describe(<policy id>) > describe(<group>), the file named after the id", () => {
        const misplaced = tests.flatMap((t) => {
            const id = path.basename(t.file, ".test.js");
            const suites = t.fullTitle.slice(0, -(t.title.length + 1));
            const group = suites.startsWith(`${id} `) ? suites.slice(id.length + 1) : undefined;
            return group !== undefined && GROUPS.includes(group) ? [] : [`${path.basename(t.file)}: "${t.fullTitle}"`];
        });
        assert.deepStrictEqual(misplaced, []);
    });

    it("shows every policy of the pack compliant and non-compliant, at least once each", () => {
        const missing = vectoraPolicies.flatMap((p) =>
            ["compliant", "non-compliant"].filter((group) => !has(p.name, group)).map((group) => `${p.name}: no ${group} case`),
        );
        assert.deepStrictEqual(missing, []);
    });

    it("groups a file's not-applicable and preview cases apart when it has any", () => {
        const missing = vectoraPolicies.flatMap((p) => {
            const source = fs.readFileSync(path.join(REPO, "test", "policy", `${p.name}.test.ts`), "utf8");
            return [
                ...(source.includes("notApplicable(") && !has(p.name, "not applicable") ? [`${p.name}: no "not applicable" group`] : []),
                ...(/\bUNKNOWN\b/.test(source) && !has(p.name, "unknown during preview")
                    ? [`${p.name}: no "unknown during preview" group`]
                    : []),
            ];
        });
        assert.deepStrictEqual(missing, []);
    });
});
