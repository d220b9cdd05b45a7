import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { BEDROCK_STATEMENT, functionWithRole } from "../helpers/resources";

const POLICY = "vectora-lambda-concurrency-prod";
const READ = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::vectora-inbox-data-prod/*" };

/** The normalise-and-score function with its Bedrock grant, at a reserved concurrency. */
function scorer(env: string, reservedConcurrentExecutions?: number) {
    const r = functionWithRole(
        env,
        "normalize-score-v2",
        [READ, BEDROCK_STATEMENT],
        reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions },
    );
    return [r.fn, r.role, r.policy];
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("leaves a function that does not call Bedrock unreserved", async () => {
            const pack = await policiesFor("prod");
            const ingest = functionWithRole("prod", "ingest-v2", [READ]);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([ingest.fn, ingest.role, ingest.policy])), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a prod function that calls Bedrock without reserved concurrency, then passes it capped", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyzeStack(scorer("prod")));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(
                bad[0].message,
                /function "vectora-inbox-normalize-score-v2-prod" calls Bedrock with no reserved concurrency; set reservedConcurrentExecutions \(1 to 20\)/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer("prod", 5))), []);
        });

        it("reports a reservation of 0 (never runs), one above the per-function bound, and a stack total above the bound", async () => {
            const pack = await policiesFor("prod");
            assert.match(
                of(POLICY, await pack.analyzeStack(scorer("prod", 0)))[0]?.message ?? "",
                /has reserved concurrency 0, which stops every invocation/,
            );
            assert.match(
                of(POLICY, await pack.analyzeStack(scorer("prod", 21)))[0]?.message ?? "",
                /reserves 21 executions; at most 20 per function/,
            );
            const many = ["a", "b", "c", "d", "e", "f"].flatMap((c) => {
                const r = functionWithRole("prod", `scorer-${c}`, [BEDROCK_STATEMENT], { reservedConcurrentExecutions: 17 });
                return [r.fn, r.role, r.policy];
            });
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack(many)).map((v) =>
                    /reserve (\d+) executions together; at most (\d+)/.exec(v.message)?.slice(1),
                ),
                [["102", "100"]],
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(many.slice(3))), []);
        });

        it("takes its bounds from the pack's configuration", async () => {
            const pack = await packFor("prod");
            try {
                await pack.configure({ [POLICY]: { maxPerFunction: 4 } });
                assert.match(
                    of(POLICY, await pack.analyzeStack(scorer("prod", 5)))[0]?.message ?? "",
                    /reserves 5 executions; at most 4 per function/,
                );
            } finally {
                await pack.configure();
            }
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer("prod", 5))), []);
        });
    });

    describe("not applicable", () => {
        it("does not apply to dev and stage, which vectora-lambda-concurrency advises", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("stage")).analyzeStack(scorer("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("waits for a reservation unknown during preview instead of reporting it missing", async () => {
            const pack = await packFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer("prod", UNKNOWN as unknown as number))), []);
        });
    });
});
