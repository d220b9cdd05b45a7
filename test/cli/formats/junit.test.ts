import * as assert from "assert";
import { Report } from "../../../cli/formats/findings";
import { toJunit } from "../../../cli/formats/junit";
import { REPO } from "../../helpers/fixtures";
import { JUNIT_XSD, SCHEMA_SHA256, junitSchemaErrors, readJunit, sha256Of } from "../../helpers/reportSchemas";

const FN = "urn:pulumi:stage::vectora-inbox::vectora:lambda:VectoraFunction$aws:lambda/function:Function::ingest-v2";
const BUCKET = "urn:pulumi:stage::vectora-inbox::vectora:storage:PrivateBucket$aws:s3/bucket:Bucket::config";
const HERE = { file: "program.ts", startLine: 1, startColumn: 1, endLine: 1, endColumn: 1, note: "here" };

function report(overrides: Partial<Report> = {}): Report {
    return {
        tool: { name: "vectora-inbox", version: "1.0.0" },
        command: "audit",
        project: "vectora-inbox",
        stack: "stage",
        root: REPO,
        rules: [
            {
                id: "vectora-lambda-env-contract",
                description: "Env contract.",
                level: "mandatory",
                severity: "high",
                tags: ["lambda"],
                remediationSteps: "Set ENV.",
                url: "RULES.md#vectora-lambda-env-contract",
            },
            { id: "vectora-aws-limits", description: "Limits.", level: "advisory", severity: "low", tags: ["limits"] },
            { id: "vectora-s3-tls-only", description: "TLS.", level: "mandatory", tags: ["s3"] },
            { id: "vectora-s3-prod-backup", description: "Backup.", level: "advisory", tags: ["s3"] },
            { id: "vectora-s3-lifecycle", description: "Lifecycle.", level: "disabled", tags: ["s3"] },
        ],
        findings: [
            {
                ruleId: "vectora-lambda-env-contract",
                level: "mandatory",
                message: 'ENV is "dev" <not> stage & more',
                urn: FN,
                location: HERE,
            },
            { ruleId: "vectora-lambda-env-contract", level: "mandatory", message: "DATA_BUCKET is dev's", urn: FN, location: HERE },
            { ruleId: "vectora-aws-limits", level: "advisory", message: "name too long", urn: FN, location: HERE },
            { ruleId: "vectora-s3-tls-only", level: "mandatory", message: "no TLS deny", urn: BUCKET, location: HERE },
        ],
        checks: [
            { ruleId: "vectora-lambda-env-contract", urn: FN, outcome: "failed" },
            { ruleId: "vectora-lambda-env-contract", urn: BUCKET, outcome: "notApplicable" },
            { ruleId: "vectora-aws-limits", urn: FN, outcome: "failed" },
            { ruleId: "vectora-aws-limits", urn: BUCKET, outcome: "passed" },
            { ruleId: "vectora-s3-tls-only", outcome: "failed" },
            { ruleId: "vectora-s3-prod-backup", outcome: "notApplicable" },
        ],
        ...overrides,
    };
}

describe("JUnit reports", () => {
    it("keep Jenkins' junit-10.xsd as test data, unchanged", () => {
        assert.strictEqual(sha256Of(JUNIT_XSD), SCHEMA_SHA256[JUNIT_XSD]);
    });

    it("are valid against junit-10.xsd, and a broken one is not", async () => {
        const xml = toJunit(report());
        assert.deepStrictEqual(await junitSchemaErrors(xml), []);
        const broken = xml.replace(/ name="vectora-aws-limits"/, "");
        assert.match((await junitSchemaErrors(broken)).join("\n"), /The attribute 'name' is required but missing/);
    });

    it("hold one case per policy and resource, a failure for a mandatory violation, an advisory one as output", () => {
        const read = readJunit(toJunit(report()));
        assert.deepStrictEqual([read.name, read.tests, read.failures], ["audit of vectora-inbox/stage (vectora-inbox 1.0.0)", 5, 2]);
        assert.deepStrictEqual(
            read.suites.map((s) => [s.name, s.tests, s.failures]),
            [
                ["vectora-lambda-env-contract", 1, 1],
                ["vectora-aws-limits", 2, 0],
                ["vectora-s3-tls-only", 1, 1],
                ["vectora-s3-prod-backup", 1, 0],
            ],
            "a disabled policy has no suite; a resource the policy does not apply to has no case",
        );
        const [env, limits, tls, backup] = read.suites;
        assert.deepStrictEqual(env.properties, { level: "mandatory", severity: "high", url: "RULES.md#vectora-lambda-env-contract" });
        assert.deepStrictEqual(env.cases, [
            {
                name: FN,
                classname: "vectora-lambda-env-contract",
                failureType: "mandatory",
                failure: 'ENV is "dev" <not> stage & more\n\nDATA_BUCKET is dev\'s\n\nHow to fix: Set ENV.',
            },
        ]);
        assert.deepStrictEqual(limits.cases, [
            { name: FN, classname: "vectora-aws-limits", out: "[advisory] name too long" },
            { name: BUCKET, classname: "vectora-aws-limits" },
        ]);
        // A stack policy runs once; the resources it names become its cases.
        assert.deepStrictEqual(
            tls.cases.map((c) => [c.name, c.failure]),
            [[BUCKET, "no TLS deny"]],
        );
        assert.deepStrictEqual(backup.cases, [
            { name: "stack vectora-inbox/stage", classname: "vectora-s3-prod-backup", skipped: "not applicable to this stack" },
        ]);
    });

    it("without checks (a run that cannot say what passed), still list every policy: its failures, or the stack as passed", () => {
        const read = readJunit(toJunit(report({ checks: undefined })));
        assert.deepStrictEqual(
            read.suites.map((s) => [s.name, s.cases.map((c) => c.name)]),
            [
                ["vectora-lambda-env-contract", [FN]],
                ["vectora-aws-limits", [FN]],
                ["vectora-s3-tls-only", [BUCKET]],
                ["vectora-s3-prod-backup", ["stack vectora-inbox/stage"]],
            ],
        );
    });

    it("escape quotes in a message that has nothing else to escape, in the failure's message attribute too", async () => {
        const findings = [
            {
                ruleId: "vectora-s3-tls-only",
                level: "mandatory" as const,
                message: 'bucket "config" allows http',
                urn: BUCKET,
                location: HERE,
            },
        ];
        const xml = toJunit(report({ findings }));
        assert.deepStrictEqual(await junitSchemaErrors(xml), []);
        assert.match(xml, /<failure type="mandatory" message="bucket &quot;config&quot; allows http">/);
    });

    it("carry a message with characters XML 1.0 cannot hold as a replacement character, still valid", async () => {
        const findings = [
            { ruleId: "vectora-s3-tls-only", level: "mandatory" as const, message: "bad \u0001 byte", urn: BUCKET, location: HERE },
        ];
        const xml = toJunit(report({ findings }));
        assert.deepStrictEqual(await junitSchemaErrors(xml), []);
        assert.strictEqual(readJunit(xml).suites[2].cases[0].failure, "bad \uFFFD byte");
    });
});
