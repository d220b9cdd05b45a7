import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket } from "../helpers/resources";

describe("vectora-logs-retention-set", () => {
    const POLICY = "vectora-logs-retention-set";
    const logGroup = (env: string, retentionInDays?: unknown) => ({
        type: "aws:cloudwatch/logGroup:LogGroup",
        name: "ingest-v2-logs",
        props: { name: `/aws/lambda/vectora-inbox-ingest-v2-${env}`, ...(retentionInDays === undefined ? {} : { retentionInDays }) },
    });

    describe("compliant", () => {
        it("passes a log group with a retention, of at least 90 days in prod", async () => {
            assert.deepStrictEqual(of(POLICY, await (await policiesFor("dev")).analyze(logGroup("dev", 14))), []);
            assert.deepStrictEqual(of(POLICY, await (await policiesFor("prod")).analyze(logGroup("prod", 90))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a log group kept forever (mandatory), and passes it with a retention", async () => {
            const pack = await policiesFor("dev");
            const bad = of(POLICY, await pack.analyze(logGroup("dev")));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /keeps logs forever; set retentionInDays/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(logGroup("dev", 14))), []);
        });

        it("reports a prod retention shorter than 90 days", async () => {
            const pack = await policiesFor("prod");
            assert.match(
                of(POLICY, await pack.analyze(logGroup("prod", 30)))[0]?.message ?? "",
                /keeps prod logs 30 days; keep them at least 90 days/,
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyze(logGroup("prod", 90))), []);
        });
    });

    describe("not applicable", () => {
        it("does not apply to other types", async () => {
            const pack = await packFor("dev");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("dev"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on an unknown retention", async () => {
            const pack = await packFor("dev");
            assert.match(of(POLICY, await pack.analyze(logGroup("dev", UNKNOWN)))[0]?.message ?? "", /during preview/);
        });
    });
});
