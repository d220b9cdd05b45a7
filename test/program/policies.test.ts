import * as assert from "assert";
import * as path from "path";
import { runPolicyPack } from "../../pulumi/policyRun";
import { REPO, copyProject, fakePackageIndex } from "../helpers/fixtures";
import { PACK_DIR } from "../helpers/pack";
import { evaluate, expectRejected, simulatedSourceExport } from "../helpers/program";
import { useOfflineExports, withFunctionVersion } from "../helpers/stackExports";
import { evaluationToCheck } from "../../simulation/evaluate";
import { aged } from "../../pulumi/sourceState";

const STAGE = "organization/vectora-inbox/stage";

const CONFIG = path.join(PACK_DIR, "policy-config.json");

describe("the stacks as the program declares them", () => {
    for (const env of ["dev", "stage"]) {
        it(`${env}: pass every policy, through the analyzer protocol`, async () => {
            if (env === "stage") {
                useOfflineExports({ "organization/vectora-inbox/dev": await simulatedSourceExport(REPO, "stage") });
            }
            const ev = await evaluate(REPO, env);
            const result = await runPolicyPack(evaluationToCheck(ev, true), { packDir: PACK_DIR, configFile: CONFIG });
            assert.deepStrictEqual(result.violations, []);
            assert.strictEqual(result.analyzeCalls, ev.resources.length);
        });
    }

    it("prod: passes every policy once stage has run the commit 14 days and passed its smoke test; before, the soak blocks", async () => {
        const fresh = await simulatedSourceExport(REPO, "prod");
        // Deployed moments ago, then (aged) on 2000-01-01: each with the smoke test stage recorded after it.
        for (const [stage, expected] of [
            [fresh, ["vectora-promotion-stage-soak mandatory"]],
            [aged(fresh), []],
        ] as const) {
            useOfflineExports({ [STAGE]: stage });
            const ev = await evaluate(REPO, "prod", { source: stage });
            const result = await runPolicyPack(evaluationToCheck(ev, true), { packDir: PACK_DIR, configFile: CONFIG });
            assert.deepStrictEqual([...new Set(result.violations.map((v) => `${v.policy} ${v.level}`))], expected);
            assert.strictEqual(result.analyzeCalls, ev.resources.length);
        }
    });

    it("prod: is blocked when stage's newsletter function runs another version, on the gate and on the function", async () => {
        const stage = withFunctionVersion(await simulatedSourceExport(REPO, "prod"), "newsletter-v2", "1.7.9");
        useOfflineExports({ [STAGE]: stage });
        const ev = await evaluate(REPO, "prod", { source: stage });
        const result = await runPolicyPack(evaluationToCheck(ev, true), { packDir: PACK_DIR, configFile: CONFIG });
        const gate = result.violations.filter((v) => v.policy === "vectora-promotion-stage-first");
        assert.deepStrictEqual(
            gate.map((v) => [(v.urn ?? "").split("::").pop(), v.message]),
            [
                [
                    "promotion-gate",
                    "Promotion gate: prod would deploy newsletter-v2 1.8.0 but stage runs newsletter-v2 1.7.9; promote " +
                        "1.8.0 to stage first (npm run promote -- --to stage) and let it run there.",
                ],
                [
                    "newsletter-v2-zip",
                    "Promotion gate: zip lambdas/newsletter-v2-1.8.0.zip: prod would deploy newsletter-v2 1.8.0 but stage " +
                        "runs newsletter-v2 1.7.9; promote 1.8.0 to stage first (npm run promote -- --to stage) and let it run there.",
                ],
                [
                    "newsletter-v2",
                    "Promotion gate: function vectora-inbox-newsletter-v2-prod: prod would deploy newsletter-v2 1.8.0 but " +
                        "stage runs newsletter-v2 1.7.9; promote 1.8.0 to stage first (npm run promote -- --to stage) " +
                        "and let it run there.",
                ],
            ],
        );
    });

    it("prod: a deploy (not a preview) whose gate fails is refused before anything is declared, without the pack", async () => {
        const root = copyProject({ git: true });
        const stage = withFunctionVersion(await simulatedSourceExport(root, "prod", { deps: fakePackageIndex }), "newsletter-v2", "1.7.9");
        await expectRejected(
            root,
            "prod",
            /^refusing to deploy prod: prod would deploy newsletter-v2 1\.8\.0 but stage runs newsletter-v2 1\.7\.9; promote 1\.8\.0 to stage first \(npm run promote -- --to stage\) and let it run there\.$/,
            { preview: false, deps: fakePackageIndex, source: stage },
        );
    });
});
