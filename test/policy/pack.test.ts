import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PACK_DIR, packFor } from "../helpers/pack";

/** The pack's full list of policies and levels, pinned: a change here is a change of governance. */
const PINNED: Array<[string, string]> = [
    ["vectora-naming-env-suffix", "mandatory"],
    ["vectora-layer-versioned-description", "mandatory"],
    ["vectora-promotion-stage-first", "mandatory"],
    ["vectora-promotion-deployed-as-staged", "mandatory"],
    ["vectora-isolation-no-cross-env", "mandatory"],
    ["vectora-lambda-no-legacy-layers", "mandatory"],
    ["vectora-lambda-env-contract", "mandatory"],
    ["vectora-s3-private-encrypted-versioned", "mandatory"],
    ["vectora-iam-least-privilege", "mandatory"],
    ["vectora-promotion-stage-soak", "advisory"],
    ["vectora-s3-prod-data-protected", "advisory"],
    ["vectora-logs-retention-set", "advisory"],
    ["vectora-aws-limits", "advisory"],
];

function rulesTable(): Array<{ name: string; level: string; checks: string; why: string }> {
    const text = fs.readFileSync(path.join(PACK_DIR, "RULES.md"), "utf8");
    const table = text.slice(text.indexOf("| Policy | Level |"), text.indexOf("## Configuration knobs"));
    return table
        .split("\n")
        .filter((line) => line.startsWith("| vectora-"))
        .map((line) => {
            const [name, level, checks, why] = line.split(" | ").map((c) => c.replace(/^\| /, "").replace(/ \|$/, ""));
            return { name, level, checks, why };
        });
}

describe("the policy pack", () => {
    it("serves exactly the pinned policies at the pinned levels, under its name and package version", async () => {
        const info = await (await packFor("stage")).info();
        assert.strictEqual(info.name, "vectora-inbox");
        assert.strictEqual(info.version, JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version);
        assert.deepStrictEqual(info.policies.map((p) => [p.name, p.level]), PINNED);
    });

    it("gives every policy a full-sentence description", async () => {
        for (const p of (await (await packFor("stage")).info()).policies) {
            assert.match(p.description, /^[A-Z].{40,}\.$/, p.name);
        }
    });

    it("is documented in RULES.md: same names, levels and descriptions, and a reason for each", async () => {
        const info = await (await packFor("stage")).info();
        const rows = rulesTable();
        assert.deepStrictEqual(rows.map((r) => [r.name, r.level]), PINNED);
        for (const p of info.policies) {
            const row = rows.find((r) => r.name === p.name);
            assert.strictEqual(row?.checks, p.description, p.name);
            assert.ok((row?.why.length ?? 0) > 30, `${p.name} needs a reason`);
        }
    });

    it("is laid out as the CLI expects: PulumiPolicy.yaml, a versioned package.json whose main is compiled JS", () => {
        const manifest = YAML.parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8"));
        assert.strictEqual(manifest.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        // A TypeScript main would make the CLI type-check the pack with ts-node at every start (about 8 s).
        assert.match(pkg.main, /\.js$/);
        assert.ok(fs.existsSync(path.resolve(PACK_DIR, pkg.main)), `${pkg.main} must exist after npm ci (prepare builds it)`);
    });

    it("ships the config file the README's commands pass, valid for the pack", async () => {
        const pack = await packFor("stage");
        const document = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "policy-config.json"), "utf8"));
        await pack.configure(document);
        await pack.configure();
    });
});
