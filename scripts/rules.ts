import * as fs from "fs";
import * as path from "path";
import type { Policy } from "@pulumi/policy";
import { findProjectRoot } from "../config/projectRoot";
import { atomicWrite } from "../lib/files";
import { vectoraPolicies } from "../policy/policies";
import "../policy/support/metadata";

/**
 * `npm run rules`: writes the table of policy/RULES.md from each policy's own metadata (description, level,
 * severity, framework, tags, remediationSteps, url, rationale), so that a policy is documented in its file and
 * the table cannot drift from the pack. Everything outside the two markers is prose kept by hand. `--check` only
 * says whether the file is up to date (exit 1 when not); test/policy/pack.test.ts runs the same comparison.
 */

/** The markers around the generated table: the generator owns what lies between them, people the rest. */
export const BEGIN = "<!-- npm run rules: begin (generated from each policy's metadata; edit the policy file, then run npm run rules) -->";
export const END = "<!-- npm run rules: end -->";

const SEVERITIES = ["low", "medium", "high", "critical"] as const;

/**
 * Catalogs a tag `external/<catalog>/<rule id>` may name, as RULES.md shows them. The AWS ids are Security Hub
 * control ids: `aws-fsbp` for controls of the Foundational Security Best Practices standard, `aws-securityhub`
 * for the others.
 */
export const CATALOGS: Readonly<Record<string, string>> = {
    "aws-fsbp": "AWS FSBP",
    "aws-securityhub": "AWS Security Hub",
    "cis-aws-v3.0.0": "CIS AWS Foundations v3.0.0",
    "cdk-nag": "cdk-nag",
    awsguard: "awsguard",
};

/** What the contract asks of a policy's metadata, one problem per line; none when the policy can be documented. */
export function metadataProblems(p: Policy): string[] {
    const fix = `in policy/policies/${p.name}.ts`;
    const problems: string[] = [];
    if (!p.severity || !(SEVERITIES as readonly string[]).includes(p.severity)) {
        problems.push(`${p.name} has no severity; add severity: ${SEVERITIES.map((s) => `"${s}"`).join(" | ")} ${fix}`);
    }
    if (!p.remediationSteps?.trim()) {
        problems.push(`${p.name} has no remediationSteps; say what a developer changes, and where, ${fix}`);
    }
    if (p.url !== `RULES.md#${p.name}`) {
        problems.push(`${p.name} has url ${JSON.stringify(p.url)}; expected "RULES.md#${p.name}" (its row of RULES.md) ${fix}`);
    }
    if (!p.rationale?.why.trim() || !p.rationale.severityReason.trim()) {
        problems.push(`${p.name} has no rationale; add rationale: { why: "...", severityReason: "..." } ${fix}`);
    }
    const area = (p.tags ?? []).filter((t) => !t.startsWith("external/"));
    if (area.length === 0) {
        problems.push(`${p.name} has no tags; add at least one area tag such as "s3", "iam", "lambda" or "governance" ${fix}`);
    }
    for (const tag of (p.tags ?? []).filter((t) => t.startsWith("external/"))) {
        const [, catalog, id] = tag.split("/");
        if (!CATALOGS[catalog] || !id) {
            problems.push(`${p.name} has tag ${tag}; expected external/<${Object.keys(CATALOGS).join("|")}>/<rule id> ${fix}`);
        }
    }
    return problems;
}

/** A table cell: no pipe or line break may leak out of it, and `<env>` stays text (GitHub drops unknown HTML tags). */
function cell(text: string): string {
    return text
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\|/g, "\\|")
        .replace(/\s*\n\s*/g, " ");
}

/** The rules of other catalogs a policy corresponds to: its framework's control first, then its external tags. */
export function anchors(p: Policy): string {
    const byCatalog = new Map<string, string[]>();
    const add = (catalog: string, id: string) => byCatalog.set(catalog, [...(byCatalog.get(catalog) ?? []), id]);
    if (p.framework?.name === "AWS Foundational Security Best Practices") {
        add("aws-fsbp", `${p.framework.reference} (${p.framework.specification})`);
    } else if (p.framework) {
        add(p.framework.name, p.framework.reference);
    }
    for (const tag of p.tags ?? []) {
        const [prefix, catalog, ...id] = tag.split("/");
        if (prefix === "external") {
            add(catalog, id.join("/"));
        }
    }
    const shown = [...byCatalog].map(([catalog, ids]) => `${CATALOGS[catalog] ?? catalog} ${ids.join(", ")}`);
    return shown.length > 0 ? shown.join("; ") : "-";
}

/** One row per policy, in the pack's order, each with the anchor its `url` points to. */
export function rulesTable(policies: readonly Policy[]): string {
    const header =
        "| Policy | Level | Severity | What it checks | Why | How to fix | Anchor rules (AWS FSBP, CIS, cdk-nag, awsguard) | File |\n" +
        "|---|---|---|---|---|---|---|---|\n";
    return (
        header +
        policies
            .map((p) => {
                // GitHub keeps an id given to an HTML anchor in Markdown, so RULES.md#<id> lands on the row (markdownlint MD051).
                const area = (p.tags ?? []).filter((t) => !t.startsWith("external/"));
                const cells = [
                    `${p.name}${area.length > 0 ? ` (tags: ${area.join(", ")})` : ""}`,
                    p.enforcementLevel ?? "advisory",
                    `**${p.severity ?? "-"}**: ${p.rationale?.severityReason ?? ""}`,
                    p.description,
                    p.rationale?.why ?? "",
                    p.remediationSteps ?? "",
                    anchors(p),
                    `[\`policies/${p.name}.ts\`](policies/${p.name}.ts)`,
                ];
                return `| <a id="${p.name}"></a>${cells.map(cell).join(" | ")} |\n`;
            })
            .join("")
    );
}

/** RULES.md with its generated part written from `policies`; the hand-written parts are kept as they are. */
export function renderRules(text: string, policies: readonly Policy[]): string {
    const begin = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    if (begin < 0 || end < begin) {
        throw new Error(`policy/RULES.md has lost its markers; put ${BEGIN} and ${END} back around the policy table`);
    }
    return `${text.slice(0, begin + BEGIN.length)}\n${rulesTable(policies)}${text.slice(end)}`;
}

function main(argv: readonly string[]): number {
    const file = path.join(findProjectRoot(__dirname), "policy", "RULES.md");
    if (argv.some((a) => a !== "--check")) {
        process.stderr.write("usage: npm run rules [-- --check]\n");
        return 2;
    }
    const problems = vectoraPolicies.flatMap(metadataProblems);
    if (problems.length > 0) {
        process.stderr.write(problems.map((p) => `error: ${p}\n`).join(""));
        return 1;
    }
    const text = fs.readFileSync(file, "utf8");
    const rendered = renderRules(text, vectoraPolicies);
    if (argv.includes("--check")) {
        if (rendered !== text) {
            process.stderr.write("error: policy/RULES.md is out of date with the pack's metadata; run npm run rules\n");
            return 1;
        }
        return 0;
    }
    atomicWrite(file, rendered);
    process.stdout.write(`policy/RULES.md: ${vectoraPolicies.length} policies\n`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
