import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { bucket, rolePolicy } from "../helpers/resources";

const POLICY = "vectora-iam-least-privilege";
const OWN = { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::vectora-inbox-data-stage/*"] };

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes named actions on this environment's resources", async () => {
            const pack = await policiesFor("stage");
            const statements = [
                OWN,
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: "arn:aws:logs:eu-west-3:1:log-group:/aws/lambda/vectora-inbox-ingest-v2-stage:*",
                },
                { Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:eu-west-3:1:parameter/rag-lai/stage/pubmed/*" },
                {
                    Effect: "Allow",
                    Action: "bedrock:InvokeModel",
                    Resource: "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
                },
                { Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" },
            ];
            assert.deepStrictEqual(of(POLICY, await pack.analyze(rolePolicy("stage", statements))), []);
        });
    });

    describe("non-compliant", () => {
        it("reports a wildcard action and a wildcard resource, then passes the narrowed statement", async () => {
            const pack = await policiesFor("stage");
            const bad = of(POLICY, await pack.analyze(rolePolicy("stage", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }])));
            assert.strictEqual(bad.length, 2);
            assert.ok(bad.every((v) => v.level === "mandatory"));
            assert.match(bad[0].message, /allows the wildcard action "s3:\*"/);
            assert.match(bad[1].message, /allows s3:\* on Resource "\*"; name this environment's resources \(only xray:PutTraceSegments, /);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(rolePolicy("stage", [OWN]))), []);
        });

        it("reports grants on another environment, unscoped ARN wildcards, NotAction and '*' principals", async () => {
            const pack = await policiesFor("stage");
            const messages = (
                await pack.analyze(
                    rolePolicy("stage", [
                        { Sid: "Other", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::vectora-inbox-data-prod/*" },
                        { Sid: "AllBuckets", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::vectora-inbox-*/*" },
                        { Sid: "Not", Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::vectora-inbox-data-stage" },
                        { Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
                    ]),
                )
            ).violations
                .filter((v) => v.policy === POLICY)
                .map((v) => v.message);
            assert.ok(
                messages.some((m) => /statement Other grants access to vectora-inbox-data-prod, a prod resource/.test(m)),
                messages.join("\n"),
            );
            assert.ok(
                messages.some((m) =>
                    /statement AllBuckets uses the wildcard resource arn:aws:s3:::vectora-inbox-\*\/\*, which is not scoped to stage/.test(
                        m,
                    ),
                ),
                messages.join("\n"),
            );
            assert.ok(
                messages.some((m) => /statement Not allows with NotAction\/NotResource/.test(m)),
                messages.join("\n"),
            );
            assert.ok(
                messages.some((m) => /statement Anyone lets any principal/.test(m)),
                messages.join("\n"),
            );
        });

        it("reports a broad AWS managed policy attached to a role", async () => {
            const pack = await policiesFor("stage");
            const bad = of(
                POLICY,
                await pack.analyze({
                    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    name: "admin",
                    props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
                }),
            );
            assert.match(bad[0]?.message ?? "", /attaches arn:aws:iam::aws:policy\/AdministratorAccess/);
        });

        it("takes the actions allowed on '*' from the policy config", async () => {
            const pack = await packFor("stage");
            const stmt = [{ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" }];
            assert.deepStrictEqual(of(POLICY, await pack.analyze(rolePolicy("stage", stmt))), []);
            await pack.configure({ [POLICY]: { wildcardResourceActions: ["xray:PutTraceSegments"] } });
            try {
                assert.strictEqual(of(POLICY, await pack.analyze(rolePolicy("stage", stmt))).length, 1);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await policiesFor("stage");
            assert.ok(notApplicable(POLICY, await pack.analyze(bucket("stage"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a policy document unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("stage");
            const unknownDoc = {
                ...rolePolicy("stage", [OWN]),
                props: { name: "vectora-inbox-ingest-v2-access-stage", role: "r", policy: UNKNOWN },
            };
            const result = of(POLICY, await pack.analyze(unknownDoc));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
