import * as assert from "assert";
import * as path from "path";
import { runPolicyPack } from "../../pulumi/policyRun";
import { toPlain } from "../../pulumi/wire";
import { REPO } from "../helpers/fixtures";
import { PACK_DIR } from "../helpers/pack";
import { evaluate } from "../helpers/program";
import { evaluationToCheck } from "../../simulation/evaluate";

const CONFIG = path.join(PACK_DIR, "policy-config.json");

describe("the stacks as the program declares them", () => {
    for (const env of ["dev", "stage"]) {
        it(`${env}: pass every policy, through the analyzer protocol`, async () => {
            const ev = await evaluate(REPO, env);
            const result = await runPolicyPack(evaluationToCheck(ev, true), { packDir: PACK_DIR, configFile: CONFIG });
            assert.deepStrictEqual(result.violations, []);
            assert.strictEqual(result.analyzeCalls, ev.resources.length);
        });
    }

    it("prod: passes every mandatory policy when stage runs the same commit, and only the soak check is left open", async () => {
        const stage = await evaluate(REPO, "stage");
        const ev = await evaluate(REPO, "prod", { stageOutputs: toPlain(stage.outputs) as Record<string, unknown> });
        const result = await runPolicyPack(evaluationToCheck(ev, true), { packDir: PACK_DIR, configFile: CONFIG });
        assert.deepStrictEqual(
            result.violations.map((v) => [v.policy, v.level]),
            [["vectora-promotion-stage-soak", "advisory"]],
        );
        // The StackReference is read, not registered: the engine does not Analyze it.
        assert.strictEqual(result.analyzeCalls, ev.resources.length - 1);
    });

    it("prod: is blocked when stage runs other versions", async () => {
        const stage = toPlain((await evaluate(REPO, "stage")).outputs) as { artifacts: Record<string, { version: string }> };
        stage.artifacts["newsletter-v2"].version = "1.7.9";
        const ev = await evaluate(REPO, "prod", { stageOutputs: stage });
        const result = await runPolicyPack(evaluationToCheck(ev, true), { packDir: PACK_DIR, configFile: CONFIG });
        const gate = result.violations.filter((v) => v.policy === "vectora-promotion-stage-first");
        assert.strictEqual(gate.length, 1);
        assert.match(gate[0].message, /prod would deploy newsletter-v2 1\.8\.0 but stage runs newsletter-v2 1\.7\.9/);
    });
});
