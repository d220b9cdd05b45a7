import * as assert from "assert";
import { copyProject, edit, fakePackageIndex } from "../helpers/fixtures";
import { BAD_INPUTS } from "../helpers/badInputs";
import { evaluate, expectRejected } from "../helpers/program";

/** Runs the program on a broken copy and checks the one-line message and that nothing was declared. */

describe("bad input stops the program before anything is declared", () => {
    for (const bad of BAD_INPUTS) {
        it(bad.name, async () => {
            const root = copyProject();
            bad.breakIt(root);
            await expectRejected(root, bad.stack ?? "stage", bad.message);
        });
    }

    it("a BOM and CRLF line endings in VERSION are fine", async () => {
        const root = copyProject();
        edit(root, "VERSION", (t) => `\uFEFF${t.replace(/\n/g, "\r\n")}`);
        const ev = await evaluate(root, "stage");
        assert.ok(ev.resources.length > 50);
    });
});

describe("a real deploy (not a preview)", () => {
    it("refuses an incomplete common-deps layer, naming it and saying how to fix it", async () => {
        await expectRejected(
            copyProject({ git: true }),
            "stage",
            /^refusing to deploy: common-deps 1\.0\.5 \(pip exited with 1: ERROR: no package index \(test\)\) is not built; run the deploy where pip can reach a Python package index/,
            { preview: false },
        );
    });

    it("goes ahead when every artifact is built", async () => {
        const warnings: string[] = [];
        const ev = await evaluate(copyProject({ git: true }), "stage", { preview: false, deps: fakePackageIndex, warnings });
        assert.deepStrictEqual(warnings, []);
        assert.ok(ev.resources.some((r) => r.type === "aws:lambda/layerVersion:LayerVersion" && r.name === "common-deps"));
    });

    it("warns loudly in a preview that common-deps is not built", async () => {
        const warnings: string[] = [];
        await evaluate(copyProject(), "stage", { warnings });
        assert.deepStrictEqual(warnings.length, 1);
        assert.match(warnings[0], /^common-deps 1\.0\.5 is NOT BUILT \(.*no package index.*\): .* pulumi up will refuse it$/);
    });
});
