import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runPolicyPack } from "../../pulumi/policyRun";
import { readStateExport } from "../../pulumi/stateExport";
import { REPO, tempDir } from "../helpers/fixtures";
import { PACK_DIR } from "../helpers/pack";
import { evaluate, simulatedSourceExport } from "../helpers/program";
import { useOfflineExports } from "../helpers/stackExports";
import { evaluationToCheck } from "../../simulation/evaluate";

const INCIDENT = path.join(REPO, "test/fixtures/stage-incident.export.json");

function run(command: string, args: string[], cwd: string): string {
    const result = childProcess.spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(result.status, 0, `${command} ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
}

/** Violations as comparable lines. */
const lines = (violations: ReadonlyArray<{ policy: string; level: string; urn?: string; message: string }>) =>
    violations.map((v) => `${v.policy} ${v.level} ${v.urn} ${v.message}`).sort();

describe("the policy pack, published", function () {
    this.timeout(5 * 60_000);
    let installed: string;
    let files: string[];

    before(() => {
        // What `pulumi policy publish` uploads is `npm pack` of the folder; a consumer extracts it and
        // installs its declared dependencies, then the CLI starts it from there.
        const out = tempDir();
        const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out], PACK_DIR)) as Array<{
            filename: string;
            files: Array<{ path: string }>;
        }>;
        files = packed[0].files.map((f) => f.path).sort();
        installed = tempDir();
        run("tar", ["-xzf", path.join(out, packed[0].filename), "-C", installed, "--strip-components=1"], installed);
        run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"], installed);
    });

    it("holds its compiled code, its manifest and its documentation, and nothing from outside its folder", () => {
        assert.ok(
            files.includes("bin/index.js") && files.includes("PulumiPolicy.yaml") && files.includes("package.json"),
            files.join("\n"),
        );
        assert.ok(
            files.every((f) => /^(bin\/.*\.js|PulumiPolicy\.yaml|RULES\.md|policy-config\.json|package\.json)$/.test(f)),
            files.join("\n"),
        );
        const code = files.filter((f) => f.endsWith(".js")).map((f) => fs.readFileSync(path.join(installed, f), "utf8"));
        assert.ok(
            code.every((text) => !/require\("\.\.\/\.\.\/\.\.\//.test(text)),
            "no require climbs out of the pack",
        );
    });

    it("gives, installed on its own, the same verdicts as the repository's pack on a compliant and a non-compliant stack", async () => {
        // Both packs read what dev runs for stage's promotion gate: a deploy of this commit to dev.
        useOfflineExports({ "organization/vectora-inbox/dev": await simulatedSourceExport(REPO, "stage") });
        const stage = evaluationToCheck(await evaluate(REPO, "stage"), true);
        const incident = readStateExport(INCIDENT, "vectora-inbox");
        const incidentStack = {
            project: incident.project,
            stack: incident.stack,
            organization: "organization",
            dryRun: false,
            config: {},
            cwd: REPO,
            resources: incident.resources,
        };
        for (const [what, stack] of [
            ["stage as declared", stage],
            ["the incident's export", incidentStack],
        ] as const) {
            const published = await runPolicyPack(stack, { packDir: installed });
            const local = await runPolicyPack(stack, { packDir: PACK_DIR });
            assert.deepStrictEqual(lines(published.violations), lines(local.violations), what);
            assert.strictEqual(published.pack.version, local.pack.version);
        }
        assert.strictEqual((await runPolicyPack(stage, { packDir: installed })).violations.length, 0);
        assert.ok((await runPolicyPack(incidentStack, { packDir: installed })).violations.some((v) => v.level === "mandatory"));
    });
});
