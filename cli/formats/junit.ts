import { Check, Finding, Report, ReportRule, blocks, stackSubject } from "./findings";

/**
 * A report as JUnit XML, the form test reporters read: one <testsuite> per rule, one <testcase> per rule and
 * resource, a <failure> for a blocking (mandatory) violation, an advisory one kept as the case's <system-out> (a
 * warning is not a failed test). Checked against Jenkins' junit-10.xsd (the xUnit plugin's schema of the Ant and
 * Surefire format) by test/cli/formats/junit.test.ts.
 */

/** Text and attribute values of XML 1.0: the five escapes, and no character XML 1.0 cannot carry (§2.2). */
function xml(text: string): string {
    // Most names (URNs, policy ids) need nothing escaped, and a report of 2,000 resources has tens of thousands.
    if (!/[^\t\n\r\x20\x21\x23-\x25\x28-\x3B\x3D\x3F-\x7E]/.test(text)) {
        return text;
    }
    return text
        .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");
}

interface Case {
    readonly name: string;
    readonly failures: readonly Finding[];
    readonly advisories: readonly Finding[];
    readonly skipped?: string;
}

/**
 * The cases of one rule, from its findings and checks: each resource it passed or failed on, or, when the command
 * cannot say which resources a rule passed (no checks), each resource it failed on and one case for the rest of the stack.
 */
function casesOf(report: Report, findings: readonly Finding[], checks: readonly Check[] | undefined): Case[] {
    const subject = (urn: string | undefined) => urn ?? stackSubject(report);
    const subjects: string[] = [];
    let skipped: string | undefined;
    if (checks) {
        for (const c of checks) {
            if (c.outcome === "passed" || (c.outcome === "failed" && c.urn)) {
                subjects.push(subject(c.urn));
            } else if (c.outcome === "notApplicable" && c.urn === undefined) {
                skipped = "not applicable to this stack";
            }
            // A stack policy that failed has its cases from its findings below, each on the resource it names.
        }
    } else if (findings.length === 0) {
        subjects.push(stackSubject(report));
    }
    // A stack policy's check has no URN; its findings name resources: each becomes a case of its own.
    for (const f of findings) {
        subjects.push(subject(f.urn));
    }
    const unique = [...new Set(subjects)];
    if (unique.length === 0 && skipped) {
        return [{ name: stackSubject(report), failures: [], advisories: [], skipped }];
    }
    return unique.map((name) => {
        const own = findings.filter((f) => subject(f.urn) === name);
        return { name, failures: own.filter((f) => blocks(f.level)), advisories: own.filter((f) => !blocks(f.level)) };
    });
}

function testcase(rule: ReportRule, c: Case): string {
    const open = `    <testcase classname="${xml(rule.id)}" name="${xml(c.name)}"`;
    const body: string[] = [];
    if (c.failures.length > 0) {
        const text = [...c.failures.map((f) => f.message), ...(rule.remediationSteps ? [`How to fix: ${rule.remediationSteps}`] : [])];
        const first = c.failures[0].message.split("\n")[0];
        body.push(`      <failure type="${xml(c.failures[0].level)}" message="${xml(first)}">${xml(text.join("\n\n"))}</failure>`);
    }
    if (c.skipped) {
        body.push(`      <skipped message="${xml(c.skipped)}"/>`);
    }
    if (c.advisories.length > 0) {
        body.push(`      <system-out>${xml(c.advisories.map((f) => `[${f.level}] ${f.message}`).join("\n\n"))}</system-out>`);
    }
    return body.length === 0 ? `${open}/>\n` : `${open}>\n${body.join("\n")}\n    </testcase>\n`;
}

function groupBy<T extends { readonly ruleId: string }>(items: readonly T[]): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        groups.set(item.ruleId, [...(groups.get(item.ruleId) ?? []), item]);
    }
    return groups;
}

/** The report as JUnit XML text. */
export function toJunit(report: Report): string {
    let tests = 0;
    let failed = 0;
    // Grouped once: a large stack has a check per resource policy and resource (36,000 for 2,000 resources).
    const findingsOf = groupBy(report.findings);
    const checksOf = report.checks ? groupBy(report.checks) : undefined;
    const suites = report.rules
        .filter((rule) => rule.level !== "disabled")
        .map((rule) => {
            const cases = casesOf(report, findingsOf.get(rule.id) ?? [], checksOf ? (checksOf.get(rule.id) ?? []) : undefined);
            const failures = cases.filter((c) => c.failures.length > 0).length;
            const skipped = cases.filter((c) => c.skipped).length;
            tests += cases.length;
            failed += failures;
            const properties = [
                ["level", rule.level],
                ["severity", rule.severity],
                ["framework", rule.framework ? `${rule.framework.name} ${rule.framework.reference}` : undefined],
                ["url", rule.url],
            ]
                .filter((p): p is [string, string] => p[1] !== undefined)
                .map(([name, value]) => `      <property name="${name}" value="${xml(value)}"/>\n`)
                .join("");
            return (
                `  <testsuite name="${xml(rule.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
                `    <properties>\n${properties}    </properties>\n` +
                cases.map((c) => testcase(rule, c)).join("") +
                "  </testsuite>\n"
            );
        });
    const name = `${report.command} of ${report.project}/${report.stack} (${report.tool.name} ${report.tool.version})`;
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<testsuites name="${xml(name)}" tests="${tests}" failures="${failed}" errors="0">\n` +
        suites.join("") +
        "</testsuites>\n"
    );
}
