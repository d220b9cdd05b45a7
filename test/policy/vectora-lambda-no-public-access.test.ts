import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket } from "../helpers/resources";

const POLICY = "vectora-lambda-no-public-access";

const url = (authorizationType: string) => ({
    type: "aws:lambda/functionUrl:FunctionUrl",
    name: "newsletter-url",
    props: { functionName: "vectora-inbox-newsletter-v2-prod", authorizationType },
});
const permission = (props: Record<string, unknown>) => ({
    type: "aws:lambda/permission:Permission",
    name: "ingest-schedule",
    props: { action: "lambda:InvokeFunction", function: "vectora-inbox-ingest-v2-prod", ...props },
});
const layerPermission = (props: Record<string, unknown>) => ({
    type: "aws:lambda/layerVersionPermission:LayerVersionPermission",
    name: "share",
    props: { layerName: "vectora-inbox-vectora-core-prod", versionNumber: 3, action: "lambda:GetLayerVersion", ...props },
});
const RULE = "arn:aws:events:eu-west-3:123456789012:rule/vectora-inbox-daily-ingest-prod";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a function URL with AWS_IAM, and a permission for EventBridge from one prod rule", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(url("AWS_IAM"))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(permission({ principal: "events.amazonaws.com", sourceArn: RULE }))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a function URL without authentication, then passes it with AWS_IAM", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(url("NONE")));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /lets anyone on the internet invoke the function \(authorizationType NONE\)/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(url("AWS_IAM"))), []);
        });

        it("reports a permission for '*', then passes it for EventBridge from one prod rule", async () => {
            const pack = await policiesFor("prod");
            const bad = of(POLICY, await pack.analyze(permission({ principal: "*" })));
            assert.match(
                bad[0]?.message ?? "",
                /grants invocation to "\*"; only events\.amazonaws\.com, s3\.amazonaws\.com, sns\.amazonaws\.com/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(permission({ principal: "events.amazonaws.com", sourceArn: RULE }))), []);
        });

        it("reports a permission with no, a wildcard or another environment's source, and S3 without sourceAccount", async () => {
            const pack = await policiesFor("prod");
            const messages = async (props: Record<string, unknown>) =>
                of(POLICY, await pack.analyze(permission(props))).map((v) => v.message);
            assert.match((await messages({ principal: "events.amazonaws.com" }))[0], /has no sourceArn/);
            assert.match(
                (await messages({ principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-3:123456789012:rule/*" }))[0],
                /has the wildcard sourceArn/,
            );
            assert.match(
                (await messages({ principal: "events.amazonaws.com", sourceArn: RULE.replace(/prod$/, "stage") }))[0],
                /which is not a prod resource of vectora-inbox/,
            );
            assert.match(
                (await messages({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::vectora-inbox-data-prod" }))[0],
                /without sourceAccount/,
            );
            assert.deepStrictEqual(
                await messages({
                    principal: "s3.amazonaws.com",
                    sourceArn: "arn:aws:s3:::vectora-inbox-data-prod",
                    sourceAccount: "123456789012",
                }),
                [],
            );
            assert.match((await messages({ principal: "123456789012" }))[0], /grants invocation to "123456789012"/);
        });

        it("reports a layer shared with '*' or an organization, and accepts an account listed in allowedAccounts", async () => {
            const pack = await packFor("prod");
            assert.match(
                of(POLICY, await pack.analyze(layerPermission({ principal: "*" })))[0]?.message ?? "",
                /shares the layer with "\*"/,
            );
            assert.match(
                of(POLICY, await pack.analyze(layerPermission({ principal: "*", organizationId: "o-abc123" })))[0]?.message ?? "",
                /shares the layer with the whole organization o-abc123/,
            );
            const partner = layerPermission({ principal: "999999999999" });
            assert.strictEqual(of(POLICY, await pack.analyze(partner)).length, 1);
            await pack.configure({ [POLICY]: { allowedAccounts: ["999999999999"] } });
            try {
                assert.deepStrictEqual(of(POLICY, await pack.analyze(partner)), []);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await policiesFor("prod");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("prod"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a source ARN unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("prod");
            const result = of(POLICY, await pack.analyze(permission({ principal: "events.amazonaws.com", sourceArn: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
