import * as assert from "assert";
import { Report } from "../../../cli/formats/findings";
import { sarifLog, toSarif } from "../../../cli/formats/sarif";
import { REPO } from "../../helpers/fixtures";
import { Json } from "../../helpers/io";
import { SARIF_SCHEMA, SCHEMA_SHA256, sarifSchemaErrors, sha256Of } from "../../helpers/reportSchemas";

const GATE = "urn:pulumi:prod::vectora-inbox::vectora:promotion:PromotionGate::promotion-gate";
const BUCKET = "urn:pulumi:prod::vectora-inbox::vectora:storage:PrivateBucket$aws:s3/bucket:Bucket::config";
const VERSION_LINE = { file: "VERSION", startLine: 4, startColumn: 1, endLine: 4, endColumn: 21, note: "INGEST_VERSION in VERSION" };
const COMPONENT = { file: "components/privateBucket.ts", startLine: 61, startColumn: 1, endLine: 61, endColumn: 63, note: "PrivateBucket" };

/** A prod preview with a blocking promotion finding, a TLS finding twice on one bucket, and an advisory one on the stack. */
function report(overrides: Partial<Report> = {}): Report {
    return {
        tool: { name: "vectora-inbox", version: "1.0.0" },
        command: "preview",
        project: "vectora-inbox",
        stack: "prod",
        root: REPO,
        rules: [
            {
                id: "vectora-promotion-stage-first",
                description: "The prod stack deploys only what stage runs. More text.",
                level: "mandatory",
                severity: "critical",
                tags: ["governance", "promotion"],
                remediationSteps: "Promote to stage first.",
                url: "RULES.md#vectora-promotion-stage-first",
            },
            {
                id: "vectora-s3-tls-only",
                description: "Every bucket refuses plain HTTP.",
                level: "mandatory",
                severity: "medium",
                framework: { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference: "S3.5", specification: "SSL" },
                tags: ["s3", "security", "external/cdk-nag/AwsSolutions-S10"],
                remediationSteps: "Deny aws:SecureTransport false.",
                url: "RULES.md#vectora-s3-tls-only",
            },
            { id: "vectora-aws-limits", description: "Within AWS limits.", level: "advisory", severity: "low", tags: ["limits"] },
            { id: "vectora-s3-prod-backup", description: "Backed up.", level: "disabled", tags: ["s3"] },
        ],
        findings: [
            {
                ruleId: "vectora-promotion-stage-first",
                level: "mandatory",
                message: "prod would deploy ingest-v2 1.6.0 but stage runs ingest-v2 1.5.0",
                urn: GATE,
                location: VERSION_LINE,
            },
            { ruleId: "vectora-s3-tls-only", level: "mandatory", message: "no bucket policy", urn: BUCKET, location: COMPONENT },
            { ruleId: "vectora-s3-tls-only", level: "mandatory", message: "no TLS deny", urn: BUCKET, location: COMPONENT },
            { ruleId: "vectora-aws-limits", level: "advisory", message: "too long", location: COMPONENT },
        ],
        ...overrides,
    };
}

