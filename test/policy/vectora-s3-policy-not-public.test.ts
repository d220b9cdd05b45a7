import * as assert from "assert";
import { notApplicable, of, packFor, policiesFor, UNKNOWN } from "../helpers/pack";
import { fn, tlsPolicyDocument } from "../helpers/resources";

const POLICY = "vectora-s3-policy-not-public";
const LOGS = "vectora-inbox-access-logs-prod";

function bucketPolicy(statements: unknown[], bucket = LOGS) {
    return {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        name: "access-logs-tls-only",
        props: { bucket, policy: tlsPolicyDocument(bucket, statements) },
    };
}

const DELIVERY = {
    Sid: "S3ServerAccessLogsDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `arn:aws:s3:::${LOGS}/*`,
    Condition: {
        ArnLike: { "aws:SourceArn": ["arn:aws:s3:::vectora-inbox-data-prod"] },
        StringEquals: { "aws:SourceAccount": "123456789012" },
    },
};

describe(POLICY, () => {
    describe("compliant", () => {
        it("passes the TLS-only policy and a service grant pinned to a source", async () => {
            const pack = await policiesFor("prod");
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucketPolicy([]))), []);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucketPolicy([DELIVERY]))), []);
        });

        it("accepts an account listed in allowedAccounts", async () => {
            const pack = await packFor("prod");
            const grant = bucketPolicy([{ Sid: "Partner", Effect: "Allow", Principal: { AWS: "999999999999" }, Action: "s3:GetObject" }]);
            assert.strictEqual(of(POLICY, await pack.analyze(grant)).length, 1);
            await pack.configure({ [POLICY]: { allowedAccounts: ["999999999999"] } });
            try {
                assert.deepStrictEqual(of(POLICY, await pack.analyze(grant)), []);
            } finally {
                await pack.configure();
            }
        });
    });

    describe("non-compliant", () => {
        it("reports a public-read grant, then passes once it is removed", async () => {
            const pack = await policiesFor("prod");
            const publicRead = {
                Sid: "PublicRead",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: `arn:aws:s3:::${LOGS}/*`,
            };
            const bad = of(POLICY, await pack.analyze(bucketPolicy([publicRead])));
            assert.strictEqual(bad.length, 1);
            assert.strictEqual(bad[0].level, "mandatory");
            assert.match(bad[0].message, /statement PublicRead allows any principal \("\*"\)/);
            assert.deepStrictEqual(of(POLICY, await pack.analyze(bucketPolicy([]))), []);
        });

        it("reports another account, NotPrincipal, and a service grant without a source condition", async () => {
            const pack = await policiesFor("prod");
            const messages = of(
                POLICY,
                await pack.analyze(
                    bucketPolicy([
                        { Sid: "Other", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "s3:GetObject" },
                        { Sid: "Not", Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject" },
                        { Sid: "Deputy", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" },
                    ]),
                ),
            ).map((v) => v.message);
            assert.strictEqual(messages.length, 3, messages.join("\n"));
            assert.match(messages[0], /statement Other allows the AWS principal arn:aws:iam::999999999999:root/);
            assert.match(messages[1], /statement Not allows with NotPrincipal/);
            assert.match(
                messages[2],
                /statement Deputy allows logging\.s3\.amazonaws\.com without an aws:SourceAccount or aws:SourceArn condition/,
            );
        });
    });

    describe("not applicable", () => {
        it("does not apply to other resources", async () => {
            const pack = await policiesFor("prod");
            assert.ok(notApplicable(POLICY, await pack.analyze(fn("prod"))));
        });
    });

    describe("unknown during preview", () => {
        it("cannot run on a policy unknown during preview and says so (advisory)", async () => {
            const pack = await packFor("prod");
            const result = of(POLICY, await pack.analyze({ ...bucketPolicy([]), props: { bucket: LOGS, policy: UNKNOWN } }));
            assert.strictEqual(result[0]?.level, "advisory");
            assert.match(result[0].message, /during preview/);
        });
    });
});
