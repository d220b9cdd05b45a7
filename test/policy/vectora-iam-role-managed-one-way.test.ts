import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, role } from "../helpers/resources";

const POLICY = "vectora-iam-role-managed-one-way";

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a role that lists no managed policy itself", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(role("stage"))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a role that lists managed policies itself, then passes it without them", async () => {
            const pack = await policiesFor("stage");
            const listed = role("stage", "ingest-v2", { managedPolicyArns: ["arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"] });
            const bad = of(POLICY, await pack.analyze(listed));
            assert.strictEqual(bad[0]?.level, "mandatory");
            assert.match(bad[0].message, /role "ingest-v2-role" sets managedPolicyArns; declare its policies as aws\.iam\.RolePolicy/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(role("stage"))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(role("stage", "ingest-v2", { managedPolicyArns: [] }))), []);
        });

        it("reports inline policies on the role", async () => {
            const pack = await policiesFor("stage");
            const inline = role("stage", "ingest-v2", { inlinePolicies: [{ name: "x", policy: "{}" }] });
            assert.match(of(POLICY, await pack.analyze(inline))[0]?.message ?? "", /sets inlinePolicies/);
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await packFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a list unknown during preview", async () => {
            const pack = await packFor("stage");
            const result = of(POLICY, await pack.analyze(role("stage", "ingest-v2", { managedPolicyArns: UNKNOWN })));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
