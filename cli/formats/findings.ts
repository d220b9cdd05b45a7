import { createHash } from "crypto";
import type { EnforcementLevel, PolicyFramework, Severity } from "../../pulumi/analyzerClient";
import type { RepoLocation } from "./locations";

/**
 * What the SARIF and JUnit reports are written from, whatever the command: the rules that were checked (policies
 * with their metadata, or drift's one rule), the findings, and, where the command knows them, the checks that
 * passed.
 */

/** A rule of a report: a policy of the pack, with the metadata GetAnalyzerInfo served. */
export interface ReportRule {
    readonly id: string;
    readonly description: string;
    /** The level in force for this run. */
    readonly level: EnforcementLevel;
    readonly severity?: Severity;
    readonly framework?: PolicyFramework;
    readonly tags: readonly string[];
    readonly remediationSteps?: string;
    readonly url?: string;
}

/** One violation (or one drifted resource), with the repository line where its fix belongs. */
export interface Finding {
    readonly ruleId: string;
    readonly level: EnforcementLevel;
    readonly message: string;
    readonly urn?: string;
    readonly location: RepoLocation;
}

/** One rule's outcome on one resource (or on the whole stack when urn is absent). */
export interface Check {
    readonly ruleId: string;
    readonly urn?: string;
    readonly outcome: "passed" | "failed" | "notApplicable";
}

/** Everything a report is written from. */
export interface Report {
    /** The tool as code scanning lists it: `vectora-inbox` (the pack) or `vectora-inbox drift`. */
    readonly tool: { readonly name: string; readonly version: string };
    /** What ran: `preview`, `audit` or `drift`. */
    readonly command: string;
    readonly project: string;
    readonly stack: string;
    /** The repository root, absolute (SARIF's %SRCROOT%). */
    readonly root: string;
    readonly rules: readonly ReportRule[];
    readonly findings: readonly Finding[];
    /** Passed and not-applicable checks; undefined when the command cannot know them. */
    readonly checks?: readonly Check[];
    /** Where a rule's relative `url` (RULES.md#id) resolves, e.g. the pack folder on GitHub at this commit. */
    readonly helpBase?: string;
}

/** What stands for the stack as a whole when a finding names no resource. */
export function stackSubject(report: Pick<Report, "project" | "stack">): string {
    return `stack ${report.project}/${report.stack}`;
}

/**
 * A finding's identity across runs: the rule and the resource, never the message (which says values and may be
 * reworded). The n-th finding of one rule on one resource gets `:n`, the form of GitHub's own primaryLocationLineHash
 * ("39fa2ee980eb94b0:1"), so that two findings of one policy on one resource stay two alerts.
 */
export function fingerprints(report: Pick<Report, "project" | "stack" | "findings">): string[] {
    const seen = new Map<string, number>();
    return report.findings.map((f) => {
        const subject = f.urn ?? stackSubject(report);
        const hash = createHash("sha256").update(`${f.ruleId}\u0000${subject}`).digest("hex").slice(0, 16);
        const n = (seen.get(hash) ?? 0) + 1;
        seen.set(hash, n);
        return `${hash}:${n}`;
    });
}

/** Mandatory and remediate violations block a deploy; advisory ones do not. */
export function blocks(level: EnforcementLevel): boolean {
    return level === "mandatory" || level === "remediate";
}
