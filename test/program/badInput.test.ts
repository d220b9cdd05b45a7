import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { copyProject, fakePackageIndex, tempDir, write } from "../helpers/fixtures";
import { evaluate, run } from "../helpers/program";

/** Runs the program on a broken copy and checks the one-line message and that nothing was declared. */
async function expectRejected(root: string, stack: string, pattern: RegExp, preview = true): Promise<void> {
    const result = await run(root, stack, { preview });
    assert.ok(result.error !== undefined, "the program should have stopped");
    const message = (result.error as Error).message;
    assert.match(message, pattern);
    assert.ok(!message.includes("\n"), `one line expected: ${message}`);
    assert.deepStrictEqual(
        result.registeredTypes.filter((t) => t !== "pulumi:pulumi:Stack"),
        [],
        "no resource may be declared before the inputs are checked",
    );
}

function edit(root: string, rel: string, change: (text: string) => string): void {
    const file = path.join(root, rel);
    fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
}

describe("bad input stops the program before anything is declared", () => {
    describe("VERSION", () => {
        it("missing file", async () => {
            const root = copyProject();
            fs.rmSync(path.join(root, "VERSION"));
            await expectRejected(root, "stage", /^VERSION: cannot read .* \(ENOENT\); the repository root must hold a VERSION file$/);
        });
        it("empty file", async () => {
            const root = copyProject();
            write(root, "VERSION", "");
            await expectRejected(root, "stage", /^VERSION: file is empty/);
        });
        it("missing key", async () => {
            const root = copyProject();
            edit(root, "VERSION", (t) => t.replace(/^NEWSLETTER_VERSION=.*\n/m, ""));
            await expectRejected(root, "stage", /^VERSION: missing key NEWSLETTER_VERSION; add NEWSLETTER_VERSION=MAJOR\.MINOR\.PATCH/);
        });
        it("duplicate key", async () => {
            const root = copyProject();
            edit(root, "VERSION", (t) => `${t}INGEST_VERSION=9.9.9\n`);
            await expectRejected(root, "stage", /^VERSION:8: duplicate key INGEST_VERSION \(first set on line 4\)/);
        });
        it("bad semver", async () => {
            const root = copyProject();
            edit(root, "VERSION", (t) => t.replace("NORMALIZE_VERSION=2.1.0", "NORMALIZE_VERSION=2.1"));
            await expectRejected(
                root,
                "stage",
                /^VERSION:5: NORMALIZE_VERSION value "2\.1" is not a valid version; expected NORMALIZE_VERSION=MAJOR\.MINOR\.PATCH/,
            );
        });
        it("a BOM and CRLF line endings are fine", async () => {
            const root = copyProject();
            edit(root, "VERSION", (t) => `\uFEFF${t.replace(/\n/g, "\r\n")}`);
            const ev = await evaluate(root, "stage");
            assert.ok(ev.resources.length > 50);
        });
    });

    describe("stack config", () => {
        it("missing stack file", async () => {
            const root = copyProject();
            fs.rmSync(path.join(root, "Pulumi.stage.yaml"));
            await expectRejected(root, "stage", /^Pulumi\.stage\.yaml: not found; every stack needs its config file/);
        });
        it("env that differs from the stack", async () => {
            const root = copyProject();
            edit(root, "Pulumi.stage.yaml", (t) => t.replace("vectora-inbox:env: stage", "vectora-inbox:env: dev"));
            await expectRejected(
                root,
                "stage",
                /^Pulumi\.stage\.yaml: vectora-inbox:env is "dev" but the stack is "stage"; expected vectora-inbox:env: stage$/,
            );
        });
        it("unknown stack", async () => {
            await expectRejected(copyProject(), "qa", /^unknown stack "qa"; expected one of dev, stage, prod$/);
        });
        it("missing key", async () => {
            const root = copyProject();
            edit(root, "Pulumi.prod.yaml", (t) => t.replace(/^.*stageStack.*\n/m, ""));
            await expectRejected(
                root,
                "prod",
                /^Pulumi\.prod\.yaml: missing vectora-inbox:stageStack; expected for example "vectora-inbox:stageStack: organization\/vectora-inbox\/stage" under config:$/,
            );
        });
        it("invalid YAML in the stack file", async () => {
            const root = copyProject();
            write(root, "Pulumi.dev.yaml", "config:\n  aws:region: [eu-west-3\n");
            await expectRejected(root, "dev", /^Pulumi\.dev\.yaml:\d+:\d+: invalid YAML: /);
        });
    });

    describe("canonical/", () => {
        it("invalid YAML", async () => {
            const root = copyProject();
            edit(root, "canonical/prompts/newsletter_editorial.yaml", (t) => `${t}sections: [regulatory, clinical\n`);
            await expectRejected(root, "stage", /^canonical\/prompts\/newsletter_editorial\.yaml:\d+:\d+: invalid YAML: /);
        });
        it("invalid JSON", async () => {
            const root = copyProject();
            write(root, "canonical/sources/extra.json", '{"a": 1,}');
            await expectRejected(root, "stage", /^canonical\/sources\/extra\.json:1:9: invalid JSON: unexpected "}"$/);
        });
        it("a client config with a versioned client_id", async () => {
            const root = copyProject();
            edit(root, "canonical/clients/lai_weekly.yaml", (t) => t.replace("client_id: lai_weekly", "client_id: lai_weekly_v7"));
            await expectRejected(
                root,
                "stage",
                /^canonical\/clients\/lai_weekly\.yaml: client_id "lai_weekly_v7" carries a version suffix; expected a stable id such as "lai_weekly"/,
            );
        });
        it("an empty YAML file", async () => {
            const root = copyProject();
            write(root, "canonical/scopes/new_scope.yaml", "");
            await expectRejected(root, "stage", /^canonical\/scopes\/new_scope\.yaml: YAML file is empty/);
        });
        it("a symbolic link that points outside the folder", async () => {
            const root = copyProject();
            fs.symlinkSync(write(tempDir(), "elsewhere.yaml", "a: 1\n"), path.join(root, "canonical/scopes/elsewhere.yaml"));
            await expectRejected(root, "stage", /^canonical\/scopes\/elsewhere\.yaml: symbolic link points outside canonical/);
        });
    });

    describe("Python sources", () => {
        it("missing folder", async () => {
            const root = copyProject();
            fs.rmSync(path.join(root, "python-src/layers/vectora-core"), { recursive: true });
            await expectRejected(root, "stage", /^python-src\/layers\/vectora-core: folder not found/);
        });
        it("empty folder", async () => {
            const root = copyProject();
            fs.rmSync(path.join(root, "python-src/lambdas/newsletter-v2"), { recursive: true });
            fs.mkdirSync(path.join(root, "python-src/lambdas/newsletter-v2"));
            await expectRejected(root, "stage", /^python-src\/lambdas\/newsletter-v2: folder is empty/);
        });
        it("a function and its layers over Lambda's unzipped size limit", async () => {
            const root = copyProject();
            const big = path.join(root, "python-src/layers/vectora-core/vectora_core/embeddings.bin");
            fs.writeFileSync(big, "");
            fs.truncateSync(big, 251 * 1024 * 1024);
            await expectRejected(
                root,
                "stage",
                /^python-src\/layers\/vectora-core: vectora-core is 251\.0 MB unzipped; Lambda allows 250\.0 MB/,
            );
        });
        it("a function whose code and layers together exceed the limit, each under it", async () => {
            const root = copyProject();
            const sparse = (rel: string, mb: number) => {
                const file = path.join(root, rel);
                fs.writeFileSync(file, "");
                fs.truncateSync(file, mb * 1024 * 1024);
            };
            sparse("python-src/layers/vectora-core/vectora_core/index.bin", 150);
            sparse("python-src/lambdas/ingest-v2/model.bin", 120);
            await expectRejected(
                root,
                "stage",
                /^ingest-v2 with its layers is 270\.0 MB unzipped; Lambda allows 250\.0 MB \(shrink python-src\/lambdas\/ingest-v2 or the layers\)$/,
            );
        });
    });
});

describe("a real deploy (not a preview)", () => {
    it("refuses an incomplete common-deps layer, naming it and saying how to fix it", async () => {
        await expectRejected(
            copyProject(),
            "stage",
            /^refusing to deploy: common-deps 1\.0\.5 \(pip exited with 1: ERROR: no package index \(test\)\) is not built; run the deploy where pip can reach a Python package index/,
            false,
        );
    });

    it("goes ahead when every artifact is built", async () => {
        const warnings: string[] = [];
        const ev = await evaluate(copyProject(), "stage", { preview: false, deps: fakePackageIndex, warnings });
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
