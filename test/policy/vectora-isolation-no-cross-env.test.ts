import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { fn, rolePolicy } from "../helpers/resources";

const POLICY = "vectora-isolation-no-cross-env";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a function that only names stage resources", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a stage function on a dev layer (the incident), and passes it on the stage layer", async () => {
            const pack = await policiesFor("stage");
            const onDev = fn("stage", "ingest-v2", {
                layers: [
                    "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-vectora-core-approche-b-dev:4",
                    "arn:aws:lambda:eu-west-3:123456789012:layer:vectora-inbox-common-deps-stage:3",
                ],
            });
            const bad = of(POLICY, await pack.analyze(onDev));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(bad[0].message, /refers to vectora-inbox-vectora-core-approche-b-dev \(a dev resource\) in layers\[0\]/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(fn("stage"))), []);
        });

        it("reports a bucket, a parameter path and an ARN of another environment, wherever they are", async () => {
            const pack = await policiesFor("prod");
            const vars = (fn("prod").props.environment as { variables: Record<string, string> }).variables;
            const bad = of(
                POLICY,
                await pack.analyze(
                    fn("prod", "ingest-v2", {
                        environment: {
                            variables: {
                                ...vars,
                                DATA_BUCKET: "vectora-inbox-data-stage",
                                PUBMED_API_KEY_PARAM: "/rag-lai/dev/pubmed/api-key",
                            },
                        },
                    }),
                ),
            );
            assert.deepStrictEqual(
                bad.map((v) => /refers to (\S+)/.exec(v.message)?.[1]),
                ["vectora-inbox-data-stage", "/rag-lai/dev/"],
            );
            const grant = of(
                POLICY,
                await pack.analyze(
                    rolePolicy("prod", [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::vectora-inbox-config-dev/*" }]),
                ),
            );
            assert.match(grant[0]?.message ?? "", /vectora-inbox-config-dev \(a dev resource\) in policy/);
        });
    });

    describe("not applicable", () => {
        it("does not apply to Pulumi's own resources", async () => {
            const pack = await policiesFor("prod");
            assert.ok(
                notApplicable(
                    POLICY,
                    await pack.analyze({
                        type: "pulumi:pulumi:StackReference",
                        name: "stage",
                        props: { name: "organization/vectora-inbox/stage" },
                    }),
                ),
            );
        });
    });

    describe("unknown during preview", () => {
        it("skips values unknown during preview and checks the known ones", async () => {
            const pack = await packFor("stage");
            const partly = fn("stage", "ingest-v2", {
                layers: [UNKNOWN, "arn:aws:lambda:eu-west-3:1:layer:vectora-inbox-common-deps-dev:1"],
            });
            const bad = of(POLICY, await pack.analyze(partly));
            assert.deepStrictEqual(
                bad.map((v) => v.level),
                ["mandatory"],
            );
            assert.match(bad[0].message, /vectora-inbox-common-deps-dev/);
        });
    });
});
