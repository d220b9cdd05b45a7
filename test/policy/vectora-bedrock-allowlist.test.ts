import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { BEDROCK_STATEMENT, bucket, functionWithRole } from "../helpers/resources";

const POLICY = "vectora-bedrock-allowlist";
const SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const OPUS = "anthropic.claude-3-opus-20240229-v1:0";

/** A scorer configured for a model and region, whose role may invoke the given model ARNs. */
function scorer(model: string, region: string, arns: string[]) {
    const statement = { ...BEDROCK_STATEMENT, Resource: arns };
    const base = functionWithRole("stage", "normalize-score-v2", [statement]);
    const variables = {
        ...(base.fn.props.environment as { variables: Record<string, string> }).variables,
        BEDROCK_MODEL_ID: model,
        BEDROCK_REGION: region,
    };
    return [{ ...base.fn, props: { ...base.fn.props, environment: { variables } } }, base.role, base.policy];
}

const model = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a function configured for the allowed model whose role grants exactly that model", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer(SONNET, "us-east-1", [model("us-east-1", SONNET)]))), []);
        });

        it("accepts a cross-region inference profile of an allowed model, and a model added in the pack's configuration", async () => {
            const pack = await packFor("stage");
            const profile = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET}`;
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack(scorer(`us.${SONNET}`, "us-east-1", [profile, model("*", SONNET)]))),
                [],
            );
            try {
                await pack.configure({ [POLICY]: { models: [SONNET, OPUS] } });
                assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer(OPUS, "us-east-1", [model("us-east-1", OPUS)]))), []);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("non-compliant", () => {
        it("reports a model off the allowlist, in the variables and in the role, then passes the allowed one", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyzeStack(scorer(OPUS, "us-east-1", [model("us-east-1", OPUS)])));
            assert.deepStrictEqual(
                bad.map((v) => v.level),
                ["mandatory", "mandatory"],
            );
            assert.match(
                bad[0].message,
                /is configured for the Bedrock model anthropic\.claude-3-opus-20240229-v1:0, which is not on the allowlist/,
            );
            assert.match(bad[1].message, /its role may invoke anthropic\.claude-3-opus-20240229-v1:0, which is not on the allowlist/);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer(SONNET, "us-east-1", [model("us-east-1", SONNET)]))), []);
        });

        it("reports another region, a wildcard model and a role that grants more models than the function's", async () => {
            const pack = await policiesFor("stage");
            const region = of(POLICY, await pack.analyzeStack(scorer(SONNET, "eu-west-1", [model("eu-west-1", SONNET)])));
            assert.ok(region.some((v) => /calls Bedrock in eu-west-1; allowed: us-east-1/.test(v.message)));
            const wildcard = of(POLICY, await pack.analyzeStack(scorer(SONNET, "us-east-1", ["*"])));
            assert.ok(wildcard.some((v) => /its role may invoke Bedrock on \*; name the model's ARN instead/.test(v.message)));
            const both = of(
                POLICY,
                await pack.analyzeStack(scorer(SONNET, "us-east-1", [model("us-east-1", SONNET), model("us-east-1", OPUS)])),
            );
            assert.ok(both.some((v) => /another model than its own/.test(v.message)));
        });
    });

    describe("not applicable", () => {
        it("does not apply to a stack without functions", async () => {
            assert.ok(notApplicable(POLICY, await (await policiesFor("stage")).analyzeStack([bucket("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("leaves a model unknown during preview to the deploy, and still checks the role's grant", async () => {
            const pack = await packFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack(scorer(UNKNOWN, "us-east-1", [model("us-east-1", SONNET)]))), []);
            assert.strictEqual(of(POLICY, await pack.analyzeStack(scorer(UNKNOWN, "us-east-1", [model("us-east-1", OPUS)]))).length, 1);
        });
    });
});
