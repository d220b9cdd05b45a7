import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, fn, functionWithRole, role } from "../helpers/resources";

const POLICY = "vectora-iam-function-roles";
const OWN = [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::vectora-inbox-data-stage/*" }];

function attachment(target: ReturnType<typeof role>, policyArn: string) {
    return {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: `${target.name}-${policyArn.split("/").pop()}`,
        props: { role: target.props.name, policyArn },
        propertyDependencies: { role: [target] },
    };
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes each function with its own Lambda-only role", async () => {
            const pack = await policiesFor("stage");
            const a = functionWithRole("stage", "ingest-v2", OWN);
            const b = functionWithRole("stage", "newsletter-v2", OWN);
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([a.fn, a.role, a.policy, b.fn, b.role, b.policy])), []);
        });
    });

    describe("non-compliant", () => {
        it("reports AWS managed policies on a function role, then passes once they are detached", async () => {
            const pack = await policiesFor("stage");
            const { fn: f, role: r, policy } = functionWithRole("stage", "ingest-v2", OWN);
            const managed = [
                attachment(r, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
                attachment(r, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            ];
            const bad = of(POLICY, await pack.analyzeStack([f, r, policy, ...managed]));
            assert.deepStrictEqual(
                bad.map((v) => [v.level, /has the AWS managed policy (\S+);/.exec(v.message)?.[1]]),
                [
                    ["mandatory", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                    ["mandatory", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
                ],
            );
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([f, r, policy])), []);
        });

        it("reports a role trusted by something other than Lambda, and a role shared by two functions", async () => {
            const pack = await policiesFor("stage");
            const { fn: f, role: r, policy } = functionWithRole("stage", "ingest-v2", OWN);
            const trust = JSON.stringify({
                Statement: [
                    { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" },
                ],
            });
            const wide = { ...r, props: { ...r.props, assumeRolePolicy: trust } };
            const trusted = of(POLICY, await pack.analyzeStack([{ ...f, propertyDependencies: { role: [wide] } }, wide, policy]));
            assert.match(
                trusted[0]?.message ?? "",
                /its trust policy's statement 0 lets ec2\.amazonaws\.com assume it; only lambda\.amazonaws\.com may/,
            );
            const second = { ...fn("stage", "newsletter-v2", { role: r.props.arn }), propertyDependencies: { role: [r] } };
            const shared = of(POLICY, await pack.analyzeStack([f, second, r, policy]));
            assert.match(
                shared[0]?.message ?? "",
                /role "vectora-inbox-ingest-v2-role-stage" is shared by function "vectora-inbox-ingest-v2-stage" and function "vectora-inbox-newsletter-v2-stage"/,
            );
        });

        it("reports a function whose role the stack does not declare", async () => {
            const pack = await policiesFor("stage");
            const stray = fn("stage", "ingest-v2", { role: "arn:aws:iam::123456789012:role/hand-made" });
            assert.match(
                of(POLICY, await pack.analyzeStack([stray]))[0]?.message ?? "",
                /runs with a role this stack does not declare \(arn:aws:iam::123456789012:role\/hand-made\)/,
            );
        });
    });

    describe("not applicable", () => {
        it("does not apply to a stack without functions", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyzeStack([bucket("stage"), role("stage")])));
        });
    });

    describe("unknown during preview", () => {
        it("finds the role through the engine's property dependencies when its ARN is unknown during preview", async () => {
            const pack = await packFor("stage");
            const { fn: f, role: r, policy } = functionWithRole("stage", "ingest-v2", OWN, { role: UNKNOWN });
            const unknownArn = { ...r, props: { ...r.props, arn: UNKNOWN } };
            const withDeps = { ...f, propertyDependencies: { role: [unknownArn] } };
            assert.deepStrictEqual(of(POLICY, await pack.analyzeStack([withDeps, unknownArn, policy])), []);
            const managed = attachment(unknownArn, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
            assert.strictEqual(of(POLICY, await pack.analyzeStack([withDeps, unknownArn, policy, managed])).length, 1);
        });
    });
});