describe("SARIF reports", () => {
    it("keep the official SARIF 2.1.0 schema as test data, unchanged", () => {
        assert.strictEqual(sha256Of(SARIF_SCHEMA), SCHEMA_SHA256[SARIF_SCHEMA]);
    });

    it("are valid against the official SARIF 2.1.0 schema, and a broken one is not", () => {
        const log = JSON.parse(toSarif(report()));
        assert.deepStrictEqual(sarifSchemaErrors(log), []);
        log.runs[0].results[0].level = "fatal";
        delete log.runs[0].tool.driver.name;
        assert.ok(sarifSchemaErrors(log).length >= 2, "the validator must catch a bad level and a missing tool name");
    });

    it("describe one rule per policy with its metadata, GitHub's severities and its level as the default", () => {
        const rules: Json[] = sarifLog(report()).runs[0].tool.driver.rules;
        assert.deepStrictEqual(
            rules.map((r) => [r.id, r.name, r.defaultConfiguration.level, r.defaultConfiguration.enabled]),
            [
                ["vectora-promotion-stage-first", "VectoraPromotionStageFirst", "error", true],
                ["vectora-s3-tls-only", "VectoraS3TlsOnly", "error", true],
                ["vectora-aws-limits", "VectoraAwsLimits", "warning", true],
                ["vectora-s3-prod-backup", "VectoraS3ProdBackup", "none", false],
            ],
        );
        assert.strictEqual(rules[0].shortDescription.text, "The prod stack deploys only what stage runs.");
        // Security rules get security-severity (GitHub: 4.0 to 6.9 is medium), the others problem.severity.
        assert.deepStrictEqual(rules[1].properties, {
            tags: ["s3", "security", "external/cdk-nag/AwsSolutions-S10"],
            precision: "very-high",
            "security-severity": "5.5",
            severity: "medium",
            enforcementLevel: "mandatory",
            framework: { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference: "S3.5", specification: "SSL" },
        });
        assert.strictEqual(rules[0].properties["problem.severity"], "error");
        assert.strictEqual(rules[0].properties["security-severity"], undefined);
        assert.strictEqual(
            rules[1].help.text,
            "Every bucket refuses plain HTTP.\nHow to fix: Deny aws:SecureTransport false.\nSeverity: medium\nLevel: mandatory\n" +
                "Framework: AWS Foundational Security Best Practices 1.0.0: S3.5 (SSL)\nCorresponds to: cdk-nag/AwsSolutions-S10\n" +
                "Rule: RULES.md#vectora-s3-tls-only",
        );
    });

    it("give each violation its rule, level and the repository line where its fix belongs", () => {
        const results: Json[] = sarifLog(report()).runs[0].results;
        assert.deepStrictEqual(
            results.map((r) => [r.ruleId, r.ruleIndex, r.level]),
            [
                ["vectora-promotion-stage-first", 0, "error"],
                ["vectora-s3-tls-only", 1, "error"],
                ["vectora-s3-tls-only", 1, "error"],
                ["vectora-aws-limits", 2, "warning"],
            ],
        );
        assert.deepStrictEqual(results[0].locations[0], {
            physicalLocation: {
                artifactLocation: { uri: "VERSION", uriBaseId: "%SRCROOT%" },
                region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 21 },
            },
            message: { text: "INGEST_VERSION in VERSION" },
            logicalLocations: [{ fullyQualifiedName: GATE, kind: "resource" }],
        });
        assert.strictEqual(sarifLog(report()).runs[0].automationDetails.id, "vectora-inbox/preview/prod/");
    });

    it("fingerprint a violation by policy and resource: the same across reworded messages, :2 for a second one", () => {
        const prints = (r: Report) => sarifLog(r).runs[0].results.map((x: Json) => x.partialFingerprints.primaryLocationLineHash);
        // sha256("vectora-promotion-stage-first\0<gate urn>") and sha256("vectora-aws-limits\0stack vectora-inbox/prod"), 16 hex.
        const first = prints(report());
        assert.strictEqual(first[0], "845fc4cb8a477aec:1");
        assert.strictEqual(first[3], "62a9a9ff1434062b:1");
        assert.strictEqual(first[2], `${first[1].slice(0, 16)}:2`);
        const reworded = report();
        const findings = reworded.findings.map((f) => ({ ...f, message: `${f.message}, said otherwise`, location: COMPONENT }));
        assert.deepStrictEqual(prints({ ...reworded, findings }), first);
        const moved = findings.map((f, i) => (i === 0 ? { ...f, urn: `${GATE}-2` } : f));
        assert.notStrictEqual(prints({ ...reworded, findings: moved })[0], first[0]);
        const results = sarifLog(report()).runs[0].results;
        assert.strictEqual(results[0].partialFingerprints["vectoraRuleResource/v1"], "845fc4cb8a477aec:1");
    });

    it("link each rule to its RULES.md row on GitHub when the report knows the repository, and stay valid without", () => {
        const base = "https://github.com/acme/vectora-inbox-infra/blob/0123abc/policy/";
        const rules: Json[] = sarifLog(report({ helpBase: base })).runs[0].tool.driver.rules;
        assert.strictEqual(
            rules[1].helpUri,
            "https://github.com/acme/vectora-inbox-infra/blob/0123abc/policy/RULES.md#vectora-s3-tls-only",
        );
        assert.strictEqual(rules[2].helpUri, undefined, "no url, no helpUri");
        assert.strictEqual(sarifLog(report()).runs[0].tool.driver.rules[1].helpUri, undefined, "a relative url is no URI");
        assert.deepStrictEqual(sarifSchemaErrors(sarifLog(report({ helpBase: base }))), []);
    });

    it("give a finding of a policy the pack did not describe a rule of its own", () => {
        const log = sarifLog(report({ rules: [] }));
        assert.deepStrictEqual(
            log.runs[0].tool.driver.rules.map((r: Json) => r.id),
            ["vectora-promotion-stage-first", "vectora-s3-tls-only", "vectora-aws-limits"],
        );
        assert.deepStrictEqual(sarifSchemaErrors(log), []);
    });
});
