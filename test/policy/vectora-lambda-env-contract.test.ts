import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn } from "../helpers/resources";

const POLICY = "vectora-lambda-env-contract";

function withVars(env: string, change: (vars: Record<string, string>) => void) {
    const base = fn(env);
    const vars = { ...(base.props.environment as { variables: Record<string, string> }).variables };
    change(vars);
    return fn(env, "ingest-v2", { environment: { variables: vars } });
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes the standard variables of the environment", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("prod"))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports ENV that is not the stack, then passes it fixed", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(withVars("prod", (v) => (v.ENV = "stage"))));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(bad[0].message, /has ENV="stage"; in the prod stack it must be prod/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(withVars("prod", (v) => (v.ENV = "prod")))), []);
        });

        it("reports a missing standard variable and a bucket of another environment", async () => {
            const pack = await policiesFor("stage");
            const missing = of(POLICY, await pack.analyze(withVars("stage", (v) => delete v.CONFIG_BUCKET)));
            assert.match(missing[0]?.message ?? "", /has no CONFIG_BUCKET variable; set CONFIG_BUCKET=vectora-inbox-config-stage/);
            const other = of(
                POLICY,
                await pack.analyze(withVars("stage", (v) => (v.NEWSLETTERS_BUCKET = "vectora-inbox-newsletters-prod"))),
            );
            assert.match(
                other[0]?.message ?? "",
                /has NEWSLETTERS_BUCKET="vectora-inbox-newsletters-prod"; in the stage stack it must be vectora-inbox-newsletters-stage/,
            );
            const param = of(
                POLICY,
                await pack.analyze(withVars("stage", (v) => (v.PUBMED_API_KEY_PARAM = "/rag-lai/prod/pubmed/api-key"))),
            );
            assert.match(param[0]?.message ?? "", /PUBMED_API_KEY_PARAM/);
        });

        it("reports DEBUG logging outside dev, and passes INFO", async () => {
            const pack = await policiesFor("stage");
            const debug = of(POLICY, await pack.analyze(withVars("stage", (v) => (v.LOG_LEVEL = "DEBUG"))));
            assert.strictEqual(debug.length, 1);
            assert.match(debug[0].message, /logs at DEBUG in the stage stack; DEBUG logs hold payloads and prompts and are for dev only/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(withVars("stage", (v) => (v.LOG_LEVEL = "INFO")))), []);
            assert.deepStrictEqual(of(POLICY, await (await policiesFor("dev")).analyze(fn("dev"))), []);
        });

        it("reports values that look like secrets, and a secret-named variable holding a value", async () => {
            const pack = await policiesFor("stage");
            const key = of(POLICY, await pack.analyze(withVars("stage", (v) => (v.AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"))));
            assert.match(
                key[0]?.message ?? "",
                /variable AWS_ACCESS_KEY_ID holds what looks like an AWS access key id; store the secret in SSM/,
            );
            const token = of(POLICY, await pack.analyze(withVars("stage", (v) => (v.PUBMED_API_KEY = "0123456789abcdef0123"))));
            assert.match(
                token[0]?.message ?? "",
                /variable PUBMED_API_KEY is named like a secret but holds a value, not an SSM parameter name/,
            );
            const reference = of(POLICY, await pack.analyze(withVars("stage", (v) => (v.SLACK_TOKEN = "/rag-lai/stage/slack/token"))));
            assert.deepStrictEqual(reference, []);
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on an environment unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            const result = of(POLICY, await pack.analyze(fn("stage", "ingest-v2", { environment: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
