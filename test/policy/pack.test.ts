import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { REPO } from "../helpers/fixtures";
import { PACK_DIR, packFor } from "../helpers/pack";
import { tags } from "../helpers/resources";

/** The pack's full list of policies and levels, pinned: a change here is a change of governance. */
const PINNED: Array<[string, string]> = [
    ["vectora-naming-env-suffix", "mandatory"],
    ["vectora-layer-versioned-description", "mandatory"],
    ["vectora-promotion-dev-first", "mandatory"],
    ["vectora-promotion-stage-first", "mandatory"],
    ["vectora-promotion-deployed-as-staged", "mandatory"],
    ["vectora-promotion-prod-releases-only", "mandatory"],
    ["vectora-isolation-no-cross-env", "mandatory"],
    ["vectora-lambda-no-legacy-layers", "mandatory"],
    ["vectora-lambda-env-contract", "mandatory"],
    ["vectora-tags-required", "mandatory"],
    ["vectora-s3-private-encrypted-versioned", "mandatory"],
    ["vectora-s3-tls-only", "mandatory"],
    ["vectora-s3-policy-not-public", "mandatory"],
    ["vectora-s3-acls-disabled", "mandatory"],
    ["vectora-s3-lifecycle", "mandatory"],
    ["vectora-s3-access-logging", "mandatory"],
    ["vectora-iam-least-privilege", "mandatory"],
    ["vectora-iam-function-roles", "mandatory"],
    ["vectora-iam-role-managed-one-way", "mandatory"],
    ["vectora-lambda-no-public-access", "mandatory"],
    ["vectora-bedrock-allowlist", "mandatory"],
    ["vectora-lambda-runtime-supported", "mandatory"],
    ["vectora-lambda-layer-runtime-match", "mandatory"],
    ["vectora-lambda-concurrency-prod", "mandatory"],
    ["vectora-lambda-async-failure-handling", "mandatory"],
    ["vectora-logs-retention-set", "mandatory"],
    ["vectora-promotion-stage-soak", "advisory"],
    ["vectora-s3-prod-data-protected", "advisory"],
    ["vectora-s3-prod-backup", "advisory"],
    ["vectora-lambda-concurrency", "advisory"],
    ["vectora-lambda-runtime-ending", "advisory"],
    ["vectora-aws-limits", "advisory"],
];

function rulesTable(): Array<{ name: string; level: string; file: string; checks: string; why: string; anchor: string }> {
    const text = fs.readFileSync(path.join(PACK_DIR, "RULES.md"), "utf8");
    const table = text.slice(text.indexOf("| Policy | Level |"), text.indexOf("## Configuration knobs"));
    return table
        .split("\n")
        .filter((line) => line.startsWith("| vectora-"))
        .map((line) => {
            const [name, level, file, checks, why, anchor] = line.split(" | ").map((c) => c.replace(/^\| /, "").replace(/ \|$/, ""));
            return { name, level, file, checks, why, anchor };
        });
}

/** The source file that defines each policy id: the compiled policy modules, each asked what it exports. */
function definingFiles(): Map<string, string> {
    const dir = path.join(REPO, ".build", "policy", "policies");
    const found = new Map<string, string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js") && f !== "index.js")) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        for (const value of Object.values(require(path.join(dir, file)) as Record<string, unknown>)) {
            const name = (value as { name?: unknown }).name;
            if (typeof name === "string" && name.startsWith("vectora-")) {
                found.set(name, `policies/${file.replace(/\.js$/, ".ts")}`);
            }
        }
    }
    return found;
}

