import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { edit, git } from "../helpers/fixtures";
import { PACK_ARGS, accountResources, requireEngine, sandbox, sandboxProject, tail } from "../helpers/sandbox";

/** The bytes of every stack file of a checkout, by name. */
function stackFiles(root: string): Record<string, string> {
    const names = fs.readdirSync(root).filter((f) => /^Pulumi\.(.+\.)?yaml$/.test(f));
    return Object.fromEntries(names.map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]));
}

describe("engine: the sandbox leaves the checkout alone, and a stack pinned to another account stops at its provider", function () {
    this.timeout(10 * 60_000);
    let root: string;
    before(() => {
        requireEngine();
        root = sandboxProject();
    });

    it("stack rm and stack rename run on the sandbox's copy of the stack files: the checkout stays as it was", () => {
        const before = stackFiles(root);
        assert.deepStrictEqual(Object.keys(before).sort(), ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.stage.yaml", "Pulumi.yaml"]);
        const rm = sandbox(root, ["stack", "rm", "--stack", "dev", "--yes"]);
        assert.strictEqual(rm.code, 0, tail(rm));
        assert.match(rm.out, /Stack 'dev' has been removed!/);
        const rename = sandbox(root, ["stack", "rename", "stage2", "--stack", "stage"]);
        assert.strictEqual(rename.code, 0, tail(rename));
        assert.match(rename.out, /Renamed stage to stage2/);
        // A --cwd of the user's pointing at the checkout does not bring the CLI back into it.
        const rmAgain = sandbox(root, ["stack", "rm", "--stack", "stage2", "--yes", "--cwd", root]);
        assert.strictEqual(rmAgain.code, 0, tail(rmAgain));
        assert.deepStrictEqual(stackFiles(root), before);
        assert.strictEqual(
            git(root, "status", "--porcelain", "--untracked-files=no"),
            "",
            "the checkout is clean: prod is not blocked as a dirty tree",
        );
        // The sandbox makes its stacks again on the next run.
        const list = sandbox(root, ["stack", "ls"]);
        assert.match(list.out, /^dev\s/m);
        assert.match(list.out, /^stage\s/m);
    });

    it("a deploy with credentials of an account the stack is not pinned to stops at the provider, before any change", () => {
        const pinned = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
        // dev pinned to another account than the one the credentials belong to (the simulated 123456789012).
        edit(root, "Pulumi.dev.yaml", (t) =>
            t.replace('aws:allowedAccountIds: ["123456789012"]', 'aws:allowedAccountIds: ["210987654321"]'),
        );
        try {
            const up = sandbox(root, ["up", "--stack", "dev", ...PACK_ARGS, "--yes"], { VECTORA_SKIP_DEPS: "1" });
            assert.notStrictEqual(up.code, 0, tail(up));
            assert.match(up.out, /error: (Preview failed: )?AWS account ID not allowed: 123456789012/);
            assert.deepStrictEqual(accountResources(root, "dev"), [], "nothing was created");
        } finally {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), pinned);
        }
        const preview = sandbox(root, ["preview", "--stack", "dev", ...PACK_ARGS], { VECTORA_SKIP_DEPS: "1" });
        assert.strictEqual(preview.code, 0, tail(preview));
        assert.doesNotMatch(preview.out, /not allowed/);
    });
});
