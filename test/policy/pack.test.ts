import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { REPO } from "../helpers/fixtures";
import { PACK_DIR, packFor } from "../helpers/pack";
import { tags } from "../helpers/resources";
import { vectoraPolicies } from "../../policy/policies";
import { metadataProblems, renderRules } from "../../scripts/rules";

/** The pack's full list of policies, levels and severities, pinned: a change here is a change of governance. */
const PINNED: Array<[string, string, string]> = [
    ["vectora-naming-env-suffix", "mandatory", "high"],
    ["vectora-layer-versioned-description", "mandatory", "medium"],
    ["vectora-promotion-dev-first", "mandatory", "critical"],
    ["vectora-promotion-stage-first", "mandatory", "critical"],
    ["vectora-promotion-tested", "mandatory", "high"],
    ["vectora-promotion-stage-soak", "mandatory", "high"],
    ["vectora-promotion-deployed-as-staged", "mandatory", "critical"],
    ["vectora-promotion-prod-releases-only", "mandatory", "high"],
    ["vectora-isolation-no-cross-env", "mandatory", "critical"],
    ["vectora-lambda-no-legacy-layers", "mandatory", "high"],
    ["vectora-lambda-env-contract", "mandatory", "high"],
    ["vectora-tags-required", "mandatory", "low"],
    ["vectora-s3-private-encrypted-versioned", "mandatory", "high"],
    ["vectora-s3-tls-only", "mandatory", "medium"],
    ["vectora-s3-policy-not-public", "mandatory", "critical"],
    ["vectora-s3-acls-disabled", "mandatory", "medium"],
    ["vectora-s3-lifecycle", "mandatory", "low"],
    ["vectora-s3-access-logging", "mandatory", "medium"],
    ["vectora-s3-prod-no-force-destroy", "mandatory", "high"],
    ["vectora-iam-least-privilege", "mandatory", "high"],
    ["vectora-iam-function-roles", "mandatory", "high"],
    ["vectora-iam-role-managed-one-way", "mandatory", "medium"],
    ["vectora-iam-no-users", "mandatory", "high"],
    ["vectora-aws-allowed-accounts", "mandatory", "critical"],
    ["vectora-lambda-no-public-access", "mandatory", "critical"],
    ["vectora-bedrock-allowlist", "mandatory", "high"],
    ["vectora-lambda-runtime-supported", "mandatory", "high"],
    ["vectora-lambda-layer-runtime-match", "mandatory", "medium"],
    ["vectora-lambda-concurrency-prod", "mandatory", "medium"],
    ["vectora-lambda-async-failure-handling", "mandatory", "medium"],
    ["vectora-logs-retention-set", "mandatory", "low"],
    ["vectora-s3-prod-data-protected", "advisory", "high"],
    ["vectora-s3-prod-backup", "advisory", "medium"],
    ["vectora-lambda-concurrency", "advisory", "low"],
    ["vectora-lambda-runtime-ending", "advisory", "low"],
    ["vectora-aws-limits", "advisory", "low"],
];

/** The generated rows of RULES.md: the id each row's anchor carries, its level and its severity. */
function rulesRows(): Array<[string, string, string]> {
    const text = fs.readFileSync(path.join(PACK_DIR, "RULES.md"), "utf8");
    return [...text.matchAll(/^\| <a id="(vectora-[a-z0-9-]+)"><\/a>[^|]*\| (\w+) \| \*\*(\w+)\*\*/gm)].map((m) => [m[1], m[2], m[3]]);
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
    it("serves exactly the pinned policies at the pinned levels and severities, under its name and package version", async () => {
        const info = await (await packFor("stage")).info();
        assert.strictEqual(info.name, "vectora-inbox");
        assert.strictEqual(info.version, JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version);
        assert.deepStrictEqual(
            info.policies.map((p) => [p.name, p.level, p.severity]),
            PINNED,
        );
    });

    it("gives every policy a full-sentence description", async () => {
        for (const p of (await (await packFor("stage")).info()).policies) {
            assert.match(p.description, /^[A-Z].{40,}\.$/, p.name);
        }
    });

    it("serves every policy's metadata through GetAnalyzerInfo: remediation steps, tags, and a url to its row of RULES.md", async () => {
        for (const p of (await (await packFor("stage")).info()).policies) {
            assert.strictEqual(p.url, `RULES.md#${p.name}`, p.name);
            assert.match(p.remediationSteps ?? "", /^[A-Z].{40,}[.)]$/, p.name);
            assert.ok(
                p.tags.some((t) => !t.startsWith("external/")),
                `${p.name} needs an area tag`,
            );
        }
        const tls = (await (await packFor("stage")).info()).policies.find((p) => p.name === "vectora-s3-tls-only");
        assert.deepStrictEqual(tls?.framework, {
            name: "AWS Foundational Security Best Practices",
            version: "1.0.0",
            reference: "S3.5",
            specification: "S3 general purpose buckets should require requests to use SSL",
        });
        assert.deepStrictEqual(tls?.type, "stack");
    });

    it("meets the metadata contract of npm run rules (severity, remediation, url, tags, rationale) for every policy", () => {
        assert.deepStrictEqual(vectoraPolicies.flatMap(metadataProblems), []);
    });

    it("has RULES.md as npm run rules writes it from the pack's metadata, one row per pinned policy", () => {
        const text = fs.readFileSync(path.join(PACK_DIR, "RULES.md"), "utf8");
        if (renderRules(text, vectoraPolicies) !== text) {
            assert.fail("policy/RULES.md is out of date with the pack's metadata; run npm run rules");
        }
        assert.deepStrictEqual(rulesRows(), PINNED);
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
