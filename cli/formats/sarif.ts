import { pathToFileURL } from "url";
import type { EnforcementLevel, Severity } from "../../pulumi/analyzerClient";
import { Report, ReportRule, blocks, fingerprints } from "./findings";

/**
 * A report as SARIF 2.1.0 (OASIS, errata 01), shaped for GitHub code scanning
 * (docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning): one
 * reportingDescriptor per rule with its metadata, one result per finding with its level, a stable fingerprint and
 * the repository line where the fix belongs. Validated against the official schema by test/cli/formats/sarif.test.ts.
 */

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/**
 * GitHub reads `security-severity` (0.1 to 10.0) for rules tagged `security`: over 9.0 is critical, 7.0 to 8.9
 * high, 4.0 to 6.9 medium, 0.1 to 3.9 low (the support page above, reportingDescriptor object).
 */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0" };
/** For the other rules GitHub reads `problem.severity`: error, warning or recommendation. */
const PROBLEM_SEVERITY: Readonly<Record<Severity, string>> = { critical: "error", high: "error", medium: "warning", low: "recommendation" };

/** SARIF levels (§3.27.10): a blocking violation is an error, an advisory one a warning. */
function sarifLevel(level: EnforcementLevel): "error" | "warning" | "none" {
    return blocks(level) ? "error" : level === "advisory" ? "warning" : "none";
}

/** `vectora-s3-tls-only` -> `VectoraS3TlsOnly`: SARIF's `name` is an identifier a person reads (§3.49.7). */
function pascalCase(id: string): string {
    return id.replace(/(^|[-_/.])([a-z0-9])/g, (_, _sep: string, c: string) => c.toUpperCase());
}

/** The first sentence: GitHub shows shortDescription beside each result (1024 characters at most). */
function firstSentence(text: string): string {
    const end = text.search(/[.:](\s|$)/);
    return (end > 0 ? text.slice(0, end + 1) : text).slice(0, 1024);
}

/** A rule's url made absolute, when it is relative and the report knows where the repository's files are served. */
function helpUri(rule: ReportRule, base: string | undefined): string | undefined {
    if (!rule.url) {
        return undefined;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(rule.url)) {
        return rule.url;
    }
    return base ? new URL(rule.url, base).toString() : undefined;
}

function frameworkLine(rule: ReportRule): string | undefined {
    const f = rule.framework;
    return f ? `${f.name} ${f.version}: ${f.reference} (${f.specification})` : undefined;
}

function help(rule: ReportRule, base: string | undefined): { text: string; markdown: string } {
    const framework = frameworkLine(rule);
    const anchors = rule.tags.filter((t) => t.startsWith("external/")).map((t) => t.slice("external/".length));
    const link = helpUri(rule, base) ?? rule.url;
    const lines: Array<[string, string | undefined]> = [
        ["How to fix", rule.remediationSteps],
        ["Severity", rule.severity],
        ["Level", rule.level],
        ["Framework", framework],
        ["Corresponds to", anchors.length > 0 ? anchors.join(", ") : undefined],
        ["Rule", link],
    ];
    const shown = lines.filter((l): l is [string, string] => l[1] !== undefined);
    return {
        text: [rule.description, ...shown.map(([k, v]) => `${k}: ${v}`)].join("\n"),
        markdown: [rule.description, "", ...shown.map(([k, v]) => `**${k}:** ${k === "Rule" && link ? `[${rule.id}](${v})` : v}`)].join(
            "\n\n",
        ),
    };
}

function reportingDescriptor(rule: ReportRule, base: string | undefined) {
    const uri = helpUri(rule, base);
    const security = rule.tags.includes("security");
    return {
        id: rule.id,
        name: pascalCase(rule.id),
        shortDescription: { text: firstSentence(rule.description) },
        fullDescription: { text: rule.description.slice(0, 1024) },
        help: help(rule, base),
        ...(uri ? { helpUri: uri } : {}),
        defaultConfiguration: { level: sarifLevel(rule.level), enabled: rule.level !== "disabled" },
        properties: {
            tags: [...rule.tags],
            // Every policy decides from the declared values alone, with no heuristics: what it reports is so.
            precision: "very-high",
            ...(rule.severity && security ? { "security-severity": SECURITY_SEVERITY[rule.severity] } : {}),
            ...(rule.severity && !security ? { "problem.severity": PROBLEM_SEVERITY[rule.severity] } : {}),
            ...(rule.severity ? { severity: rule.severity } : {}),
            enforcementLevel: rule.level,
            ...(rule.framework ? { framework: { ...rule.framework } } : {}),
        },
    };
}

/** The report as a SARIF log, ready for JSON.stringify. */
export function sarifLog(report: Report) {
    const index = new Map(report.rules.map((r, i) => [r.id, i]));
    const prints = fingerprints(report);
    // A finding of a rule the pack did not describe (another pack, a renamed policy) still gets a rule of its own.
    const rules: ReportRule[] = [...report.rules];
    for (const f of report.findings) {
        if (!index.has(f.ruleId)) {
            index.set(f.ruleId, rules.length);
            rules.push({ id: f.ruleId, description: f.ruleId, level: f.level, tags: [] });
        }
    }
    const results = report.findings.map((f, i) => ({
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId) as number,
        level: sarifLevel(f.level),
        message: { text: f.message },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri: f.location.file, uriBaseId: "%SRCROOT%" },
                    region: {
                        startLine: f.location.startLine,
                        startColumn: f.location.startColumn,
                        endLine: f.location.endLine,
                        endColumn: f.location.endColumn,
                    },
                },
                message: { text: f.location.note },
                ...(f.urn ? { logicalLocations: [{ fullyQualifiedName: f.urn, kind: "resource" }] } : {}),
            },
        ],
        // GitHub code scanning reads only primaryLocationLineHash, and upload-sarif keeps a value already there instead
        // of hashing the source line (github/codeql-action src/fingerprints.ts): the rule and resource decide the alert.
        partialFingerprints: { primaryLocationLineHash: prints[i], "vectoraRuleResource/v1": prints[i] },
        properties: { enforcementLevel: f.level, ...(f.urn ? { urn: f.urn } : {}) },
    }));
    const root = pathToFileURL(report.root).toString();
    return {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: report.tool.name,
                        version: report.tool.version,
                        ...(/^\d+\.\d+\.\d+$/.test(report.tool.version) ? { semanticVersion: report.tool.version } : {}),
                        rules: rules.map((r) => reportingDescriptor(r, report.helpBase)),
                    },
                },
                // The category (everything before the last slash) keeps the three stacks' and commands' uploads apart.
                automationDetails: { id: `${report.project}/${report.command}/${report.stack}/` },
                originalUriBaseIds: { "%SRCROOT%": { uri: root.endsWith("/") ? root : `${root}/` } },
                invocations: [{ executionSuccessful: true }],
                results,
                properties: { project: report.project, stack: report.stack, command: report.command },
            },
        ],
    };
}

/** The report as SARIF text. */
export function toSarif(report: Report): string {
    return `${JSON.stringify(sarifLog(report), null, 2)}\n`;
}
