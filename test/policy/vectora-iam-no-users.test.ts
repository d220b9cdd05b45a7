import * as assert from "assert";
import { notApplicable, of, policiesFor } from "../helpers/pack";
import type { TestResource } from "../helpers/pack";
import { bucket } from "../helpers/resources";

const POLICY = "vectora-iam-no-users";

/** The held-out change, written as a person would add it to a stack: a user and its long-lived access key. */
const USER: TestResource = { type: "aws:iam/user:User", name: "ci-deployer", props: { name: "vectora-inbox-ci-deployer-stage" } };
const ACCESS_KEY: TestResource = {
    type: "aws:iam/accessKey:AccessKey",
    name: "ci-deployer-key",
    props: { user: "vectora-inbox-ci-deployer-stage" },
};

function role(env: string): TestResource {
    return {
        type: "aws:iam/role:Role",
        name: "ingest-v2-role",
        props: {
            name: `vectora-inbox-ingest-v2-role-${env}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
    };
}

function attachment(props: Record<string, unknown>): TestResource {
    return {
        type: "aws:iam/policyAttachment:PolicyAttachment",
        name: "readers",
        props: { policyArn: "arn:aws:iam::123456789012:policy/x", ...props },
    };
}

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes a function role, and a policy attached to roles only", async () => {
            const pack = await policiesFor("stage");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(role("stage"))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(attachment({ roles: ["vectora-inbox-ingest-v2-role-stage"] }))), []);
        });
    });

    describe("non-compliant", () => {
        it("blocks an IAM user and its access key in any stack (mandatory), naming each", async () => {
            for (const stack of ["dev", "stage", "prod"]) {
                const pack = await policiesFor(stack);
                const user = of(POLICY, await pack.analyze(USER));
                assert.strictEqual(user.length, 1, stack);
                assert.strictEqual(user[0].level, "mandatory");
                assert.match(
                    user[0].message,
                    /^ci-deployer \(aws:iam\/user:User\) is an IAM user; no stack creates IAM users or long-lived credentials/,
                );
                const key = of(POLICY, await pack.analyze(ACCESS_KEY));
                assert.match(
                    key[0]?.message ?? "",
                    /^ci-deployer-key \(aws:iam\/accessKey:AccessKey\) is an access key \(a long-lived credential\)/,
                );
            }
        });

        it("blocks a password, a user policy and a policy attached to users; passes the attachment once it names roles only", async () => {
            const pack = await policiesFor("prod");
            for (const type of [
                "aws:iam/userLoginProfile:UserLoginProfile",
                "aws:iam/userPolicy:UserPolicy",
                "aws:iam/userGroupMembership:UserGroupMembership",
            ]) {
                assert.strictEqual(of(POLICY, await pack.analyze({ type, name: "x", props: { user: "someone" } })).length, 1, type);
            }
            const toUsers = of(
                POLICY,
                await pack.analyze(attachment({ users: ["someone"], roles: ["vectora-inbox-ingest-v2-role-prod"] })),
            );
            assert.match(toUsers[0]?.message ?? "", /^readers attaches a policy to IAM users \(1\); attach it to the roles that need it/);
            assert.deepStrictEqual(
                of(POLICY, await pack.analyze(attachment({ users: [], roles: ["vectora-inbox-ingest-v2-role-prod"] }))),
                [],
            );
        });
    });

    describe("not applicable", () => {
        it("does not apply to roles, buckets or other types", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(role("stage"))));
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });
});
