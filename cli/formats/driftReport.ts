import { ResourceDrift, shown } from "../../pulumi/previewDiff";
import type { Report } from "./findings";
import { toJunit } from "./junit";
import { RepoFiles, declaringSource } from "./locations";
import { toSarif } from "./sarif";

/** Drift's one rule: what a reviewer reads beside each drifted resource. */
export const DRIFT_RULE = {
    id: "vectora-drift",
    description:
        "A resource in the cloud differs from what the repository declares: someone changed it outside Pulumi, and the next " +
        "pulumi up would change it back.",
    level: "mandatory",
    severity: "high",
    tags: ["drift", "governance"],
    remediationSteps:
        "If the change in the cloud should stay, make it in the repository (the component or config that declares the " +
        "resource) and deploy; otherwise run pulumi up for the stack to put the repository's values back.",
} as const;

/** What a drift run gives its SARIF and JUnit reports. */
export interface DriftReportInput {
    readonly project: string;
    readonly stack: string;
    readonly root: string;
    readonly drifted: readonly ResourceDrift[];
    /** Every resource the refreshed preview went over. */
    readonly checked: readonly string[];
}

/** The report of a drift run: one finding per drifted resource, at the component that declares it. */
export function driftReport(input: DriftReportInput): Report {
    const files = new RepoFiles(input.root);
    const drifted = new Set(input.drifted.map((d) => d.urn));
    return {
        tool: { name: `${input.project} drift`, version: "1.0.0" },
        command: "drift",
        project: input.project,
        stack: input.stack,
        root: input.root,
        rules: [{ ...DRIFT_RULE, tags: [...DRIFT_RULE.tags] }],
        findings: input.drifted.map((d) => ({
            ruleId: DRIFT_RULE.id,
            level: DRIFT_RULE.level,
            message:
                `${d.type} ${d.name} differs from the repository (pulumi up would ${d.op}): ` +
                d.properties.map((p) => `${p.path}: ${shown(p.cloud)} -> ${shown(p.repository)}`).join("; "),
            urn: d.urn,
            location: declaringSource(files, d.urn),
        })),
        checks: [...new Set([...input.checked, ...drifted])].map((urn) => ({
            ruleId: DRIFT_RULE.id,
            urn,
            outcome: drifted.has(urn) ? "failed" : "passed",
        })),
    };
}

/** A drift run as SARIF or JUnit text. */
export function driftReportText(format: "sarif" | "junit", input: DriftReportInput): string {
    const report = driftReport(input);
    return format === "sarif" ? toSarif(report) : toJunit(report);
}
