import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { fn } from "../helpers/resources";
import type { TestResource } from "../helpers/pack";

const POLICY = "vectora-lambda-async-failure-handling";
const FN_ARN = "arn:aws:lambda:eu-west-3:123456789012:function:vectora-inbox-ingest-v2-stage";

/** The function with the ARN AWS gives it, triggered every morning by an EventBridge rule. */
function scheduled(): TestResource[] {
    const f = fn("stage");
    return [
        { ...f, props: { ...f.props, arn: FN_ARN } },
        {
            type: "aws:lambda/permission:Permission",
            name: "ingest-v2-from-events",
            props: {
                function: "vectora-inbox-ingest-v2-stage",
                action: "lambda:InvokeFunction",
                principal: "events.amazonaws.com",
                sourceArn: "arn:aws:events:eu-west-3:123456789012:rule/vectora-inbox-daily-stage",
            },
        },
    ];
}

function invokeConfig(props: Record<string, unknown>): TestResource {
    return {
        type: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        name: "ingest-v2-async",
        props: { functionName: "vectora-inbox-ingest-v2-stage", ...props },
    };
}

const ON_FAILURE = { onFailure: { destination: "arn:aws:sqs:eu-west-3:123456789012:vectora-inbox-failed-stage" } };

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a triggered function whose failed events go to a destination, with few retries and a short event age", async () => {
            const pack = await policiesFor("stage");
            const handled = invokeConfig({ destinationConfig: ON_FAILURE, maximumRetryAttempts: 1, maximumEventAgeInSeconds: 3600 });
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([...scheduled(), handled])), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a triggered function that keeps Lambda's defaults and loses failed events, then passes it handled", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyzeStack(scheduled()));
            assert.deepStrictEqual(
                bad.map((v) => v.level),
                ["mandatory", "mandatory"],
            );
            assert.match(
                bad[0].message,
                /function "vectora-inbox-ingest-v2-stage" \(invoked by Permission "ingest-v2-from-events"\) has no on-failure destination or dead-letter queue/,
            );
            assert.match(bad[1].message, /keeps Lambda's defaults \(2 retries, events kept 6 hours\)/);
            const handled = invokeConfig({ destinationConfig: ON_FAILURE, maximumRetryAttempts: 1, maximumEventAgeInSeconds: 3600 });
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([...scheduled(), handled])), []);
        });

        it("accepts a dead-letter queue instead of a destination, and reports retries and event age past the bounds", async () => {
            const pack = await policiesFor("stage");
            const [f, permission] = scheduled();
            const withDlq = {
                ...f,
                props: { ...f.props, deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-3:123456789012:dlq-stage" } },
            };
            const loose = invokeConfig({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600 });
            assert.deepStrictEqual(
                of(POLICY, await pack.analyzeStack([withDlq, permission, loose])).map((v) => v.message.split(": ").pop()),
                ["maximumRetryAttempts is 2; set 0 or 1.", "maximumEventAgeInSeconds is 21600; set at most 3600."],
            );
            assert.deepStrictEqual(
                of(
                    POLICY,
                    await pack.analyzeStack([
                        withDlq,
                        permission,
                        invokeConfig({ maximumRetryAttempts: 0, maximumEventAgeInSeconds: 600 }),
                    ]),
                ),
                [],
            );
        });

        it("takes the longest event age from the pack's configuration", async () => {
            const pack = await packFor("stage");
            const config = invokeConfig({ destinationConfig: ON_FAILURE, maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600 });
            try {
                await pack.configure({ [POLICY]: { maxEventAgeSeconds: 600 } });
                assert.match(
                    of(POLICY, await pack.analyzeStack([...scheduled(), config]))[0]?.message ?? "",
                    /maximumEventAgeInSeconds is 3600; set at most 600/,
                );
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to functions nothing invokes asynchronously (the program's today)", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyzeStack([fn("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("finds the function through property dependencies and waits for a destination unknown during preview", async () => {
            const pack = await packFor("stage");
            const [f, permission] = scheduled();
            const fresh = { ...f, props: { ...f.props, arn: UNKNOWN } };
            const byDependency = {
                ...permission,
                props: { ...permission.props, function: UNKNOWN },
                propertyDependencies: { function: [fresh] },
            };
            const pending = {
                ...invokeConfig({
                    functionName: UNKNOWN,
                    destinationConfig: UNKNOWN,
                    maximumRetryAttempts: 0,
                    maximumEventAgeInSeconds: 600,
                }),
                propertyDependencies: { functionName: [fresh] },
            };
            assert.strictEqual(of(POLICY, await pack.analyzeStack([fresh, byDependency])).length, 2);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([fresh, byDependency, pending])), []);
        });
    });
});