describe("the policy pack", () => {
    it("serves exactly the pinned policies at the pinned levels, under its name and package version", async () => {
        const info = await (await packFor("stage")).info();
        assert.strictEqual(info.name, "vectora-inbox");
        assert.strictEqual(info.version, JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version);
        assert.deepStrictEqual(
            info.policies.map((p) => [p.name, p.level]),
            PINNED,
        );
    });

    it("gives every policy a full-sentence description", async () => {
        for (const p of (await (await packFor("stage")).info()).policies) {
            assert.match(p.description, /^[A-Z].{40,}\.$/, p.name);
        }
    });

    it("is documented in RULES.md: same names, levels, files and descriptions, and a reason for each", async () => {
        const info = await (await packFor("stage")).info();
        const rows = rulesTable();
        assert.deepStrictEqual(
            rows.map((r) => [r.name, r.level]),
            PINNED,
        );
        for (const p of info.policies) {
            const row = rows.find((r) => r.name === p.name);
            assert.strictEqual(row?.checks, p.description, p.name);
            assert.strictEqual(row?.file, `[\`policies/${p.name}.ts\`](policies/${p.name}.ts)`, p.name);
            assert.ok((row?.why.length ?? 0) > 30, `${p.name} needs a reason`);
            // The anchor column names the cdk-nag or awsguard rule, or says "-" when neither has one.
            assert.match(row?.anchor ?? "", /^(-|(cdk-nag|awsguard) .+)$/, `${p.name} needs an anchor`);
        }
    });

    it("defines each policy in the file named after its id, and tests it in the test file of the same name", () => {
        const files = definingFiles();
        assert.deepStrictEqual([...files.keys()].sort(), PINNED.map(([name]) => name).sort());
        for (const [name, file] of files) {
            assert.strictEqual(file, `policies/${name}.ts`, name);
            assert.ok(fs.existsSync(path.join(REPO, "test", "policy", `${name}.test.ts`)), `test/policy/${name}.test.ts`);
        }
    });

    it("is laid out as the CLI expects: PulumiPolicy.yaml, a versioned package.json whose main is compiled JS inside the pack", () => {
        const manifest = YAML.parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8"));
        assert.strictEqual(manifest.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        // A TypeScript main would make the CLI type-check the pack with ts-node at every start (about 8 s).
        assert.match(pkg.main, /\.js$/);
        assert.ok(fs.existsSync(path.resolve(PACK_DIR, pkg.main)), `${pkg.main} must exist after npm ci (prepare builds it)`);
        assert.ok(
            !path.relative(PACK_DIR, path.resolve(PACK_DIR, pkg.main)).startsWith(".."),
            "main must be inside the pack: pulumi policy publish packs only this folder",
        );
        assert.deepStrictEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi"]);
    });

    it("ships the config file the README's commands pass, which the pack accepts and applies", async () => {
        const document = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "policy-config.json"), "utf8"));
        assert.deepStrictEqual(Object.keys(document).sort(), [
            "vectora-bedrock-allowlist",
            "vectora-logs-retention-set",
            "vectora-promotion-dev-first",
            "vectora-promotion-stage-first",
            "vectora-promotion-stage-soak",
            "vectora-s3-access-logging",
        ]);
        // The stacks the promotion gates read are pinned here, and only here.
        assert.deepStrictEqual(
            [document["vectora-promotion-dev-first"], document["vectora-promotion-stage-first"]],
            [{ devStack: "organization/vectora-inbox/dev" }, { stageStack: "organization/vectora-inbox/stage" }],
        );
        const pack = await packFor("prod");
        const shortLogs = {
            type: "aws:cloudwatch/logGroup:LogGroup",
            name: "logs",
            props: { name: "/aws/lambda/vectora-inbox-ingest-v2-prod", retentionInDays: 30, tags: tags("prod") },
        };
        try {
            // With the file, the retention minimum is the file's; a stricter one shows the file is what decides.
            await pack.configure({
                ...document,
                "vectora-logs-retention-set": { ...document["vectora-logs-retention-set"], minProdDays: 400 },
            });
            assert.match((await pack.analyze(shortLogs)).violations[0]?.message ?? "", /at least 400 days/);
            await pack.configure(document);
            assert.match((await pack.analyze(shortLogs)).violations[0]?.message ?? "", /at least 90 days/);
        } finally {
            await pack.configure();
        }
    });
});
