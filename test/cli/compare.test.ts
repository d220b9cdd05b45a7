import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { compare } from "../../cli/compare";
import { tempDir, write } from "../helpers/fixtures";
import { runIn } from "../helpers/io";
import { b64, deployedExport, release, sha } from "../helpers/stackExports";
import { standInPulumi, withStandIn, withoutPulumi } from "../helpers/standinPulumi";

const SHA = (c: string) => c.repeat(64);

function outputs(env: string, artifacts: Record<string, [string, string]>) {
    return { env, artifacts: Object.fromEntries(Object.entries(artifacts).map(([n, [version, sha256]]) => [n, { version, sha256 }])) };
}

const STAGE = outputs("stage", { "vectora-core": ["1.2.3", SHA("a")], "ingest-v2": ["1.5.0", SHA("b")], canonical: ["1.1", SHA("c")] });

describe("npm run compare", () => {
    it("says two environments run the same artifacts and exits 0", async () => {
        const dir = tempDir();
        const run = await runIn(
            compare,
            write(dir, "a.json", JSON.stringify(STAGE)),
            write(dir, "b.json", JSON.stringify({ ...STAGE, env: "prod" })),
        );
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /^Comparing stage \(outputs .*a\.json\) with prod \(outputs .*b\.json\)/);
        // Outputs are what a stack claims: compare says so.
        assert.match(
            run.out,
            /Note on stage: what the stack claims in its outputs, not read from its resources; compare exports for that\./,
        );
        assert.match(run.out, /\n {4}vectora-core +1\.2\.3 sha256:a{16} +1\.2\.3 sha256:a{16} +same\n/);
        assert.match(run.out, /stage and prod run the same artifacts\./);
    });

    it("shows the commit each side was deployed from, and says when a side does not record it", async () => {
        const dir = tempDir();
        const commit = "0123456789abcdef0123456789abcdef01234567";
        const run = await runIn(
            compare,
            write(dir, "a.json", JSON.stringify({ ...STAGE, source: { commit, dirty: false } })),
            write(dir, "b.json", JSON.stringify({ ...STAGE, env: "dev", source: { commit, dirty: true } })),
        );
        assert.match(run.out, /\n {4}deployed from +commit 0123456789ab +commit 0123456789ab \(dirty tree\)\n/);
        const old = await runIn(compare, write(dir, "c.json", JSON.stringify(STAGE)), path.join(dir, "a.json"), "--json");
        assert.deepStrictEqual(
            [JSON.parse(old.out).a.deployedFrom, JSON.parse(old.out).b.deployedFrom],
            ["unknown commit (no source output)", "commit 0123456789ab"],
        );
    });

    it("shows each difference (version, bytes, missing) and exits 1", async () => {
        const dir = tempDir();
        const dev = outputs("dev", {
            "vectora-core": ["1.2.4", SHA("a")],
            "ingest-v2": ["1.5.0", SHA("d")],
            "newsletter-v2": ["1.8.0", SHA("e")],
        });
        const run = await runIn(
            compare,
            write(dir, "dev.json", JSON.stringify(dev)),
            write(dir, "stage.json", JSON.stringify(STAGE)),
            "--json",
        );
        assert.strictEqual(run.code, 1);
        const doc = JSON.parse(run.out);
        assert.deepStrictEqual(
            doc.artifacts.map((a: { name: string; difference: string | null }) => [a.name, a.difference]),
            [
                ["vectora-core", "version"],
                ["ingest-v2", "sha256"],
                ["newsletter-v2", "missing"],
                ["canonical", "missing"],
            ],
        );
        assert.strictEqual(doc.differences, 4);
        assert.deepStrictEqual(doc.artifacts[0].a, { version: "1.2.4", sha256: SHA("a") });
    });

    it("reads stacks by name through the pulumi CLI: what their resources run, not what their outputs claim", async () => {
        const standIn = standInPulumi();
        const r = release();
        fs.writeFileSync(path.join(standIn.data, "stage.export.json"), JSON.stringify(deployedExport("stage", r)));
        fs.writeFileSync(path.join(standIn.data, "prod.export.json"), JSON.stringify(deployedExport("prod", r)));
        const run = await withStandIn(standIn, {}, () => runIn(compare, "stage", "prod"));
        assert.strictEqual(run.code, 0, run.err);
        assert.match(run.out, /^Comparing stage \(stack stage\) with prod \(stack prod\)/);
        assert.match(run.out, /stage and prod run the same artifacts\./);
        assert.deepStrictEqual(standIn.calls(), [
            ["stack", "export", "--stack", "stage", "--non-interactive"],
            ["stack", "export", "--stack", "prod", "--non-interactive"],
        ]);
    });

    it("notes outputs that claim what resources do not run, and exits 1 on a state that does not hang together", async () => {
        const standIn = standInPulumi();
        const r = release();
        const stage = deployedExport("stage", r) as { deployment: { resources: Array<Record<string, unknown>> } };
        // The root stack's outputs, as a targeted update rewrites them: ingest-v2 1.5.1, which no function runs.
        stage.deployment.resources[0].outputs = { artifacts: { "ingest-v2": { version: "1.5.1", sha256: sha("1.5.1") } } };
        fs.writeFileSync(path.join(standIn.data, "stage.export.json"), JSON.stringify(stage));
        fs.writeFileSync(path.join(standIn.data, "prod.export.json"), JSON.stringify(deployedExport("prod", r)));
        const run = await withStandIn(standIn, {}, () => runIn(compare, "stage", "prod"));
        assert.strictEqual(run.code, 0, run.err);
        assert.match(
            run.out,
            new RegExp(
                `Note on stage: its outputs claim ingest-v2 1\\.5\\.1 sha256:${sha("1.5.1").slice(0, 16)} but its resources run ` +
                    `1\\.5\\.0 sha256:${r.functions["ingest-v2"].sha256.slice(0, 16)}`,
            ),
        );
        const fn = stage.deployment.resources.find(
            (x) => (x.outputs as Record<string, unknown> | undefined)?.name === "vectora-inbox-ingest-v2-stage",
        );
        (fn?.outputs as Record<string, unknown>).codeSha256 = b64(sha("uploaded by hand"));
        fs.writeFileSync(path.join(standIn.data, "stage.export.json"), JSON.stringify(stage));
        const distrusted = await withStandIn(standIn, {}, () => runIn(compare, "stage", "prod"));
        assert.strictEqual(distrusted.code, 1, distrusted.out);
        assert.match(distrusted.out, /Note on stage: function vectora-inbox-ingest-v2-stage runs code with sha256/);
    });

    it("exits 2 with one line on bad input", async () => {
        const dir = tempDir();
        const good = write(dir, "good.json", JSON.stringify(STAGE));
        const cases: Array<[() => Promise<{ code: number; err: string }>, RegExp]> = [
            [
                () => withoutPulumi(() => runIn(compare, "stage", good)),
                /stage: no such file, and the pulumi CLI is not on PATH to read stack stage/,
            ],
            [() => runIn(compare, good), /expected two stacks or output files, got 1/],
            [() => runIn(compare, write(dir, "x.json", "{nope"), good), /x\.json:1:2: invalid JSON/],
            [() => runIn(compare, write(dir, "y.json", '{"env": "dev"}'), good), /y\.json: has no artifacts output/],
            [
                () => runIn(compare, path.join(dir, "missing.json"), good),
                /missing\.json: no such file; expected a stack name, or a stack export/,
            ],
        ];
        for (const [run, pattern] of cases) {
            const result = await run();
            assert.strictEqual(result.code, 2, result.err);
            assert.match(result.err, pattern);
            assert.strictEqual(result.err.trim().split("\n").length, 1);
        }
    });

    it("exits 2 naming the stack when the CLI cannot read it", async () => {
        const standIn = standInPulumi();
        const run = await withStandIn(standIn, {}, () => runIn(compare, "stage", "prod"));
        assert.strictEqual(run.code, 2);
        assert.match(run.err, /pulumi stack export --stack stage failed: error: no stack named 'stage' found/);
    });
});
