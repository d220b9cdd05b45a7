import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import { BEDROCK_STATEMENT, functionWithRole } from "../helpers/resources";

const POLICY = "vectora-lambda-concurrency";

function scorer(env: string, overrides: Record<string, unknown> = {}) {
    const r = functionWithRole(env, "normalize-score-v2", [BEDROCK_STATEMENT], overrides);
    return [r.fn, r.role, r.policy];
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("is satisfied by a reserved concurrency in stage for a function that calls Bedrock", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer("stage", { reservedConcurrentExecutions: 2 }))), []);
        });
    });

    describe("non-compliant", () => {
        it("advises a reserved concurrency in stage for a function that calls Bedrock, and is satisfied by one", async () => {
            const pack = await policiesFor("stage");
            const advice = of(POLICY, await pack.analyzeStack(scorer("stage")));
            assert.deepStrictEqual(
                advice.map((v) => v.level),
                ["advisory"],
            );
            assert.match(advice[0].message, /calls Bedrock with no reserved concurrency/);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer("stage", { reservedConcurrentExecutions: 2 }))), []);
        });

        it("treats -1 as no reservation, as Lambda does", async () => {
            const pack = await policiesFor("dev");
            assert.strictEqual(of(POLICY, await pack.analyzeStack(scorer("dev", { reservedConcurrentExecutions: -1 }))).length, 1);
        });
    });

    describe("not applicable", () => {
        it("leaves prod to the mandatory policy", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("prod")).analyzeStack(scorer("prod"))));
        });
    });
});
